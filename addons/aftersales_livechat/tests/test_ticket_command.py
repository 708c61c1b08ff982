from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import LivechatCommon


@tagged("post_install", "-at_install")
class TestTicketCommand(LivechatCommon, HttpCase):
    """``/ticket <subject>`` typed by the operator of a live chat: the same
    ticket as *Create Ticket* (visitor, transcript, files), a message linking
    it in the chat; nobody but the chat's internal operators may run it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = cls.new_user(
            "lc_operator", "aftersales_ticket.group_aftersales_user,im_livechat.im_livechat_group_user"
        )
        cls.chat = cls.make_chat(cls.operator)
        cls.stranger = cls.new_portal_user("lc_stranger", cls.other_customer)

    def chat_ticket(self):
        return self.env["aftersales.ticket"].search([("livechat_channel_id", "=", self.chat.id)])

    def transient_messages(self):
        """What the operator was told privately (bus notifications of this transaction)."""
        self.env.cr.precommit.run()
        notes = self.env["bus.bus"].sudo().search([("message", "like", "transient_message")])
        return " ".join(notes.mapped("message"))

    def test_operator_types_ticket(self):
        self.chat.with_user(self.operator).execute_command_ticket(body="/ticket   打印机卡纸  无法打印 ")
        ticket = self.chat_ticket()
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.name, "打印机卡纸 无法打印", "the subject typed after /ticket")
        self.assertEqual(ticket.partner_id, self.customer_contact, "the visitor's partner")
        self.assertEqual(ticket.channel, "chat")
        for text in ("打印机卡纸了", "请问型号是?"):
            self.assertIn(text, ticket.description, "the transcript")
        self.assertEqual(ticket.message_ids.attachment_ids.mapped("name"), ["jam.png"], "the chat's files")
        notice = self.chat.message_ids.filtered(lambda m: "was created from this conversation" in m.body)
        self.assertEqual(len(notice), 1)
        self.assertIn(f'data-oe-model="aftersales.ticket" data-oe-id="{ticket.id}"', notice.body, "links the ticket")
        self.assertIn(ticket.number, notice.body)

    def test_no_subject_or_ticket_already_open(self):
        self.chat.with_user(self.operator).execute_command_ticket(body="/ticket")
        self.assertFalse(self.chat_ticket(), "no subject, no ticket")
        self.assertIn("Create a ticket with", self.transient_messages())
        self.chat.with_user(self.operator).execute_command_ticket(body="/ticket 卡纸")
        self.chat.with_user(self.operator).execute_command_ticket(body="/ticket 卡纸 again")
        ticket = self.chat_ticket()
        self.assertEqual(len(ticket), 1, "one ticket per chat")
        self.assertEqual(ticket.name, "卡纸")
        self.assertIn("This conversation already has ticket", self.transient_messages())

    def test_only_the_chats_internal_operators(self):
        colleague = self.new_user(
            "lc_colleague", "aftersales_ticket.group_aftersales_user,im_livechat.im_livechat_group_user"
        )
        # the visitor and another portal user calling the method over RPC, an employee outside the chat
        for user in (self.customer_user, self.stranger, colleague):
            with self.subTest(user=user.login), self.assertRaises(AccessError) as caught:
                self.chat.with_user(user).execute_command_ticket(body="/ticket 给我开个工单")
            self.assertIn("Only an operator of this live chat", str(caught.exception))
        self.assertFalse(self.chat_ticket())
        group = self.env["discuss.channel"].create({"name": "team room", "channel_type": "channel"})
        with self.assertRaises(UserError) as caught:
            group.with_user(self.operator).execute_command_ticket(body="/ticket 卡纸")
        self.assertIn("Only a live chat conversation", str(caught.exception))

    def test_operator_without_ticket_right(self):
        operator = self.new_user("lc_no_tickets", "base.group_user,im_livechat.im_livechat_group_user")
        chat = self.make_chat(operator)
        with self.assertRaises(AccessError) as caught:
            chat.with_user(operator).execute_command_ticket(body="/ticket 卡纸")
        self.assertIn("aftersales.ticket", str(caught.exception))
        self.assertFalse(self.env["aftersales.ticket"].search([("livechat_channel_id", "=", chat.id)]))

    def test_tour_operator_types_ticket(self):
        self.start_tour(
            f"/odoo/discuss?active_id=discuss.channel_{self.chat.id}",
            "aftersales_livechat_ticket_command_tour",
            login=self.operator.login,
        )
        self.assertEqual(self.chat_ticket().name, "打印机卡纸 无法打印")
