from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import AftersalesSurveyCommon


@tagged("post_install", "-at_install")
class TestUi(AftersalesSurveyCommon, HttpCase):
    def test_customer_answers_and_manager_reads_nps(self):
        now = fields.Datetime.now()
        ticket = self.close_ticket(when=now - timedelta(days=2), team_id=self.team_sh.id)
        self.run_job(now)
        followup = self.followup(ticket, self.step_24h)
        self.assertEqual(followup.state, "pending")
        link = followup.survey_url.replace(followup.get_base_url(), "")

        # the customer follows the emailed link, without logging in
        self.start_tour(link, "aftersales_survey_answer_tour")
        self.assertEqual(followup.state, "answered")
        self.assertEqual(
            (followup.problem_solved, followup.csat_quality, followup.csat_attitude, followup.csat_speed),
            ("yes", 5, 4, 5),
        )
        self.assertEqual(followup.answer_comment, "Quick and friendly technician")
        self.assertFalse(followup.followthrough_ticket_id)

        # Three customers answered their 30 days follow-up: NPS 10, 9 and 0, so 2 promoters and
        # 1 detractor of 3 answers: NPS 33.33 for Shanghai (the 24 hours survey asks no NPS).
        self.company.aftersales_survey_fatigue_days = 0
        older = [self.close_ticket(when=now - timedelta(days=31), team_id=self.team_sh.id) for _i in range(3)]
        self.run_job(now)
        for ticket, nps in zip(older, (10, 9, 0), strict=True):
            self.answer(self.followup(ticket, self.step_30d), {self.q["30d_nps"]: nps, self.q["30d_overall"]: 4})
        Report = self.env["aftersales.followup.report"].with_user(self.manager)
        [(nps,)] = Report._read_group([("team_id", "=", self.team_sh.id)], [], ["nps:avg"])
        self.assertAlmostEqual(nps, 100 / 3)
        # the manager reads that figure in the report (the tour fails on any other value)
        self.start_tour("/odoo/aftersales-satisfaction", "aftersales_survey_report_tour", login=self.manager.login)
