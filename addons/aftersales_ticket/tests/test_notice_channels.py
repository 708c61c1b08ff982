from odoo.addons.sms.tests.common import SMSCase
from odoo.tests import tagged

from .common import AftersalesCommon

MOBILE = "+86 138 0013 8000"


@tagged("post_install", "-at_install")
class TestNoticeChannels(AftersalesCommon, SMSCase):
    """The customer's preferred channel: e-mail, or SMS through Odoo's sms
    module (sms.sms queued for Odoo's SMS queue, test mode here), one channel
    per notice, the opt-out stopping both."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.team_sh | cls.team_hz).auto_dispatch = False
        cls.customer.write({"aftersales_notice_channel": "sms", "phone": MOBILE})

    def _commit(self):
        """What a commit runs first: the queued notices are sent."""
        self.env.cr.flush()
        self.env.invalidate_all()

    def _emails(self, ticket, subject):
        return ticket.message_ids.filtered(lambda m: m.subject and subject in m.subject)

    def _sms_messages(self, ticket):
        return ticket.message_ids.filtered(lambda m: m.message_type == "sms")

    def _outbox(self, partner):
        return self.env["mail.mail"].sudo().search([("recipient_ids", "in", partner.ids)])

    def test_sms_customer_gets_the_acknowledgement_by_sms_only(self):
        with self.mockSMSGateway():
            ticket = self.create_ticket()
            self._commit()
        self.assertSMSOutgoing(self.customer, self.customer.phone_sanitized, content=ticket.number)
        self.assertSMSOutgoing(self.customer, self.customer.phone_sanitized, content=f"/my/tickets/{ticket.id}")
        sms_message = self._sms_messages(ticket)
        self.assertEqual(len(sms_message), 1, "the SMS is in the ticket's chatter")
        self.assertEqual(sms_message.partner_ids, self.customer)
        self.assertFalse(self._emails(ticket, "we received"), "no e-mail acknowledgement as well")
        self.assertFalse(self._outbox(self.customer), "nothing for the customer in the e-mail outbox")
        # the same notice again, the customer now preferring e-mail: not sent a second time
        self.customer.aftersales_notice_channel = "email"
        with self.mockSMSGateway():
            ticket._notice_queue("ack")
            self._commit()
        self.assertFalse(self._emails(ticket, "we received"), "an acknowledgement already sent by SMS")
        self.assertFalse(self._new_sms)

    def test_acceptance_link_by_sms(self):
        ticket = self.create_ticket(technician_id=self.tech_a.id)
        self._commit()
        with self.mockSMSGateway():
            ticket.stage_id = self.stage["acceptance"]
            self._commit()
        link = ticket.get_portal_url().split("?")[0]
        self.assertSMSOutgoing(self.customer, self.customer.phone_sanitized, content=link)
        self.assertFalse(self._emails(ticket, "please check and sign"))

    def test_notice_without_sms_version_goes_by_email(self):
        """The closing notice has no SMS version: it goes by e-mail, once."""
        ticket = self.create_ticket(technician_id=self.tech_a.id)
        ticket.action_waive_acceptance()
        with self.mockSMSGateway():
            ticket.write({"stage_id": self.stage["archive"].id, "solution": "<p>Replaced the power board.</p>"})
            self._commit()
        self.assertEqual(len(self._emails(ticket, "is closed")), 1)
        self.assertNotIn("is closed", " ".join(self._new_sms.mapped("body")))

    def test_no_mobile_falls_back_to_email_and_says_so(self):
        self.customer.phone = False
        with self.mockSMSGateway():
            ticket = self.create_ticket()
            self._commit()
        self.assertFalse(self._new_sms, "no SMS without a mobile number")
        self.assertEqual(len(self._emails(ticket, "we received")), 1, "the acknowledgement goes by e-mail")
        note = ticket.message_ids.filtered(lambda m: "no mobile number" in str(m.body))
        self.assertEqual(len(note), 1, "the chatter says why it went by e-mail")
        self.assertIn("ticket received", str(note.body))

    def test_opted_out_customer_gets_neither(self):
        self.customer.aftersales_notice_opt_out = True
        with self.mockSMSGateway():
            ticket = self.create_ticket()
            self._commit()
        self.assertFalse(self._new_sms)
        self.assertFalse(self._emails(ticket, "we received"))
        self.assertFalse(self._outbox(self.customer))

    def test_technician_notice_never_goes_by_sms(self):
        """The assignment notice is for the technician, always in the chatter."""
        with self.mockSMSGateway():
            ticket = self.create_ticket(technician_id=self.tech_a.id)
            self._commit()
        self.assertEqual(len(self._emails(ticket, "assigned to you")), 1)
        self.assertEqual(self._new_sms.partner_id, self.customer, "only the customer's acknowledgement is an SMS")

    def test_sms_in_the_customer_language(self):
        """The SMS templates are translated: a Chinese customer reads Chinese."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["aftersales_ticket"], ["zh_CN"], overwrite=True)
        self.customer.lang = "zh_CN"
        with self.mockSMSGateway():
            ticket = self.create_ticket()
            self._commit()
        self.assertSMSOutgoing(
            self.customer, self.customer.phone_sanitized, content=f"我们已受理您的服务请求 {ticket.number}"
        )
