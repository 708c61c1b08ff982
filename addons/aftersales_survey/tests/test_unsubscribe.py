import json
import re
from datetime import timedelta

from odoo.tests import HttpCase, freeze_time, tagged

from .common import CLOSED_AT, AftersalesSurveyCommon


@tagged("post_install", "-at_install")
class TestOptOut(AftersalesSurveyCommon):
    """Issue 16: a contact who opted out is still surveyed (only the company flag is read)."""

    def _sent_24h(self, ticket):
        self.run_job(CLOSED_AT + timedelta(hours=25))
        return self.followup(ticket, self.step_24h)

    def test_contact_opt_out_without_the_company_flag(self):
        contact = self.portal_user.partner_id
        contact.aftersales_survey_opt_out = True
        self.assertFalse(contact.commercial_partner_id.aftersales_survey_opt_out)
        followup = self._sent_24h(self.close_ticket())
        self.assertEqual((followup.state, followup.skip_reason), ("skipped", "opt_out"))
        self.assertFalse(followup.sudo().user_input_ids, "no answer token made")
        # a colleague of the same company who did not opt out is surveyed
        colleague = self.env["res.partner"].create(
            {"name": "Acme colleague", "parent_id": self.customer.id, "email": "colleague@acme.example"}
        )
        self.assertEqual(self._sent_24h(self.close_ticket(partner=colleague)).state, "pending")

    def test_one_rule_for_notices_and_surveys(self):
        # the company opted out of the service notices: none of its contacts is surveyed either
        self.customer.aftersales_notice_opt_out = True
        Partner = self.env["res.partner"]
        other = Partner.create({"name": "Solo", "email": "solo@example.com"})
        contacts = self.portal_user.partner_id | self.customer | other
        self.assertEqual(contacts._aftersales_survey_opted_out(), self.portal_user.partner_id | self.customer)
        self.assertEqual(
            contacts._aftersales_opted_out(["aftersales_notice_opt_out"]), self.portal_user.partner_id | self.customer
        )
        followup = self._sent_24h(self.close_ticket())
        self.assertEqual((followup.state, followup.skip_reason), ("skipped", "opt_out"))

    def test_every_invitation_carries_the_unsubscribe_link(self):
        ticket = self.close_ticket()
        followup = self._sent_24h(ticket)
        mail = self.env["mail.mail"].search([("model", "=", "aftersales.followup"), ("res_id", "=", followup.id)])
        partner = self.portal_user.partner_id
        self.assertIn(
            f"/aftersales/survey/unsubscribe/{partner.id}?token={partner._aftersales_survey_unsubscribe_token()}",
            mail.body_html.replace("&amp;", "&"),
        )
        self.assertNotEqual(
            partner._aftersales_survey_unsubscribe_token(), self.customer._aftersales_survey_unsubscribe_token()
        )


