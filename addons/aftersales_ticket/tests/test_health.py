from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestHealth(TransactionCase):
    """The queue lengths setup/health prints for monitoring."""

    def test_mails_waiting_and_late_jobs(self):
        Health = self.env["aftersales.health"]
        now = fields.Datetime.now()
        before = Health._queue_lengths(now)
        self.env["mail.mail"].create([{"subject": "Waiting", "email_to": "a@example.com"}] * 2)
        self.env["mail.mail"].create({"subject": "Failed", "email_to": "b@example.com", "state": "exception"})
        cron = self.env["ir.cron"].create(
            {
                "name": "Health test job",
                "model_id": self.env["ir.model"]._get_id("aftersales.ticket"),
                "state": "code",
                "code": "model",
                "interval_number": 1,
                "interval_type": "days",
                "nextcall": now - timedelta(minutes=16),
            }
        )
        after = Health._queue_lengths(now)
        self.assertEqual(after["mails_waiting"], before["mails_waiting"] + 2)
        self.assertEqual(after["mails_failed"], before["mails_failed"] + 1)
        self.assertIn("Health test job", after["crons_late"])
        cron.nextcall = now - timedelta(minutes=14)
        self.assertNotIn(
            "Health test job", Health._queue_lengths(now)["crons_late"], "a job 14 minutes late is on time"
        )
