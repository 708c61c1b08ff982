from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import AftersalesSlaCommon, dt


@tagged("post_install", "-at_install")
class TestRecomputeJob(AftersalesSlaCommon):
    """The manager tightens a tier's targets and recomputes its tickets'
    deadlines from the tier: the button returns a background job; the cron's
    batches move the open deadlines, reached targets stay."""

    @freeze_time("2026-01-09 16:00:00")
    def test_tier_change_recomputed_in_the_background(self):
        ticket = self.create_sla_ticket()
        self.assertEqual(ticket.sla_resolution_deadline, dt(2026, 1, 14, 16, 0))
        self.tier.resolution_general_hours = 9.0  # Fri 1 h + Mon 8 h -> Monday 16:00
        self.assertEqual(ticket.sla_resolution_deadline, dt(2026, 1, 14, 16, 0), "nothing moves by itself")

        action = self.tier.with_user(self.manager).action_recompute_deadlines()

        job = self.env["aftersales.job"].browse(action["res_id"])
        self.assertEqual((job.state, job.total, job.user_id), ("queued", 1, self.manager))
        self.assertEqual(ticket.sla_resolution_deadline, dt(2026, 1, 14, 16, 0), "returns before the work")
        job._run_batch()
        self.assertEqual((job.state, job.progress), ("done", 100.0))
        self.assertEqual(ticket.sla_resolution_deadline, dt(2026, 1, 12, 16, 0))

    def test_only_who_may_change_the_tier_recomputes_it(self):
        self.create_sla_ticket()
        with self.refused(AccessError, "aftersales.sla.tier"):
            self.tier.with_user(self.agent).action_recompute_deadlines()
        self.assertFalse(self.env["aftersales.job"].search([]))

    def test_a_tier_without_open_targets_says_so(self):
        with self.refused(UserError, "No ticket of Test VIP has an open target"):
            self.tier_vip.with_user(self.manager).action_recompute_deadlines()
