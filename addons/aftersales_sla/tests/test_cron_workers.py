from datetime import date

from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.tests import TransactionCase, freeze_time, tagged


@tagged("post_install", "-at_install")
class TestContractLifecycleWorkers(TransactionCase):
    """Two cron workers (two cursors) run the contract lifecycle at the same
    moment: each ended contract is expired once and each renewal reminded
    once, and the worker that loses the race stops without an error."""

    TODAY = "2026-02-10 08:00:00"

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Lifecycle race customer", "is_company": True})
            product = env["product.product"].create({"name": "Lifecycle race device", "type": "consu"})
            common = {
                "partner_id": partner.id,
                "tier_id": env.ref("aftersales_sla.tier_advanced").id,
                "product_ids": [Command.set(product.ids)],
                "date_start": date(2025, 1, 1),
                "state": "active",
            }
            contracts = env["aftersales.sla.contract"].create(
                [{**common, "date_end": date(2026, 1, 31)} for _i in range(3)]  # ended: to expire
                + [{**common, "date_end": date(2026, 2, 20)} for _i in range(3)]  # ending: to remind
            )
            self.ids_ = {"partner": partner.id, "product": product.id, "contracts": contracts.ids}
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            contracts = env["aftersales.sla.contract"].browse(self.ids_["contracts"])
            contracts.activity_ids.unlink()
            contracts.unlink()
            env["product.product"].browse(self.ids_["product"]).unlink()
            env["res.partner"].browse(self.ids_["partner"]).unlink()

    def _state(self, cr):
        cr.execute(
            "SELECT c.id, c.state, COALESCE(c.renewal_reminded, FALSE), "
            "(SELECT count(*) FROM mail_activity a WHERE a.res_model = 'aftersales.sla.contract' AND a.res_id = c.id) "
            "FROM aftersales_sla_contract c WHERE c.id = ANY(%s) ORDER BY c.id",
            [self.ids_["contracts"]],
        )
        return [row[1:] for row in cr.fetchall()]

    def _expected(self):
        return [("expired", False, 0)] * 3 + [("active", True, 1)] * 3

    def test_second_worker_skips_the_contracts_the_first_holds(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2, freeze_time(self.TODAY):
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            # worker 1 runs the job and has not committed yet: it holds the rows ...
            env1["aftersales.sla.contract"]._cron_contract_lifecycle()
            env1.flush_all()
            # ... worker 2 runs it at the same moment: nothing is left for it
            env2["aftersales.sla.contract"]._cron_contract_lifecycle()
            cr2.commit()  # pylint: disable=invalid-commit
            cr1.commit()  # pylint: disable=invalid-commit
            # both run again later: nothing is due any more
            for cr, env in ((cr2, env2), (cr1, env1)):
                env.invalidate_all()
                env["aftersales.sla.contract"]._cron_contract_lifecycle()
                cr.commit()  # pylint: disable=invalid-commit
            self.assertEqual(self._state(cr1), self._expected(), "each contract expired or reminded once")

    def test_worker_started_before_the_other_commits_stops(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2, freeze_time(self.TODAY):
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            cr2.execute("SELECT 1")  # worker 2's transaction (and snapshot) has started
            env1["aftersales.sla.contract"]._cron_contract_lifecycle()
            cr1.commit()  # pylint: disable=invalid-commit  # worker 1's job ends
            # worker 2 still sees the contracts as due: its claim is refused
            # (serialization failure), it stops without raising anything twice
            env2["aftersales.sla.contract"]._cron_contract_lifecycle()
            cr2.commit()  # pylint: disable=invalid-commit
            self.assertEqual(self._state(cr2), self._expected())
