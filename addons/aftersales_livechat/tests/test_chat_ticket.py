from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import LivechatCommon


@tagged("post_install", "-at_install")
class TestChatTicket(LivechatCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.chat = cls.make_chat(cls.agent)

    def test_operator_turns_the_chat_into_a_ticket(self):
        action = self.chat.with_user(self.agent).action_aftersales_create_ticket()
        ticket = self.env["aftersales.ticket"].browse(action["res_id"])
        self.assertEqual(ticket.partner_id, self.customer_contact)
        self.assertEqual(ticket.name, "打印机卡纸了", "the visitor's first message")
        self.assertEqual(ticket.channel, "chat")
        self.assertEqual(ticket.livechat_channel_id, self.chat)
        for text in ("打印机卡纸了", "请问型号是?"):
            self.assertIn(text, ticket.description, "the transcript")
        self.assertEqual(ticket.message_ids.attachment_ids.mapped("name"), ["jam.png"])
        again = self.chat.with_user(self.agent).action_aftersales_create_ticket()
        self.assertEqual(again["res_id"], ticket.id, "one ticket per chat")

    def test_only_ticket_creators_and_live_chats(self):
        with self.assertRaises(AccessError) as caught:
            self.chat.with_user(self.customer_user).action_aftersales_create_ticket()
        self.assertIn("aftersales.ticket", str(caught.exception))
        group = self.env["discuss.channel"].create({"name": "team room", "channel_type": "channel"})
        with self.assertRaises(UserError) as caught:
            group.with_user(self.agent).action_aftersales_create_ticket()
        self.assertIn("Only a live chat conversation", str(caught.exception))

    def test_ticket_link_is_a_fact(self):
        ticket = self.create_ticket()
        with self.assertRaises(AccessError) as caught:
            ticket.with_user(self.agent).write({"livechat_channel_id": self.chat.id})
        self.assertIn("are set by the system", str(caught.exception))
