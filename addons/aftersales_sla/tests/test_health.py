from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSlaHealth(TransactionCase):
    """setup/health reports the SLA checks due and the alerts not handed out."""

    def test_sla_checks_due_at_the_boundary(self):
        Health = self.env["aftersales.health"]
        now = fields.Datetime.now()
        before = Health._queue_lengths(now)
        partner = self.env["res.partner"].create({"name": "Health customer"})
        ticket = self.env["aftersales.ticket"].create({"name": "Health ticket", "partner_id": partner.id})
        ticket._write_facts({"sla_next_check": now})
        self.assertEqual(Health._queue_lengths(now)["sla_checks_due"], before["sla_checks_due"] + 1, "due at now")
        ticket._write_facts({"sla_next_check": now + timedelta(seconds=1)})
        self.assertEqual(Health._queue_lengths(now)["sla_checks_due"], before["sla_checks_due"], "not yet due")
        self.env["aftersales.sla.alert"].create(
            {"ticket_id": ticket.id, "company_id": ticket.company_id.id, "level": "1", "phase": "response"}
        )
        self.assertEqual(Health._queue_lengths(now)["sla_alerts_pending"], before["sla_alerts_pending"] + 1)
