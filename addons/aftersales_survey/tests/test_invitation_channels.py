from datetime import timedelta

from odoo.addons.sms.tests.common import SMSCase
from odoo.tests import tagged

from .common import CLOSED_AT, AftersalesSurveyCommon

MOBILE = "+86 139 0013 9000"
DUE = CLOSED_AT + timedelta(hours=24, minutes=5)


@tagged("post_install", "-at_install")
class TestInvitationChannels(AftersalesSurveyCommon, SMSCase):
    """The follow-up invitation goes on the customer's preferred channel, as
    the ticket's notices do: SMS (Odoo's sms queue, test mode) or e-mail,
    never both; the opt-out stops both."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.portal_user.partner_id
        cls.partner.write({"aftersales_notice_channel": "sms", "phone": MOBILE})

    def _mails(self, followups):
        return self.env["mail.mail"].search([("model", "=", "aftersales.followup"), ("res_id", "in", followups.ids)])

    def _due_followup(self):
        ticket = self.close_ticket()
        self.env.cr.flush()  # the ticket's own notices are sent with its transaction
        return self.followup(ticket, self.step_24h)

    def test_sms_customer_is_invited_by_sms_only(self):
        followup = self._due_followup()
        with self.mockSMSGateway():
            self.run_job(DUE)
        self.assertEqual(followup.state, "pending")
        token = followup.user_input_id.access_token
        self.assertSMSOutgoing(self.partner, self.partner.phone_sanitized, content=token)
        self.assertFalse(self._mails(followup), "no e-mail invitation as well")
        sms_message = followup.ticket_id.message_ids.filtered(
            lambda m: m.message_type == "sms" and token in str(m.body)
        )
        self.assertEqual(len(sms_message), 1, "the invitation is in the ticket's chatter")
        with self.mockSMSGateway():
            self.run_job(DUE + timedelta(hours=1))
        self.assertFalse(self._new_sms, "invited once")

    def test_customer_without_mobile_is_invited_by_email(self):
        self.partner.phone = False
        followup = self._due_followup()
        with self.mockSMSGateway():
            self.run_job(DUE)
        self.assertFalse(self._new_sms)
        mail = self._mails(followup)
        self.assertEqual(len(mail), 1)
        self.assertIn(followup.user_input_id.access_token, mail.body_html)
        note = followup.ticket_id.message_ids.filtered(
            lambda m: "no mobile number" in str(m.body) and "follow-up survey" in str(m.body)
        )
        self.assertEqual(len(note), 1, "the ticket's chatter says why it went by e-mail")

    def test_opted_out_customer_gets_neither(self):
        self.partner.aftersales_notice_opt_out = True
        followup = self._due_followup()
        with self.mockSMSGateway():
            self.run_job(DUE)
        self.assertEqual((followup.state, followup.skip_reason), ("skipped", "opt_out"))
        self.assertFalse(self._new_sms)
        self.assertFalse(self._mails(followup))
