"""Chatbot steps of the after-sales suite: answer from the knowledge base,
and open a ticket when the answer did not help."""

from markupsafe import Markup

from odoo import fields, models
from odoo.fields import Domain
from odoo.tools import html2plaintext

KB_ANSWER_LIMIT = 3


class ChatbotScriptStep(models.Model):
    _inherit = "chatbot.script.step"

    step_type = fields.Selection(
        selection_add=[
            ("aftersales_kb_answer", "Answer from the Knowledge Base"),
            ("aftersales_create_ticket", "Create After-sales Ticket"),
        ],
        ondelete={"aftersales_kb_answer": "cascade", "aftersales_create_ticket": "cascade"},
    )

    def _process_step(self, discuss_channel):
        self.ensure_one()
        if self.step_type == "aftersales_kb_answer":
            return self._process_step_aftersales_kb_answer(discuss_channel)
        posted_message = super()._process_step(discuss_channel)
        if self.step_type == "aftersales_create_ticket":
            self._process_step_aftersales_create_ticket(discuss_channel)
        return posted_message

    def _aftersales_visitor_question(self, discuss_channel):
        message = self._find_first_user_free_input(discuss_channel)
        return html2plaintext(message.body or "").strip() if message else ""

    def _aftersales_kb_articles(self, question):
        """The top KB_ANSWER_LIMIT published articles for customers that
        answer ``question``, by aftersales_kb's ranking; what a visitor of the
        FAQ may read, whoever is chatting (even without login)."""
        Article = self.env["aftersales.kb.article"].sudo()
        domain = Domain("state", "=", "published") & Domain("visibility", "=", "customer")
        company = self.chatbot_script_id.sudo().operator_partner_id.company_id
        if company:
            domain &= Domain("company_id", "=", company.id)
        return Article.kb_search(question, domain=domain, limit=KB_ANSWER_LIMIT, channel="chat")

    def _process_step_aftersales_kb_answer(self, discuss_channel):
        question = self._aftersales_visitor_question(discuss_channel)
        articles = self._aftersales_kb_articles(question) if question else self.env["aftersales.kb.article"]
        body = Markup(self.message or "")
        if articles:
            items = Markup("").join(
                Markup('<li><a href="/my/kb/%s" target="_blank">%s</a></li>') % (article.id, article.name)
                for article in articles
            )
            body += Markup("<ol>%s</ol>") % items
        else:
            body += Markup("<p>%s</p>") % self.env._("I found no article about this.")
        return discuss_channel._chatbot_post_message(self.chatbot_script_id, body)

    def _process_step_aftersales_create_ticket(self, discuss_channel):
        """The visitor's ticket, with the conversation: the logged-in
        customer's partner, else a contact from the email given in the chat."""
        customer = self._chatbot_prepare_customer_values(discuss_channel, create_partner=True, update_partner=False)
        partner = customer["partner"] or self.env["res.partner"]
        question = self._aftersales_visitor_question(discuss_channel)
        return discuss_channel._aftersales_create_ticket(partner.sudo(), name=question[:100] or None)
