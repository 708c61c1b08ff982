from datetime import timedelta

from odoo.addons.aftersales_survey.tests.common import CLOSED_AT, AftersalesSurveyCommon
from odoo.exceptions import AccessError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestKpiByTier(AftersalesSurveyCommon):
    """NPS, response rate and coverage by service tier, from hand-computed answers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.aftersales_survey_fatigue_days = 0
        cls.basic = cls.env.ref("aftersales_sla.tier_basic")
        cls.vip = cls.env.ref("aftersales_sla.tier_vip")
        cls.Report = cls.env["aftersales.followup.report"].with_user(cls.manager)
        cls.Kpi = cls.env["aftersales.followup.kpi"]

    def _by_tier(self, kind, aggregates):
        domain = [("kind", "=", kind), ("tier_id", "in", (self.basic | self.vip).ids)]
        if kind == "invitation":
            domain.append(("step_id", "=", self.step_30d.id))
        return {tier: tuple(values) for tier, *values in self.Report._read_group(domain, ["tier_id"], aggregates)}

    def test_nps_by_tier(self):
        # VIP: NPS 10, 9, 6 -> 2 promoters, 1 detractor of 3 = 33.33
        # Basic: 8, 0 and one unanswered -> 0 promoters, 1 detractor of 2 = -50; 2 answers of 3 invitations
        plan = [(self.vip, 10), (self.vip, 9), (self.vip, 6), (self.basic, 8), (self.basic, 0), (self.basic, None)]
        tickets = [self.close_ticket(sla_tier_id=tier.id) for tier, _nps in plan]
        self.run_job(CLOSED_AT + timedelta(days=30, hours=1))
        for ticket, (tier, nps) in zip(tickets, plan, strict=True):
            followup = self.followup(ticket, self.step_30d)
            self.assertEqual(followup.tier_id, tier, "the follow-up keeps the tier of its ticket")
            self.assertEqual(followup.state, "pending")
            if nps is not None:
                self.answer(followup, {self.q["30d_nps"]: nps, self.q["30d_overall"]: 4})

        invitations = self._by_tier("invitation", ["nps:avg", "response_rate:avg", "detractor_count:sum"])
        self.assertAlmostEqual(invitations[self.vip][0], 100 / 3)
        self.assertEqual(invitations[self.basic][0], -50.0)
        self.assertEqual(invitations[self.vip][1], 100.0)
        self.assertAlmostEqual(invitations[self.basic][1], 200 / 3)
        self.assertEqual((invitations[self.vip][2], invitations[self.basic][2]), (1, 1))
        # coverage: every VIP ticket answered its 30 days survey, 2 of 3 Basic ones
        coverage = self._by_tier("ticket", ["coverage:avg", "closed_count:sum"])
        self.assertEqual(coverage[self.vip], (100.0, 3))
        self.assertAlmostEqual(coverage[self.basic][0], 200 / 3)

        # A closed ticket promoted to VIP afterwards: the ticket counts under VIP now, its
        # follow-up stays under the tier it was served in.
        tickets[5].with_user(self.manager).write({"sla_tier_id": self.vip.id})
        coverage = self._by_tier("ticket", ["coverage:avg", "closed_count:sum"])
        self.assertEqual(coverage[self.vip], (75.0, 4))
        self.assertEqual(coverage[self.basic], (100.0, 2))
        self.assertAlmostEqual(self._by_tier("invitation", ["response_rate:avg"])[self.basic][0], 200 / 3)

        # the running totals, tier included, equal a recount from the raw follow-ups and tickets
        totals, recount = self.Kpi._kpi_totals(), self.Kpi._kpi_recount()
        recount = {key: values for key, values in recount.items() if any(values)}
        self.assertIn("tier_id", self.Kpi._kpi_key_fields())
        self.assertEqual(set(totals), set(recount))
        for key, values in recount.items():
            for got, expected in zip(totals[key], values, strict=True):
                self.assertAlmostEqual(float(got), float(expected), places=4)

    def test_recomputed_tier_moves_coverage(self):
        ticket = self.close_ticket(sla_tier_id=self.basic.id)
        self.assertEqual(self._by_tier("ticket", ["closed_count:sum"]), {self.basic: (1,)})
        # a tier rule for expensive laptops, then the purchase price corrected on the closed ticket:
        # the tier is recomputed, the coverage follows it
        self.env["aftersales.sla.rule"].create(
            {"tier_id": self.vip.id, "product_category_id": self.categ_laptop.id, "min_price": 10000, "sequence": 1}
        )
        ticket.with_user(self.manager).write({"purchase_price": 20000})
        self.assertEqual(ticket.sla_tier_id, self.vip)
        by_tier = self._by_tier("ticket", ["closed_count:sum"])
        self.assertEqual(by_tier[self.vip], (1,))
        self.assertEqual(by_tier.get(self.basic, (0,)), (0,), "Basic lost it (until the job merges the rows)")
        totals, recount = self.Kpi._kpi_totals(), self.Kpi._kpi_recount()
        self.assertEqual(set(totals), {key for key, values in recount.items() if any(values)})

    def test_tier_is_a_fact(self):
        ticket = self.close_ticket(sla_tier_id=self.basic.id)
        self.run_job(CLOSED_AT + timedelta(hours=25))
        followup = self.followup(ticket, self.step_24h)
        refused = "set by the system and cannot be changed: Service Tier"
        for user in (self.portal_user, self.tech_user_a, self.agent, self.manager):
            with self.subTest(user=user.login), self.assertRaisesRegex(AccessError, refused):
                followup.with_user(user).write({"tier_id": self.vip.id})
        with self.assertRaisesRegex(AccessError, refused):
            followup.sudo().write({"tier_id": self.vip.id})
        self.assertEqual(followup.tier_id, self.basic)
