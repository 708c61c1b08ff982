from odoo.tests import freeze_time, new_test_user, tagged

from .common import AftersalesSlaCommon, dt


@tagged("post_install", "-at_install")
class TestPortalTicket(AftersalesSlaCommon):
    def test_portal_ticket_gets_deadlines(self):
        """A customer reporting a fault on the portal cannot read calendars or
        tiers, yet the ticket gets its tier and deadlines like any other."""
        portal = new_test_user(
            self.env, login="sla_portal", groups="base.group_portal", partner_id=self.customer_contact.id
        )
        with freeze_time(dt(2026, 3, 6, 16, 0)):  # a Friday
            ticket = (
                self.env["aftersales.ticket"]
                .with_user(portal)
                .create({"name": "Printer jams", "partner_id": self.customer_contact.id, "channel": "portal"})
            )
            ticket.env.flush_all()
        ticket = ticket.sudo()
        self.assertEqual(ticket.sla_tier_id, self.tier)
        self.assertEqual(ticket.sla_response_deadline, dt(2026, 3, 9, 15, 0), "8 working hours later: Monday 15:00")