@tagged("post_install", "-at_install")
class TestUnsubscribeRoute(AftersalesSurveyCommon, HttpCase):
    def setUp(self):
        super().setUp()
        self.ticket = self.close_ticket()
        self.run_job(CLOSED_AT + timedelta(hours=25))
        self.partner = self.portal_user.partner_id
        self.url = f"/aftersales/survey/unsubscribe/{self.partner.id}"

    def _next_call(self):
        self.run_job(CLOSED_AT + timedelta(days=7, hours=1))
        return self.followup(self.ticket, self.step_7d)

    def test_wrong_or_no_token_changes_nothing(self):
        stranger_token = self.portal_other.partner_id._aftersales_survey_unsubscribe_token()
        for query in ("", "?token=", "?token=not-the-token", f"?token={stranger_token}"):
            with self.subTest(query=query):
                response = self.url_open(self.url + query)
                self.assertEqual(response.status_code, 403)
        self.assertEqual(self.url_open("/aftersales/survey/unsubscribe/999999?token=x").status_code, 403)
        self.assertFalse(self.partner.aftersales_survey_opt_out)
        self.assertEqual(self._next_call().state, "pending", "still surveyed")

    def test_right_token_opts_the_contact_out(self):
        response = self.url_open(f"{self.url}?token={self.partner._aftersales_survey_unsubscribe_token()}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("You will not be asked to answer follow-up surveys any more.", response.text)
        self.assertTrue(self.partner.aftersales_survey_opt_out)
        self.assertFalse(self.customer.aftersales_survey_opt_out, "the contact, not the whole company")
        call = self._next_call()
        self.assertEqual((call.state, call.skip_reason), ("skipped", "opt_out"), "the next follow-up is not sent")


@tagged("post_install", "-at_install")
class TestCustomerAnswersAndUnsubscribes(AftersalesSurveyCommon, HttpCase):
    """A customer answers their follow-up from the e-mailed link and unsubscribes
    from it; the technician's view of the follow-up shows no answer link."""

    def test_answer_and_unsubscribe_from_the_email(self):
        ticket = self.close_ticket()
        self.run_job(CLOSED_AT + timedelta(hours=25))
        followup = self.followup(ticket, self.step_24h)
        user_input = followup.sudo().user_input_id
        mail = self.env["mail.mail"].search([("model", "=", "aftersales.followup"), ("res_id", "=", followup.id)])
        links = [
            link.replace("&amp;", "&").replace(followup.get_base_url(), "")
            for link in re.findall(r'href="([^"]+)"', mail.body_html)
        ]
        [answer_link] = [link for link in links if "/survey/start/" in link]
        [unsubscribe_link] = [link for link in links if "/aftersales/survey/unsubscribe/" in link]

        # the customer, logged out, opens the survey from the e-mail and answers it
        with freeze_time(CLOSED_AT + timedelta(hours=30)):
            page = self.url_open(answer_link)
            self.assertEqual(page.status_code, 200)
            self.assertIn("Service follow-up: how was our service?", page.text)
            answers = {
                self.q["24h_solved"]: self.a["24h_solved_yes"].id,
                self.q["24h_quality"]: 4,
                self.q["24h_attitude"]: 5,
                self.q["24h_speed"]: 4,
            }
            self.make_jsonrpc_request(
                f"/survey/submit/{self.survey_24h.access_token}/{user_input.access_token}",
                {str(question.id): str(value) for question, value in answers.items()},
            )
            # ... then unsubscribes from the same e-mail
            page = self.url_open(unsubscribe_link)
            self.assertEqual(page.status_code, 200)
        self.assertEqual(followup.state, "answered")
        self.assertEqual((followup.csat_quality, followup.csat_attitude), (4, 5))
        self.assertTrue(self.portal_user.partner_id.aftersales_survey_opt_out)
        self.run_job(CLOSED_AT + timedelta(days=30, hours=1))
        self.assertEqual(self.followup(ticket, self.step_30d).skip_reason, "opt_out", "no more invitations")

        # the technician opens the follow-up in the web client: no answer or unsubscribe link
        self.authenticate(self.tech_user_a.login, self.tech_user_a.login)
        views = self.make_jsonrpc_request(
            "/web/dataset/call_kw/aftersales.followup/get_views",
            {"model": "aftersales.followup", "method": "get_views", "args": [[[False, "form"]]], "kwargs": {}},
        )
        spec = {fname: {} for fname in views["models"]["aftersales.followup"]["fields"]}
        record = self.make_jsonrpc_request(
            "/web/dataset/call_kw/aftersales.followup/web_read",
            {
                "model": "aftersales.followup",
                "method": "web_read",
                "args": [[followup.id]],
                "kwargs": {"specification": spec},
            },
        )
        self.assertEqual(record[0]["state"], "answered", "the technician sees the follow-up and its state")
        shown = json.dumps([views, record])
        for secret in (user_input.access_token, "answer_token", "/aftersales/survey/unsubscribe/"):
            self.assertNotIn(secret, shown)
