import re

from odoo.tests import HttpCase, tagged

from .common import LivechatCommon


@tagged("post_install", "-at_install")
class TestChatbot(LivechatCommon, HttpCase):
    """The visitor's conversation through the live chat routes, as the
    browser sends it."""

    def post(self, channel, body, answer=None):
        data = self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "discuss.channel",
                "thread_id": channel.id,
                "post_data": {"body": body, "message_type": "comment", "subtype_xmlid": "mail.mt_comment"},
            },
        )
        if answer:
            self.make_jsonrpc_request(
                "/chatbot/answer/save",
                {"channel_id": channel.id, "message_id": data["message_id"], "selected_answer_id": answer.id},
            )
        self.trigger(channel)

    def trigger(self, channel):
        self.make_jsonrpc_request("/chatbot/step/trigger", {"channel_id": channel.id})

    def start(self):
        data = self.make_jsonrpc_request(
            "/im_livechat/get_session", {"channel_id": self.livechat_channel.id, "chatbot_script_id": self.chatbot.id}
        )
        channel = self.env["discuss.channel"].sudo().browse(data["channel_id"])
        self.assertEqual(channel.chatbot_current_step_id, self.step_question)
        return channel

    def last_bot_message(self, channel):
        return channel.message_ids.filtered(lambda m: m.author_id == self.chatbot.operator_partner_id)[:1]

    def linked_articles(self, message):
        return [int(article_id) for article_id in re.findall(r'href="/my/kb/(\d+)"', message.body)]

    def test_answers_from_the_kb_then_opens_a_ticket(self):
        self.authenticate("lc_customer", "lc_customer")
        channel = self.start()
        self.post(channel, "无法开机")
        self.assertEqual(channel.chatbot_current_step_id, self.step_answer)
        articles = self.linked_articles(self.last_bot_message(channel))
        self.assertEqual(articles[0], self.article_power.id, "the power-on article first")
        self.assertLessEqual(len(articles), 3)
        self.assertNotIn(self.article_internal.id, articles, "internal articles are not for visitors")
        self.assertNotIn(self.article_paper.id, articles)
        self.trigger(channel)  # the browser moves on after a message step
        self.assertEqual(channel.chatbot_current_step_id, self.step_solved)
        self.post(channel, "没有解决", answer=self.answer_no)
        self.assertEqual(channel.chatbot_current_step_id, self.step_ticket)
        ticket = self.env["aftersales.ticket"].search([("livechat_channel_id", "=", channel.id)])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.name, "无法开机")
        self.assertEqual(ticket.partner_id, self.customer_contact)
        self.assertEqual(ticket.channel, "chat")
        self.assertIn("无法开机", ticket.description)
        self.assertIn(self.article_power.name, ticket.description, "the transcript, with the bot's answer")
        log = self.env["aftersales.kb.search.log"].search([("channel", "=", "chat")])
        self.assertEqual(log.query, "无法开机", "the chat's searches count in the KB's search log")

    def test_solved_opens_no_ticket(self):
        self.authenticate("lc_customer", "lc_customer")
        channel = self.start()
        self.post(channel, "无法开机")
        self.trigger(channel)
        self.post(channel, "已解决", answer=self.answer_yes)
        self.assertEqual(channel.chatbot_current_step_id, self.step_thanks)
        self.assertFalse(self.env["aftersales.ticket"].search([("livechat_channel_id", "=", channel.id)]))

    def test_no_article_found(self):
        self.authenticate("lc_customer", "lc_customer")
        channel = self.start()
        self.post(channel, "发票抬头")
        self.assertIn("I found no article about this.", self.last_bot_message(channel).body)
