from datetime import timedelta

from odoo.tests import HttpCase, freeze_time, tagged

from .common import CLOSED_AT, AftersalesSurveyCommon


@tagged("post_install", "-at_install")
class TestSurveyPortal(AftersalesSurveyCommon, HttpCase):
    def setUp(self):
        super().setUp()
        self.ticket = self.close_ticket()
        self.run_job(CLOSED_AT + timedelta(hours=25))
        self.followup = self.followup(self.ticket, self.step_24h)
        self.user_input = self.followup.user_input_id
        self.survey = self.survey_24h

    def _submit(self, answers):
        post = {str(question.id): str(value) for question, value in answers.items()}
        url = f"/survey/submit/{self.survey.access_token}/{self.user_input.access_token}"
        return self.make_jsonrpc_request(url, post)

    def _answers(self):
        return {
            self.q["24h_solved"]: self.a["24h_solved_yes"].id,
            self.q["24h_quality"]: 5,
            self.q["24h_attitude"]: 4,
            self.q["24h_speed"]: 5,
            self.q["24h_comment"]: "Fast and friendly",
        }

    def test_customer_answers_from_the_emailed_link(self):
        link = self.followup.survey_url
        self.assertIn(f"answer_token={self.user_input.access_token}", link)
        with freeze_time(CLOSED_AT + timedelta(hours=30)):
            page = self.url_open(link.replace(self.followup.get_base_url(), ""))
            self.assertEqual(page.status_code, 200)
            self.assertIn("Service follow-up: how was our service?", page.text)
            self.assertNotIn("Survey Access Error", page.text)
            self._submit(self._answers())
        self.assertEqual(self.user_input.state, "done")
        self.assertEqual(self.followup.state, "answered")
        self.assertEqual((self.followup.csat_quality, self.followup.csat_speed), (5, 5))
        self.assertEqual(self.followup.answer_comment, "Fast and friendly")
        self.assertFalse(self.followup.followthrough_ticket_id)

    def test_logged_in_customer_sees_the_link_on_the_ticket_page(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        with freeze_time(CLOSED_AT + timedelta(hours=30)):
            page = self.url_open(f"/my/tickets/{self.ticket.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.user_input.access_token, page.text)
        self.assertIn("Service follow-up: how was our service?", page.text)
        # a colleague of the same customer company sees the ticket, not this customer's survey link
        colleague = self.env["res.users"].create(
            {
                "name": "Acme colleague",
                "login": "as_portal_colleague",
                "password": "as_portal_colleague",
                "group_ids": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        colleague.partner_id.parent_id = self.customer
        self.authenticate("as_portal_colleague", "as_portal_colleague")
        with freeze_time(CLOSED_AT + timedelta(hours=30)):
            page = self.url_open(f"/my/tickets/{self.ticket.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Does not power on", page.text)
        self.assertNotIn(self.user_input.access_token, page.text)

    def test_other_customer_token_is_refused(self):
        self.authenticate(self.portal_other.login, self.portal_other.login)
        with freeze_time(CLOSED_AT + timedelta(hours=30)):
            page = self.url_open(
                f"/survey/start/{self.survey.access_token}?answer_token={self.user_input.access_token}"
            )
            self.assertIn("Survey Access Error", page.text)
            self.assertNotIn("Was your problem solved?", page.text)
            result = self._submit(self._answers())
        self.assertEqual(result[1], {"error": "answer_wrong_user"})
        self.assertEqual(self.followup.state, "pending")
        self.assertFalse(self.user_input.user_input_line_ids)

    def test_expired_invitation_says_so(self):
        after = self.followup.date_expire + timedelta(minutes=1)
        self.run_job(after)
        self.assertEqual(self.followup.state, "expired")
        with freeze_time(after):
            page = self.url_open(
                f"/survey/start/{self.survey.access_token}?answer_token={self.user_input.access_token}"
            )
            self.assertIn("survey expired", page.text)
            result = self._submit(self._answers())
        self.assertEqual(result[1], {"error": "answer_deadline"})
        self.assertFalse(self.user_input.user_input_line_ids)

    def test_ticket_token_does_not_show_the_customers_survey_link(self):
        # Whoever holds the ticket's link (forwarded, or staff: internal users read the
        # ticket's token) sees the ticket logged out, not the customer's survey link.
        token = self.ticket._portal_ensure_token()
        with freeze_time(CLOSED_AT + timedelta(hours=30)):
            page = self.url_open(f"/my/tickets/{self.ticket.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Does not power on", page.text)
        self.assertNotIn(self.user_input.access_token, page.text)
        self.assertNotIn("o_aftersales_followup_answer", page.text)
