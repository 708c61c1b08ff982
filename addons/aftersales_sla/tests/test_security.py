"""The SLA facts of a ticket belong to the system: deadlines, reach times,
states, alerts and coverage are computed, and only a manager overrides the
tier. Tried through the same paths as the ticket's own security tests."""

from datetime import date

from odoo.addons.aftersales_ticket.tests.test_portal import AftersalesPortalCommon
from odoo.addons.aftersales_ticket.tests.test_security import AGENT, NOBODY, WriteTableMixin
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import AftersalesSlaCommon, dt

# Stored ticket fields added by aftersales_sla: (portal, technician, agent).
SLA_FIELDS = {
    "purchase_price": AGENT,  # intake: agents, then managers
    "sla_incident_level": (False, False, True),
    "sla_major_incident_id": (False, False, True),
    "sla_tier_id": AGENT,  # agents at intake, then a manager overrides it
    "sla_contract_id": NOBODY,
    "sla_tier_origin": NOBODY,
    "sla_rule_id": NOBODY,
    "warranty_end_date": NOBODY,
    "warranty_state": NOBODY,
    "entitlement": NOBODY,
    "entitlement_data": NOBODY,
    "sla_response_deadline": NOBODY,
    "sla_resolution_deadline": NOBODY,
    "sla_response_warn_at": NOBODY,
    "sla_resolution_warn_at": NOBODY,
    "sla_response_reached": NOBODY,
    "sla_resolution_reached": NOBODY,
    "sla_response_state": NOBODY,
    "sla_resolution_state": NOBODY,
    "sla_state": NOBODY,
    "sla_paused_since": NOBODY,
    "sla_pause_ids": NOBODY,
    "sla_alert_level": NOBODY,
    "sla_next_check": NOBODY,
}


@tagged("post_install", "-at_install")
class TestSlaWriteTable(WriteTableMixin, AftersalesSlaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env, login="sla_write_portal", groups="base.group_portal", partner_id=cls.customer_contact.id
        )

    def test_write_table(self):
        ticket = self.create_sla_ticket(technician_id=self.tech_a.id)
        self.assertEqual(set(SLA_FIELDS), self._stored_fields("aftersales_sla"), "the table lists every field")
        self.assertEqual(self._write_table(ticket, SLA_FIELDS), SLA_FIELDS)

    def test_technician_cannot_silence_the_sla(self):
        with freeze_time(dt(2026, 3, 2, 9, 0)):
            ticket = self.create_sla_ticket(technician_id=self.tech_a.id)
        deadline, next_check = ticket.sla_response_deadline, ticket.sla_next_check
        self.assertTrue(deadline and next_check)
        as_tech = ticket.with_user(self.tech_user_a)
        facts = "are set by the system and cannot be changed"
        for vals, refusal in (
            ({"sla_alert_level": 3}, facts),
            ({"sla_next_check": False}, facts),
            ({"date_first_response": "2026-03-02 09:05:00"}, facts),
            ({"sla_response_deadline": "2026-12-31 00:00:00"}, facts),
            ({"sla_state": "met"}, facts),
            ({"sla_tier_id": self.tier_vip.id}, "You are not allowed to set these fields"),
        ):
            with self.subTest(vals=vals), self.refused(AccessError, refusal):
                as_tech.write(vals)
        self.assertEqual((ticket.sla_response_deadline, ticket.sla_next_check), (deadline, next_check))
        self.assertEqual(ticket.sla_alert_level, 0)
        self.assertFalse(ticket.date_first_response)
        # a manager may override the tier; the deadlines follow
        ticket.with_user(self.manager).sla_tier_id = self.tier_vip
        self.assertEqual(ticket.sla_tier_id, self.tier_vip)
        self.assertNotEqual(ticket.sla_response_deadline, deadline)

    def test_bad_numbers(self):
        with self.refused(ValidationError, "price paid at purchase cannot be negative"):
            self.create_sla_ticket(purchase_price=-1.0)
        with self.refused(ValidationError, "Major incident response targets cannot be negative"):
            self.company.aftersales_incident_l1_hours = -0.5
        self.assertEqual(self.company.aftersales_incident_l1_hours, 0.5)

    def test_entitlement_never_from_another_customers_delivery(self):
        with freeze_time("2026-03-01 10:00:00"):
            self.deliver(self.lot_laptop, self.other_customer)
        with freeze_time("2026-03-03 10:00:00"):
            theirs = self.create_sla_ticket(partner_id=self.other_customer.id, lot_id=self.lot_laptop.id)
            mine = self.create_sla_ticket(lot_id=self.lot_laptop.id)
        self.assertEqual(theirs.purchase_date, date(2026, 3, 1))
        self.assertEqual(theirs.entitlement, "return")
        self.assertFalse(mine.purchase_date, "another customer's delivery is not this customer's purchase")
        self.assertEqual(mine.entitlement, "none")


@tagged("post_install", "-at_install")
class TestPortalSla(AftersalesPortalCommon, AftersalesSlaCommon):
    def test_portal_form_ticket_gets_tier_and_deadlines_like_an_agents(self):
        """The customer cannot read calendars or tiers, yet the ticket gets
        the tier, the team, a technician and the deadlines an agent's gets."""
        self.company.aftersales_intake_team_id = self.team_sh
        self.team_sh.auto_dispatch = True
        self.authenticate("as_portal", "as_portal")
        response = self._post_new_ticket(
            {"name": "Portal SLA ticket", "description": "Fan noise", "product_id": str(self.laptop.id)}
        )
        self.assertEqual(response.status_code, 303)
        ticket = self.env["aftersales.ticket"].search([("name", "=", "Portal SLA ticket")])
        self.assertEqual(ticket.sla_tier_id, self.tier)
        self.assertTrue(ticket.technician_id)
        agents = self.create_ticket(
            name="Agent twin", product_id=self.laptop.id, date_reported=ticket.date_reported, team_id=self.team_sh.id
        )
        self.assertTrue(ticket.sla_response_deadline)
        self.assertEqual(ticket.sla_response_deadline, agents.sla_response_deadline)
        self.assertEqual(ticket.sla_resolution_deadline, agents.sla_resolution_deadline)
        self.assertEqual(ticket.sla_state, "on_track")

    def test_portal_cannot_pick_a_vip_tier(self):
        self.authenticate("as_portal", "as_portal")
        before = self._counts()
        self._post_new_ticket({"name": "Wants VIP", "description": "Fan noise", "sla_tier_id": str(self.tier_vip.id)})
        ticket = self.env["aftersales.ticket"].search([("name", "=", "Wants VIP")])
        self.assertEqual(ticket.sla_tier_id, self.tier, "the tier comes from the rules, not from the request")
        self.assertEqual(self._counts()[0], before[0] + 1)
