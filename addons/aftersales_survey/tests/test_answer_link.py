import json
from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import CLOSED_AT, AftersalesSurveyCommon


@tagged("post_install", "-at_install")
class TestAnswerLinkIsTheCustomers(AftersalesSurveyCommon):
    """Issue 16: the technician being rated reads the follow-up's survey link and
    answers 5/5 as the customer. Staff see that an invitation went out and its
    state; the answer token never reaches them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls.close_ticket()

    def _invited(self, step, when):
        self.run_job(when)
        followup = self.followup(self.ticket, step)
        self.assertEqual(followup.state, "pending")
        token = followup.sudo().user_input_id.access_token
        self.assertTrue(token)
        return followup, token

    def _form_read(self, followup, user):
        """What the follow-up form loads for ``user``: its view and the values of its fields."""
        Followup = self.Followup.with_user(user)
        views = Followup.get_views([(False, "form")])
        spec = {fname: {} for fname in views["models"]["aftersales.followup"]["fields"]}
        return views, followup.with_user(user).web_read(spec)

    def assertNoToken(self, token, result, where):
        self.assertNotIn(token, json.dumps(result, default=str), f"the answer token leaked through {where}")

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_rated_technician_never_obtains_the_answer_token(self):
        followup, token = self._invited(self.step_24h, CLOSED_AT + timedelta(hours=25))
        self.assertTrue(self.env["mail.mail"].search([("body_html", "like", token)]), "the customer got the link")
        tech = followup.with_user(self.tech_user_a)
        self.assertEqual(followup.technician_id.user_id, self.tech_user_a, "the technician being rated")
        # what staff see: that an invitation went out, when, and its state
        [values] = tech.read(["state", "date_sent", "date_expire", "channel"])
        self.assertEqual((values["state"], values["date_sent"]), ("pending", CLOSED_AT + timedelta(hours=25)))
        # read() of every field the technician may read, search_read(), the form
        self.assertNoToken(token, tech.read(), "read()")
        self.assertNoToken(token, self.Followup.with_user(self.tech_user_a).search_read([]), "search_read()")
        views, values = self._form_read(followup, self.tech_user_a)
        self.assertNoToken(token, [views, values], "the form")
        for fname in ("survey_url", "unsubscribe_url", "user_input_id", "user_input_ids"):
            with self.subTest(field=fname), self.assertRaisesRegex(AccessError, f'access the field "{fname}"'):
                tech.read([fname])
            self.assertNotIn(fname, views["models"]["aftersales.followup"]["fields"])
        # the answer itself, the invitation e-mail through the follow-up, the actions
        answer = followup.sudo().user_input_id
        with self.assertRaisesRegex(AccessError, r"You are not allowed to access '.*' \(survey\.user_input\) records"):
            answer.with_user(self.tech_user_a).read(["access_token"])
        messages = (
            self.env["mail.message"]
            .with_user(self.tech_user_a)
            .search_read([("model", "=", "aftersales.followup"), ("res_id", "=", followup.id)], ["body"])
        )
        self.assertNoToken(token, messages, "the invitation message")
        self.assertNoToken(token, tech.action_open_ticket(), "action_open_ticket")
        with self.assertRaisesRegex(AccessError, "Recording phone follow-ups needs the After-sales right"):
            tech.action_open_call_wizard()
        # a phone follow-up later e-mailed by the agent: neither the technician nor the agent reads the link
        call, call_token = self._invited(self.step_7d, CLOSED_AT + timedelta(days=7, hours=1))
        call.with_user(self.agent)._register_call("wrong_number")
        self.assertTrue(self.env["mail.mail"].search([("body_html", "like", call_token)]))
        for user in (self.tech_user_a, self.agent):
            with self.subTest(user=user.login):
                messages = (
                    self.env["mail.message"]
                    .with_user(user)
                    .search_read([("model", "=", "aftersales.followup"), ("res_id", "=", call.id)], ["body"])
                )
                self.assertNoToken(call_token, messages, "the e-mail the agent's call triggered")
                self.assertNoToken(call_token, call.with_user(user).read(), "read()")
                self.assertNoToken(call_token, self._form_read(call, user), "the form")

    def test_answers_are_linked_by_the_job_only(self):
        followup, _token = self._invited(self.step_24h, CLOSED_AT + timedelta(hours=25))
        # an answer of one's own, linked to the follow-up, would be recorded as the customer's
        with self.assertRaisesRegex(AccessError, "linked to after-sales follow-ups by the follow-up job only"):
            self.env["survey.user_input"].sudo().create(
                {"survey_id": self.survey_24h.id, "aftersales_followup_id": followup.id}
            )
        mine = self.env["survey.user_input"].sudo().create({"survey_id": self.survey_24h.id})
        with self.assertRaisesRegex(AccessError, "linked to after-sales follow-ups by the follow-up job only"):
            mine.write({"aftersales_followup_id": followup.id})
        self.assertEqual(followup.sudo().user_input_ids, followup.sudo().user_input_id)

    def _call_wizard(self, followup):
        action = followup.with_user(self.agent).action_open_call_wizard()
        return Form(self.env[action["res_model"]].with_user(self.agent).with_context(**action["context"]))

    def test_call_wizard_answers_the_followups_own_survey_only(self):
        call, _token = self._invited(self.step_7d, CLOSED_AT + timedelta(days=7, hours=1))
        with self._call_wizard(call) as wizard:
            wizard.outcome = "reached"
            with wizard.line_ids.edit(0) as line:
                line.suggested_answer_id = self.a["7d_recurred_no"]
            with wizard.line_ids.edit(1) as line:
                line.value_text = "All good"
        # another survey's question slipped into the lines (over RPC)
        wizard.record.line_ids[1].question_id = self.q["24h_quality"]
        wizard.record.line_ids[1].value_scale = 5
        with self.assertRaisesRegex(UserError, "its own survey"):
            wizard.record.action_confirm()
        # another question's choice
        wizard.record.line_ids[1].question_id = self.q["7d_recurred"]
        wizard.record.line_ids[1].suggested_answer_id = self.a["24h_solved_yes"]
        with self.assertRaisesRegex(UserError, "its own answers"):
            wizard.record.action_confirm()
        self.assertEqual(call.state, "pending")
        self.assertFalse(call.sudo().user_input_id.user_input_line_ids, "nothing half-written")
        self.assertFalse(call.call_ids)
