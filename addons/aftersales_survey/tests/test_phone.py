from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import CLOSED_AT, AftersalesSurveyCommon


@tagged("post_install", "-at_install")
class TestPhoneFollowup(AftersalesSurveyCommon):
    def setUp(self):
        super().setUp()
        self.ticket = self.close_ticket()
        self.run_job(CLOSED_AT + timedelta(days=7, hours=1))
        self.call = self.followup(self.ticket, self.step_7d)
        self.assertEqual((self.call.channel, self.call.state), ("phone", "pending"))

    def _wizard(self, user):
        action = self.call.with_user(user).action_open_call_wizard()
        return Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))

    def _mails(self):
        return self.env["mail.mail"].search([("model", "=", "aftersales.followup"), ("res_id", "=", self.call.id)])

    def test_agent_records_customer_answers(self):
        with self._wizard(self.agent) as wizard:
            wizard.outcome = "reached"
            self.assertEqual(len(wizard.line_ids), 2, "the 7 d survey: came back? and a comment")
            with wizard.line_ids.edit(0) as line:
                line.suggested_answer_id = self.a["7d_recurred_yes"]
            with wizard.line_ids.edit(1) as line:
                line.value_text = "It stops again after an hour."
            wizard.note = "Customer at the office, friendly."
        wizard.record.action_confirm()
        self.assertEqual(self.call.state, "answered")
        answer = self.call.user_input_id
        self.assertEqual(answer.state, "done")
        self.assertEqual(answer.partner_id, self.portal_user.partner_id, "answers of the customer, not the agent")
        self.assertEqual(
            answer.user_input_line_ids.filtered(
                lambda line: line.question_id == self.q["7d_recurred"]
            ).suggested_answer_id,
            self.a["7d_recurred_yes"],
        )
        self.assertEqual(self.call.answer_comment, "It stops again after an hour.")
        self.assertEqual(self.call.call_ids.mapped("outcome"), ["reached"])
        self.assertEqual(self.call.call_ids.user_id, self.agent)
        # the fault came back: a rework ticket for the manager
        self.assertEqual(self.call.followthrough_ticket_id.rework_of_id, self.ticket)

    def test_missing_answer_is_refused(self):
        with self._wizard(self.agent) as wizard:
            wizard.outcome = "reached"
        with self.assertRaisesRegex(UserError, "Did the fault come back"):
            wizard.record.action_confirm()
        self.assertEqual(self.call.state, "pending")
        self.assertFalse(self.call.call_ids, "nothing half-written")

    def test_three_unanswered_calls_send_the_email(self):
        for attempt in range(1, 4):
            with self._wizard(self.agent) as wizard:
                wizard.outcome = "no_answer"
            wizard.record.action_confirm()
            self.assertEqual(self.call.no_answer_count, attempt)
            if attempt < 3:
                self.assertFalse(self._mails(), "still the agent's call")
                self.assertEqual(self.call.channel, "phone")
        self.assertEqual(self.call.channel, "email")
        self.assertEqual(self.call.state, "pending")
        mail = self._mails()
        self.assertEqual(len(mail), 1)
        self.assertIn(self.call.user_input_id.access_token, mail.body_html)
        self.assertEqual(self.call.call_ids.mapped("outcome"), ["no_answer"] * 3)
        self.assertIn("could not be reached", self.ticket.message_ids[0].body)

    def test_refusal_and_roles(self):
        with self.assertRaisesRegex(AccessError, "Recording phone follow-ups needs the After-sales right"):
            self._wizard(self.tech_user_a)  # technicians do not make follow-up calls
        with self._wizard(self.agent) as wizard:
            wizard.outcome = "refused"
        wizard.record.action_confirm()
        self.assertEqual((self.call.state, self.call.skip_reason), ("skipped", "refused"))
        with self.assertRaisesRegex(UserError, "Only invited phone follow-ups can be called"):
            self.call.with_user(self.agent).action_open_call_wizard()
