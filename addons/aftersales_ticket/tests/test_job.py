from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.models import MAGIC_COLUMNS
from odoo.tests import tagged

from ..models import aftersales_job
from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestJob(AftersalesCommon):
    """A background job is the system's record of a long action: its
    figures are facts, each user sees their own, and it runs as the user
    who started it."""

    def _job(self, user, records, method):
        action = self.env["aftersales.job"].with_user(user)._enqueue("Recount", records, method)
        return self.env["aftersales.job"].browse(action["res_id"])

    def test_every_stored_field_is_a_fact(self):
        Job = self.env["aftersales.job"]
        rules = Job._field_write_rules()
        stored = {
            name
            for name, field in Job._fields.items()
            if field.store
            and name not in MAGIC_COLUMNS
            and not name.startswith(("message_", "website_message", "rating_"))
        }
        self.assertEqual(stored - set(rules), set(), "stored job fields nobody classified")
        self.assertEqual({side for pair in rules.values() for side in pair}, {"system"})

    def test_nobody_writes_a_job_not_even_with_plain_sudo(self):
        job = self._job(self.agent, self.create_ticket(), "_compute_display_name")
        with self.assertRaises(AccessError) as caught:
            job.with_user(self.agent).write({"done_count": 1})
        self.assertIn("set by the system", str(caught.exception))
        with self.assertRaises(AccessError) as caught:
            job.sudo().write({"state": "done"})
        self.assertIn("set by the system", str(caught.exception))
        self.assertEqual((job.state, job.done_count), ("queued", 0))

    def test_each_user_sees_their_own_jobs(self):
        job = self._job(self.agent, self.create_ticket(), "_compute_display_name")
        self.assertEqual(self.env["aftersales.job"].with_user(self.agent).search([]), job)
        self.assertFalse(self.env["aftersales.job"].with_user(self.tech_user_a).search([]))
        self.assertEqual(self.env["aftersales.job"].with_user(self.manager).search([]), job)

    def _cron(self, budget):
        """Run the cron method with ``_commit_progress`` recorded (a test
        cannot commit) and answering ``budget`` seconds left."""
        calls = []

        def commit_progress(cron, processed=0, *, remaining=None, deactivate=False):
            calls.append((processed, remaining))
            return budget

        Cron = type(self.env["ir.cron"])
        with (
            patch.object(Cron, "_commit_progress", commit_progress),
            patch.object(aftersales_job, "JOB_BATCH_SIZE", 2),
        ):
            self.env["aftersales.job"]._cron_run_jobs()
        return calls

    def test_the_cron_runs_the_job_in_batches_and_tells_the_user(self):
        tickets = self.create_ticket() | self.create_ticket() | self.create_ticket()
        job = self._job(self.agent, tickets, "_compute_display_name")
        self.assertEqual(self._cron(budget=60.0), [(2, 1), (1, 0)], "the cron's progress: done, remaining")
        self.assertEqual((job.state, job.done_count, job.progress), ("done", 3, 100.0))
        self.assertTrue(job.date_done)
        self.assertIn(self.agent.partner_id, job.message_ids.notification_ids.res_partner_id)

    def test_out_of_time_the_cron_stops_and_is_triggered_again(self):
        tickets = self.create_ticket() | self.create_ticket() | self.create_ticket()
        job = self._job(self.agent, tickets, "_compute_display_name")
        cron = self.env.ref("aftersales_ticket.ir_cron_aftersales_job")
        self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]).unlink()
        self.assertEqual(self._cron(budget=0.0), [(2, 1)])
        self.assertEqual((job.state, job.done_count, job.progress), ("running", 2, 200 / 3))
        self.assertTrue(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]))
        self.assertFalse(job.message_ids.notification_ids, "nobody is told before the end")
