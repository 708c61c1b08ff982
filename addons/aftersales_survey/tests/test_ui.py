from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import AftersalesSurveyCommon


@tagged("post_install", "-at_install")
class TestUi(AftersalesSurveyCommon, HttpCase):
    def test_customer_answers_and_manager_reads_nps(self):
        now = fields.Datetime.now()
        ticket = self.close_ticket(when=now - timedelta(days=2))
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

        self.start_tour("/odoo/aftersales-satisfaction", "aftersales_survey_report_tour", login=self.manager.login)
