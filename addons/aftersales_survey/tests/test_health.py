from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestFollowupHealth(TransactionCase):
    """setup/health reports the follow-ups due and not sent yet."""

    def test_followups_due_at_the_boundary(self):
        Health = self.env["aftersales.health"]
        partner = self.env["res.partner"].create({"name": "Health customer", "email": "health@customer.example"})
        ticket = self.env["aftersales.ticket"].create({"name": "Health ticket", "partner_id": partner.id})
        closed = fields.Datetime.now() - timedelta(days=3)
        ticket._write_facts({"date_closed": closed, "date_service_end": closed})
        followups = self.env["aftersales.followup"]._schedule_for_tickets(ticket)
        first = min(followups.mapped("date_scheduled"))
        before = Health._queue_lengths(first - timedelta(seconds=1))["followups_due"]
        due = len(followups.filtered(lambda f: f.date_scheduled == first))
        self.assertTrue(due)
        self.assertEqual(Health._queue_lengths(first)["followups_due"], before + due, "due at its scheduled time")
