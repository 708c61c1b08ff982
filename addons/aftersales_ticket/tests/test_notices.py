from unittest.mock import patch

from odoo.tests import tagged

from .common import AftersalesCommon
from .test_performance import MAIL_ON


class SerializationFailure(Exception):
    """Stands for the error that makes Odoo retry a request."""


@tagged("post_install", "-at_install")
class TestNotices(AftersalesCommon):
    """Notices as mail templates through the chatter, posted in the user's
    own transaction just before it commits, each at most once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.team_sh | cls.team_hz).auto_dispatch = False

    def _commit(self):
        """What a commit runs first (its precommit hooks): the queued notices
        are posted in the transaction, their emails queued in mail.mail."""
        self.env.cr.flush()
        self.env.invalidate_all()

    def _notices(self, ticket, subject):
        return ticket.message_ids.filtered(lambda m: m.subject and subject in m.subject)

    def test_acknowledgement_once(self):
        ticket = self.create_ticket()
        self.assertFalse(self._notices(ticket, "we received"), "nothing is sent before the commit")
        self._commit()
        ack = self._notices(ticket, "we received")
        self.assertEqual(len(ack), 1)
        self.assertIn(ticket.number, ack.subject)
        self.assertEqual(ack.partner_ids, self.customer)
        self.assertIn(f"/my/tickets/{ticket.id}", str(ack.body), "a link to the portal page")
        self.assertIn("access_token=", str(ack.body))
        self.assertFalse(ticket.date_first_response, "an automatic notice is not the first response")
        # the same transaction replayed after it committed: nothing new
        ticket._notice_queue("ack")
        self._commit()
        self.assertEqual(len(self._notices(ticket, "we received")), 1)

    def test_notice_goes_to_its_addressee_only(self):
        """The agent who created the ticket follows it, but is not mailed a
        copy of each acknowledgement: it is the customer's."""
        ticket = (
            self.Ticket.with_user(self.agent)
            .with_context(**MAIL_ON)
            .create({"name": "Agent's ticket", "partner_id": self.customer.id, "team_id": self.team_sh.id})
        )
        self.assertIn(self.agent.partner_id, ticket.message_partner_ids)
        self._commit()
        ack = self._notices(ticket, "we received")
        self.assertEqual(ack.notified_partner_ids, self.customer)
        outgoing = self.env["mail.mail"].sudo().search([("mail_message_id", "=", ack.id)])
        self.assertEqual(outgoing.recipient_ids, self.customer)

    def test_batch_gets_one_acknowledgement_each(self):
        tickets = self.Ticket.create(
            [{"name": f"Batch {i}", "partner_id": self.customer.id, "team_id": self.team_sh.id} for i in range(3)]
        )
        self._commit()
        for ticket in tickets:
            self.assertEqual(len(self._notices(ticket, "we received")), 1, ticket.name)
            self.assertTrue(ticket.access_token)

    def test_rolled_back_attempt_sends_nothing(self):
        with self.assertRaises(SerializationFailure), self.env.cr.savepoint():
            lost = self.create_ticket(name="Lost attempt")
            lost_id = lost.id
            raise SerializationFailure()
        retry = self.create_ticket(name="Retried")
        self._commit()
        self.assertFalse(self.Ticket.browse(lost_id).exists())
        self.assertEqual(len(self._notices(retry, "we received")), 1)
        sent = self.env["mail.message"].search(
            [("model", "=", "aftersales.ticket"), ("subject", "like", "we received")]
        )
        self.assertEqual(sent.mapped("res_id"), [retry.id], "one acknowledgement, for the ticket that exists")

    def test_assignment_notifies_the_technician(self):
        ticket = self.create_ticket()
        ticket.write({"technician_id": self.tech_a.id, "partner_address": "88 Nanjing Road, Shanghai"})
        ticket.write({"technician_id": self.tech_a.id})  # saved twice in the same transaction
        self._commit()
        notice = self._notices(ticket, "assigned to you")
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.partner_ids, self.tech_user_a.partner_id)
        self.assertIn("88 Nanjing Road", str(notice.body), "with the address")
        self.assertEqual(notice.subtype_id, self.env.ref("mail.mt_note"), "an internal note, not to the customer")
        # reassigned: the new technician is told
        ticket.technician_id = self.tech_b
        self._commit()
        self.assertEqual(
            self._notices(ticket, "assigned to you").partner_ids,
            self.tech_user_a.partner_id | self.tech_user_b.partner_id,
        )

    def test_acceptance_request_and_closing(self):
        ticket = self.create_ticket(technician_id=self.tech_a.id)
        ticket.stage_id = self.stage["acceptance"]
        self._commit()
        request = self._notices(ticket, "please check and sign")
        self.assertEqual(len(request), 1)
        self.assertEqual(request.partner_ids, self.customer)
        self.assertIn(ticket.get_portal_url().split("?")[0], str(request.body), "the signing link")
        ticket.stage_id = self.stage["acceptance"]
        self._commit()
        self.assertEqual(len(self._notices(ticket, "please check and sign")), 1, "not asked twice")
        ticket.action_waive_acceptance()
        ticket.write({"stage_id": self.stage["archive"].id, "solution": "<p>Replaced the power board.</p>"})
        self._commit()
        closed = self._notices(ticket, "is closed")
        self.assertEqual(len(closed), 1)
        self.assertIn("Replaced the power board", str(closed.body))

    def test_customer_opt_out(self):
        self.customer.aftersales_notice_opt_out = True
        ticket = self.create_ticket(technician_id=self.tech_a.id)
        self._commit()
        self.assertFalse(self._notices(ticket, "we received"), "the customer asked for no notices")
        self.assertEqual(len(self._notices(ticket, "assigned to you")), 1, "the technician is still told")

    def test_company_opt_out_reaches_its_contacts(self):
        """The same opt-out rule as the surveys: a company that asked for no
        notices is not sent them on its contacts' tickets either."""
        self.customer.aftersales_notice_opt_out = True
        ticket = self.create_ticket(partner_id=self.customer_contact.id)
        self._commit()
        self.assertFalse(self._notices(ticket, "we received"), "the contact's company asked for no notices")
        self.customer.aftersales_notice_opt_out = False
        self.customer_contact.aftersales_notice_opt_out = True
        contact_ticket = self.create_ticket(partner_id=self.customer_contact.id)
        self._commit()
        self.assertFalse(self._notices(contact_ticket, "we received"), "the contact asked for no notices")

    def test_failed_notice_is_logged_and_sent_next_time(self):
        """A notice that cannot be sent (its template fails to render) never
        turns the user's committed save into an error: it is logged, the other
        notices go out, and it is sent on the next occasion."""
        ticket = self.create_ticket(technician_id=self.tech_a.id)
        broken = self.env.ref("aftersales_ticket.mail_template_ticket_assigned")
        Ticket = self.registry["aftersales.ticket"]
        post = Ticket._notice_post

        def post_or_fail(records, template, subtype_xmlid):
            if template == broken:
                raise ValueError("the template fails to render")
            return post(records, template, subtype_xmlid)

        with (
            patch.object(Ticket, "_notice_post", post_or_fail),
            self.assertLogs("odoo.addons.aftersales_ticket.models.aftersales_ticket_notice", "ERROR") as logs,
        ):
            self._commit()
        self.assertIn("'assign'", logs.output[0])
        self.assertEqual(len(self._notices(ticket, "we received")), 1, "the acknowledgement still goes out")
        self.assertFalse(self._notices(ticket, "assigned to you"))
        self.assertNotIn("assign", ticket.notice_log or "", "not marked as sent")
        ticket._notice_queue("assign")
        self._commit()
        self.assertEqual(len(self._notices(ticket, "assigned to you")), 1)

    def test_acknowledgement_is_queued_in_the_outbox(self):
        """The acknowledgement's email is a mail.mail of the same transaction:
        the mail queue sends it once committed, and retries it if the mail
        server is down."""
        ticket = self.create_ticket()
        self._commit()
        ack = self._notices(ticket, "we received")
        outgoing = self.env["mail.mail"].sudo().search([("mail_message_id", "=", ack.id)])
        self.assertEqual(outgoing.recipient_ids, self.customer)
        self.assertIn("we received", outgoing.subject)
