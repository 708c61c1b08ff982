from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPlanJobTwoWorkers(TransactionCase):
    """Two workers run the plan job at the same moment on a committed plan:
    the second skips the plan the first claimed, and the visit is created
    once."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            today = fields.Date.context_today(env["res.partner"])
            tier = env["aftersales.sla.tier"].create(
                {"name": "Race tier", "resource_calendar_id": env.ref("aftersales_sla.resource_calendar_24x7").id}
            )
            team = env["aftersales.team"].create({"name": "Race team", "auto_dispatch": False})
            partner = env["res.partner"].create({"name": "Race customer", "is_company": True})
            contract = env["aftersales.sla.contract"].create(
                {
                    "partner_id": partner.id,
                    "tier_id": tier.id,
                    "date_start": today - timedelta(days=1),
                    "date_end": today + timedelta(days=200),
                    "state": "active",
                }
            )
            plan = env["aftersales.maintenance.plan"].create(
                {
                    "name": "Race plan",
                    "contract_id": contract.id,
                    "first_visit_date": today + timedelta(days=14),
                    "team_id": team.id,
                }
            )
            self.ids_ = {"tier": tier.id, "team": team.id, "partner": partner.id, "plan": plan.id}
            self.ids_["contract"] = contract.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["aftersales.ticket"].search([("maintenance_plan_id", "=", self.ids_["plan"])]).unlink()
            env["aftersales.maintenance.plan"].browse(self.ids_["plan"]).unlink()
            env["aftersales.sla.contract"].browse(self.ids_["contract"]).unlink()
            env["aftersales.team"].browse(self.ids_["team"]).unlink()
            env["aftersales.sla.tier"].browse(self.ids_["tier"]).unlink()
            env["res.partner"].browse(self.ids_["partner"]).unlink()

    def visits(self, env):
        return env["aftersales.ticket"].search_count([("maintenance_plan_id", "=", self.ids_["plan"])])

    def test_second_worker_skips_the_claimed_plan(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            done1 = env1["aftersales.maintenance.plan"]._cron_plan_visits()
            env1.flush_all()
            self.assertEqual(done1.ids, [self.ids_["plan"]], "worker 1 claims the plan")
            done2 = env2["aftersales.maintenance.plan"]._cron_plan_visits()
            self.assertFalse(done2, "worker 2 skips the plan locked by worker 1")
            cr2.rollback()
            cr1.commit()  # pylint: disable=invalid-commit  # worker 1's batch is committed
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertEqual(self.visits(env), 1)
            self.assertFalse(env["aftersales.maintenance.plan"]._cron_plan_visits(), "a later run finds nothing due")
            self.assertEqual(self.visits(env), 1, "the visit is created once")
