from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import CLOSED_AT, AftersalesSurveyCommon


@tagged("post_install", "-at_install")
class TestKpi(AftersalesSurveyCommon):
    """Hand-computed KPIs from a handful of answers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # no fatigue between these tickets: one customer company, many answers
        cls.company.aftersales_survey_fatigue_days = 0

    def _answered_30d(self, nps, overall, team):
        ticket = self.close_ticket(team_id=team.id)
        self.run_job(CLOSED_AT + timedelta(days=30, hours=1))
        followup = self.followup(ticket, self.step_30d)
        self.assertEqual(followup.state, "pending")
        self.answer(followup, {self.q["30d_nps"]: nps, self.q["30d_overall"]: overall})
        return followup

    def test_nps_csat_response_rate_coverage(self):
        # NPS answers 10, 9, 8, 7, 6, 0: 2 promoters, 2 detractors out of 6 -> NPS 0.
        # Overall satisfaction 5, 5, 4, 4, 3, 1: Shanghai (5, 5, 4) -> 4.667, Hangzhou (4, 3, 1) -> 2.667
        self.plan.low_score_ticket = "complaint"
        answers = [(10, 5, self.team_sh), (9, 5, self.team_sh), (8, 4, self.team_sh),
                   (7, 4, self.team_hz), (6, 3, self.team_hz), (0, 1, self.team_hz)]  # fmt: skip
        followups = self.Followup
        for nps, overall, team in answers:
            followups |= self._answered_30d(nps, overall, team)
        # one more closed ticket whose 30 d invitation stays unanswered
        unanswered_ticket = self.close_ticket(team_id=self.team_sh.id)
        self.run_job(CLOSED_AT + timedelta(days=30, hours=1))
        unanswered = self.followup(unanswered_ticket, self.step_30d)
        self.assertEqual(unanswered.state, "pending")

        self.assertEqual(followups.mapped("nps_value"), [100, 100, 0, 0, -100, -100])
        Report = self.env["aftersales.followup.report"].with_user(self.manager)
        invitations = [("kind", "=", "invitation"), ("step_id", "=", self.step_30d.id)]
        [(nps, csat, quality, rate, count)] = Report._read_group(
            invitations, [], ["nps:avg", "csat:avg", "csat_quality:avg", "response_rate:avg", "answer_count:sum"]
        )
        self.assertEqual(nps, 0.0)
        self.assertAlmostEqual(csat, 22 / 6)
        self.assertAlmostEqual(quality, 22 / 6)
        self.assertAlmostEqual(rate, 600 / 7, msg="6 answers out of 7 invitations")
        self.assertEqual(count, 6)
        # the count is of invitations (and closed tickets), not of the rows of totals behind them
        [(invitation_count,)] = Report._read_group(invitations, [], ["__count"])
        self.assertEqual(invitation_count, 7)

        by_team = {
            team: (nps, csat)
            for team, nps, csat in Report._read_group(invitations, ["team_id"], ["nps:avg", "csat:avg"])
        }
        # Shanghai: 10, 9, 8 -> 2 promoters of 3 = 66.7; Hangzhou: 7, 6, 0 -> 2 detractors of 3 = -66.7
        self.assertAlmostEqual(by_team[self.team_sh][0], 200 / 3)
        self.assertAlmostEqual(by_team[self.team_hz][0], -200 / 3)
        self.assertAlmostEqual(by_team[self.team_sh][1], 14 / 3)
        self.assertAlmostEqual(by_team[self.team_hz][1], 8 / 3)

        # coverage: closed tickets with a completed follow-up; the detractors opened
        # complaint tickets, which are not closed and do not count
        [(coverage, closed, ticket_count)] = Report._read_group(
            [("kind", "=", "ticket")], [], ["coverage:avg", "closed_count:sum", "__count"]
        )
        self.assertEqual((closed, ticket_count), (7, 7))
        self.assertAlmostEqual(coverage, 600 / 7)
        # by month: everything was closed in March 2026
        [(month, nps_month)] = Report._read_group(invitations, ["date:month"], ["nps:avg"])
        self.assertEqual((month.year, month.month, nps_month), (2026, 4, 0.0))

        # the scores on the records people open
        self.assertAlmostEqual(self.tech_a.csat_score, 22 / 6, places=2)
        self.assertAlmostEqual(self.tech_a.nps, 0.0, places=2)
        self.assertAlmostEqual(self.portal_user.partner_id.aftersales_nps, 0.0, places=2)
        self.assertAlmostEqual(self.portal_user.partner_id.aftersales_csat_score, 22 / 6, places=2)
        self.assertAlmostEqual(self.laptop.product_tmpl_id.aftersales_nps, 0.0, places=2)
        self.assertEqual(followups[0].ticket_id.followup_nps, 100.0)
        self.assertEqual(followups[0].ticket_id.followup_csat_score, 5.0)

    def test_csat_per_dimension(self):
        # 24 h answers: (quality, attitude, speed) = (5, 4, 3) and (2, 4, 5)
        followups = self.Followup
        for quality, attitude, speed in ((5, 4, 3), (2, 4, 5)):
            ticket = self.close_ticket()
            self.run_job(CLOSED_AT + timedelta(hours=25))
            followup = self.followup(ticket, self.step_24h)
            self.answer(
                followup,
                {
                    self.q["24h_solved"]: self.a["24h_solved_yes"].id,
                    self.q["24h_quality"]: quality,
                    self.q["24h_attitude"]: attitude,
                    self.q["24h_speed"]: speed,
                },
            )
            followups |= followup
        Report = self.env["aftersales.followup.report"].with_user(self.manager)
        [(quality, attitude, speed, csat, nps)] = Report._read_group(
            [("kind", "=", "invitation"), ("step_id", "=", self.step_24h.id)],
            [],
            ["csat_quality:avg", "csat_attitude:avg", "csat_speed:avg", "csat:avg", "nps:avg"],
        )
        self.assertEqual((quality, attitude, speed), (3.5, 4.0, 4.0))
        self.assertAlmostEqual(csat, (12 / 3 + 11 / 3) / 2)
        self.assertIs(nps, False, "no NPS question at 24 hours: no NPS, not a zero")
        # quality 2 is a low score: the second answer opened a complaint
        self.assertEqual(followups.mapped(lambda f: bool(f.followthrough_ticket_id)), [False, True])


@tagged("post_install", "-at_install")
class TestKpiTotals(AftersalesSurveyCommon):
    """The running totals the report reads always equal a recount from the raw
    follow-ups and tickets, whatever happened to them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.aftersales_survey_fatigue_days = 0
        cls.Kpi = cls.env["aftersales.followup.kpi"]

    def assertTotalsMatchRecount(self):
        totals, recount = self.Kpi._kpi_totals(), self.Kpi._kpi_recount()
        recount = {key: values for key, values in recount.items() if any(values)}
        self.assertEqual(set(totals), set(recount), "the same keys")
        for key, values in recount.items():
            for got, expected in zip(totals[key], values, strict=True):
                self.assertAlmostEqual(float(got), float(expected), places=4, msg=f"totals of {key}")
        return totals

    def _by_team(self, model, kind):
        Model = self.env[model].with_user(self.manager)
        return {
            team: tuple(round(value or 0.0, 6) for value in values)
            for team, *values in Model._read_group(
                [("kind", "=", kind), ("team_id", "in", (self.team_sh | self.team_hz).ids)],
                ["team_id"],
                ["nps:avg", "csat:avg", "csat_quality:avg", "response_rate:avg", "coverage:avg"],
            )
        }

    def test_totals_equal_recount(self):
        self.plan.low_score_ticket = "complaint"
        tickets = [
            self.close_ticket(team_id=team.id, technician_id=tech.id, product_id=product.id)
            for team, tech, product in (
                (self.team_sh, self.tech_a, self.laptop),
                (self.team_sh, self.tech_b, self.printer),
                (self.team_sh, self.tech_a, self.laptop),
                (self.team_hz, self.tech_c, self.laptop),
                (self.team_hz, self.tech_c, self.printer),
            )
        ]
        self.run_job(CLOSED_AT + timedelta(hours=25))
        # 24 h answers: a good one in Shanghai, a poor one in Hangzhou (opens a complaint)
        for ticket, scores in ((tickets[0], (5, 4, 3)), (tickets[3], (1, 2, 3))):
            self.answer(
                self.followup(ticket, self.step_24h),
                {
                    self.q["24h_solved"]: self.a["24h_solved_yes"].id,
                    self.q["24h_quality"]: scores[0],
                    self.q["24h_attitude"]: scores[1],
                    self.q["24h_speed"]: scores[2],
                },
            )
        self.assertTotalsMatchRecount()
        # 7 d by phone: one customer refuses, the invitation no longer counts
        self.run_job(CLOSED_AT + timedelta(days=7, hours=1))
        self.followup(tickets[1], self.step_7d).with_user(self.manager)._register_call("refused")
        # 30 d: NPS 10 and 8 in Shanghai, 3 in Hangzhou
        self.run_job(CLOSED_AT + timedelta(days=30, hours=1))
        for ticket, nps in ((tickets[0], 10), (tickets[1], 8), (tickets[4], 3)):
            self.answer(self.followup(ticket, self.step_30d), {self.q["30d_nps"]: nps, self.q["30d_overall"]: 4})
        before = self.assertTotalsMatchRecount()
        self.assertEqual(
            self._by_team("aftersales.followup.report", "invitation"),
            self._by_team("aftersales.followup.analysis", "invitation"),
            "the monthly totals and the detailed analysis agree",
        )

        # a corrected answer (re-recorded by an agent), a deleted follow-up, a ticket moved to another team
        self.followup(tickets[1], self.step_30d)._write_facts({"nps_score": 2, "nps_value": -100})
        self.followup(tickets[0], self.step_24h).sudo().unlink()
        tickets[2].sudo().write({"team_id": self.team_hz.id})
        totals = self.assertTotalsMatchRecount()
        self.assertNotEqual(totals, before)
        for kind in ("invitation", "ticket"):
            self.assertEqual(
                self._by_team("aftersales.followup.report", kind), self._by_team("aftersales.followup.analysis", kind)
            )
        # Shanghai: 30 d NPS 10 and (corrected) 2 -> 1 promoter, 1 detractor of 2 = 0;
        # Hangzhou: 3 -> -100
        report = self._by_team("aftersales.followup.report", "invitation")
        self.assertEqual(report[self.team_sh][0], 0.0)
        self.assertEqual(report[self.team_hz][0], -100.0)
        # coverage: Shanghai keeps tickets 0 (30 d answered) and 1 (30 d answered): 100 %;
        # Hangzhou has 2 (moved, unanswered), 3 (24 h answered), 4 (30 d answered): 2 of 3
        coverage = self._by_team("aftersales.followup.report", "ticket")
        self.assertEqual(coverage[self.team_sh][4], 100.0)
        self.assertAlmostEqual(coverage[self.team_hz][4], 200 / 3, places=4)

        # the job merges the rows of each key: one row per key, same totals
        rows_before = self.Kpi.search_count([])
        self.run_job(CLOSED_AT + timedelta(days=31))
        self.assertEqual(set(self.assertTotalsMatchRecount()), set(totals))
        self.assertLess(self.Kpi.search_count([]), rows_before)
        self.assertEqual(self.Kpi.search_count([]), len(totals))

    def test_ticket_created_closed_counts_once(self):
        """A consultation entered straight into the archive stage is closed
        while it is created: its closing counts once in the totals."""
        with freeze_time(CLOSED_AT):
            ticket = self.create_ticket(
                partner_id=self.portal_user.partner_id.id, category="consultation", stage_id=self.stage["archive"].id
            )
        self.assertTrue(ticket.date_closed)
        self.assertTrue(self.assertTotalsMatchRecount(), "counted, once: the totals equal a recount")

    def test_report_is_kept_by_month(self):
        Report = self.env["aftersales.followup.report"].with_user(self.manager)
        with self.assertRaisesRegex(UserError, "Satisfaction and NPS are kept by month"):
            Report._read_group([], ["date:week"], ["nps:avg"])
        self.assertEqual(Report._read_group([("team_id", "=", self.team_sh.id)], ["date:quarter"], ["__count"]), [])
