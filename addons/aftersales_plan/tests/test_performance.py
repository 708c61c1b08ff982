import logging

from odoo.tests import freeze_time, tagged, warmup

from .common import AftersalesPlanCommon

_logger = logging.getLogger(__name__)

# Queries of one batch of the plan job, whatever the number of plans in it:
# claim, visit tickets with their checklists, their kit repairs with their
# parts (names drawn from the operation type's sequence in one query, stock
# references created together), dispatch, chatter notes. Not counted: the
# notices of aftersales_ticket (acknowledgement, appointment, assignment),
# posted in the precommit hooks (see tests/benchmarks/README_plan.md).
# Before the kits: 49-50 with aftersales_plan's dependencies alone, 55-56 with
# every addon of the suite installed (budget 58). With the kits (two parts a
# visit) and aftersales_parts among the dependencies: 77-85 (84 in the budget
# test), alone as with every addon installed.
PLAN_BATCH_QUERIES = 86


@tagged("post_install", "-at_install")
class TestPlanJobQueries(AftersalesPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.active = False
        cls.parts = cls.env["product.product"].create(
            [{"name": "Toner", "is_storable": True}, {"name": "Roller", "is_storable": True}]
        )
        cls.plans = {}
        for size in (2, 3, 9):  # 2: warms the caches up
            plans = cls.Plan
            for index in range(size):
                partner = cls.env["res.partner"].create({"name": f"Customer {size}-{index}", "is_company": True})
                contract = cls.make_contract(partner, None)
                contract.product_ids = cls.printer
                plans |= cls.make_plan(
                    contract,
                    name=f"Plan {size}-{index}",
                    part_ids=[(0, 0, {"product_id": part.id, "product_qty": 1.0}) for part in cls.parts],
                )
            plans.active = False
            cls.plans[size] = plans

    def settle(self):
        """Flush what earlier steps left, their precommit hooks included."""
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()

    def run_job(self, size):
        self.plans[size].active = True
        self.settle()
        with freeze_time("2027-01-06 10:00:00"):
            start = self.env.cr.sql_log_count
            done = self.Plan._cron_plan_visits()
            self.env.flush_all()
            count = self.env.cr.sql_log_count - start
        self.assertEqual(done, self.plans[size])
        self.assertEqual(len(self.plans[size].visit_ids), size)
        self.assertEqual(len(self.plans[size].visit_ids.repair_ids.move_ids), 2 * size, "each visit carries its kit")
        return count

    @warmup
    def test_constant_queries_per_batch(self):
        self.run_job(2)
        small = self.run_job(3)
        large = self.run_job(9)
        _logger.info("plan job batch queries: 3 plans %s, 9 plans %s", small, large)
        self.assertLessEqual(large, small, "the queries of a batch do not grow with its plans")
        self.assertLessEqual(small, PLAN_BATCH_QUERIES)

    @warmup
    def test_batch_query_budget(self):
        self.run_job(2)
        self.plans[9].active = True
        self.settle()
        with freeze_time("2027-01-06 10:00:00"), self.assertQueryCount(PLAN_BATCH_QUERIES, flush=False):
            self.Plan._cron_plan_visits()
            self.env.flush_all()
        self.assertEqual(len(self.plans[9].visit_ids.repair_ids), 9)
