from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import AftersalesSlaCommon, dt


@tagged("post_install", "-at_install")
class TestMajorIncidents(AftersalesSlaCommon):
    """Seed 002 重大事件: levels 1/2/3 answered in 30 min / 2 h / 24 h around the clock."""

    @freeze_time("2026-01-09 16:45:00")
    def test_level_1_runs_around_the_clock(self):
        """Friday 16:45 on the Mon-Fri 08-17 tier: due 17:15 the same day, not Monday."""
        ticket = self.create_sla_ticket(sla_incident_level="1")
        self.assertEqual(ticket.sla_response_deadline, dt(2026, 1, 9, 17, 15))
        plain = self.create_sla_ticket(urgency="emergency")
        self.assertEqual(plain.sla_response_deadline, dt(2026, 1, 12, 9, 45), "an ordinary ticket keeps office hours")
        ticket.sla_incident_level = "2"
        self.assertEqual(ticket.sla_response_deadline, dt(2026, 1, 9, 18, 45))

    def _incident_with_tickets(self):
        customers = (
            self.customer
            | self.other_customer
            | self.env["res.partner"].create({"name": "Initech", "email": "it@initech.example"})
        )
        self.other_customer.email = "service@globex.example"
        incident = (
            self.env["aftersales.sla.incident"]
            .with_user(self.agent)
            .create({"name": "Cloud print outage", "level": "2", "resolution": "The print gateway was restarted."})
        )
        tickets = self.Ticket.browse()
        for customer in customers:
            tickets |= self.create_sla_ticket(partner_id=customer.id, sla_major_incident_id=incident.id)
        return incident, tickets

    def test_tickets_take_the_incident_level(self):
        incident, tickets = self._incident_with_tickets()
        self.assertEqual(set(tickets.mapped("sla_incident_level")), {"2"})
        incident.with_user(self.agent).level = "1"
        self.assertEqual(set(tickets.mapped("sla_incident_level")), {"1"})
        self.assertEqual(incident.ticket_count, 3)

    def test_resolving_resolves_and_tells_each_customer(self):
        incident, tickets = self._incident_with_tickets()
        tickets[2].partner_id.aftersales_notice_opt_out = True
        incident.with_user(self.agent).action_resolve()
        self.assertEqual(incident.state, "resolved")
        self.assertTrue(incident.date_resolved)
        self.assertTrue(all(tickets.mapped("date_resolved")), "every ticket is resolved")
        self.assertEqual(set(tickets.mapped("milestone")), {"acceptance"}, "waiting for the customer's acceptance")
        for ticket in tickets[:2]:
            notice = ticket.message_ids.filtered(lambda m: m.subject and "incident is resolved" in m.subject)
            self.assertEqual(len(notice), 1, "one notice in the chatter of each ticket")
            self.assertIn(ticket.partner_id, notice.partner_ids, "sent to the customer")
            self.assertIn("print gateway was restarted", str(notice.body))
        self.assertFalse(
            tickets[2].message_ids.filtered(lambda m: m.subject and "incident is resolved" in m.subject),
            "a customer who opted out is not told",
        )
        with self.refused(UserError, "This incident is already resolved"):
            incident.with_user(self.agent).action_resolve()

    def test_technician_cannot_resolve(self):
        incident, tickets = self._incident_with_tickets()
        with self.refused(AccessError, r"not allowed to modify 'After-sales Major Incident'"):
            incident.with_user(self.tech_user_a).action_resolve()
        self.assertEqual(incident.state, "open")
        self.assertFalse(any(tickets.mapped("date_resolved")))

    def test_update_reaches_every_affected_customer(self):
        incident, tickets = self._incident_with_tickets()
        tickets[2].partner_id.aftersales_notice_opt_out = True
        Update = self.env["aftersales.sla.incident.update"]
        update = Update.with_user(self.agent).create(
            {"incident_id": incident.id, "body": "The print gateway is being restarted, back within the hour."}
        )
        self.assertEqual(update.told_count, 2)
        for ticket in tickets[:2]:
            notice = ticket.message_ids.filtered(lambda m: m.subject and "news about the incident" in m.subject)
            self.assertEqual(len(notice), 1, "one update in the chatter of each ticket")
            self.assertIn(ticket.partner_id, notice.partner_ids)
            self.assertIn("back within the hour", str(notice.body))
        self.assertFalse(tickets[2].message_ids.filtered(lambda m: m.subject and "news about" in m.subject))
        self.assertIn("back within the hour", str(incident.message_ids[0].body), "kept on the incident")
        # the count is the system's, and updates are history
        with self.refused(AccessError, "number of customers told is counted by the system"):
            Update.with_user(self.agent).create({"incident_id": incident.id, "body": "x", "told_count": 99})
        with self.refused(AccessError, r"not allowed to modify 'Major Incident Update'"):
            update.with_user(self.agent).write({"body": "Something else"})
        with self.refused(AccessError, r"not allowed to create 'Major Incident Update'"):
            Update.with_user(self.tech_user_a).create({"incident_id": incident.id, "body": "from a technician"})
        incident.with_user(self.agent).action_resolve()
        with self.refused(UserError, "Updates are for open incidents: this one is resolved"):
            Update.with_user(self.agent).create({"incident_id": incident.id, "body": "too late"})
