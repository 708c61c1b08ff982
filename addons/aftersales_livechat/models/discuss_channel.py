"""A live chat becomes a ticket: the operator's action, the operator's
``/ticket`` command, and the chatbot's."""

import re

from markupsafe import Markup

from odoo import models
from odoo.addons.aftersales_ticket.const import DESCRIPTION_MAX_LENGTH
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext

NAME_LENGTH = 100
TICKET_COMMAND = "/ticket"
TICKET_COMMAND_RE = re.compile(r"^\s*/ticket(?:\s+(?P<subject>.*))?$", re.DOTALL)


class DiscussChannel(models.Model):
    _inherit = "discuss.channel"

    def action_aftersales_create_ticket(self):
        """The operator turns this live chat into a ticket: the visitor as
        customer, the transcript as description, the files of the chat
        attached. Needs the right to create tickets."""
        self.ensure_one()
        Ticket = self.env["aftersales.ticket"]
        Ticket.check_access("create")
        if self.channel_type != "livechat":
            raise UserError(self.env._("Only a live chat conversation can become a ticket."))
        if not self.is_member and not self.env.user.has_group("aftersales_ticket.group_aftersales_user"):
            raise UserError(self.env._("Join the conversation before turning it into a ticket."))
        ticket = self._aftersales_create_ticket(self.livechat_customer_partner_ids[:1])
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.ticket",
            "res_id": ticket.id,
            "view_mode": "form",
        }

    def execute_command_ticket(self, **kwargs):
        """``/ticket <subject>`` typed by an operator in a live chat (Discuss
        runs it over RPC as the user): a ticket of the visitor with the
        transcript, as *Create Ticket* does, and a message linking it in the
        chat. Only an internal user who is an operator of this chat and may
        create tickets runs it."""
        self.ensure_one()
        self._aftersales_check_operator()
        match = TICKET_COMMAND_RE.match(html2plaintext(kwargs.get("body") or ""))
        subject = " ".join((match["subject"] or "").split()) if match else ""
        existing = self._aftersales_chat_ticket()
        if existing or not subject:
            if existing:
                message = self.env._(
                    "This conversation already has ticket %(ticket)s.",
                    ticket=existing._get_html_link(title=existing.number),
                )
            else:
                message = self.env._(
                    "Create a ticket with: %(pre_start)s%(command)s %(i_start)ssubject%(i_end)s%(pre_end)s",
                    command=TICKET_COMMAND,
                    pre_start=Markup("<pre>"),
                    pre_end=Markup("</pre>"),
                    i_start=Markup("<i>"),
                    i_end=Markup("</i>"),
                )
            self.env.user._bus_send_transient_message(self, message)
            return
        self._aftersales_create_ticket(self.livechat_customer_partner_ids[:1], name=subject[:NAME_LENGTH], link=True)

    def _aftersales_check_operator(self):
        """Refuse anyone but an internal user who is an operator (agent) of
        this live chat and may create tickets: not the visitor, not another
        portal user, not an employee outside the conversation."""
        self.ensure_one()
        user = self.env.user
        refused = AccessError(self.env._("Only an operator of this live chat can open a ticket from it."))
        if not user._is_internal():
            raise refused
        chat = self.sudo()  # an employee outside the chat may not read it: judged here, not by a read error
        if chat.channel_type != "livechat":
            raise UserError(self.env._("Only a live chat conversation can become a ticket."))
        agents = chat.channel_member_ids.filtered(lambda m: m.livechat_member_type == "agent").partner_id
        if user.partner_id not in agents:
            raise refused
        self.env["aftersales.ticket"].check_access("create")

    def _aftersales_chat_ticket(self):
        """The ticket already opened from this chat, if any (one per chat)."""
        self.ensure_one()
        return self.env["aftersales.ticket"].sudo().search([("livechat_channel_id", "=", self.id)], limit=1)

    def _aftersales_create_ticket(self, partner, name=None, link=False):
        """The ticket of this chat, created as the system (the visitor of a
        chatbot has no right on tickets): its transcript and attachments.
        ``link``: the chat's message links the ticket (for the operators;
        the chatbot's visitor gets its number only)."""
        self.ensure_one()
        existing = self._aftersales_chat_ticket()
        if existing:
            return existing
        visitor_messages = (
            self.sudo()
            .message_ids.filtered(
                lambda m: m.message_type == "comment" and m.author_id not in self._aftersales_staff_partners()
            )
            .sorted("id")
        )
        if not name:
            first = next((html2plaintext(m.body).strip() for m in visitor_messages if m.body), "")
            name = first[:NAME_LENGTH] or self.env._("Live chat %(name)s", name=self.name)
        transcript = Markup("<p>%s</p>%s") % (self.env._("Live chat transcript:"), self._get_channel_history())
        long_chat = len(transcript) > DESCRIPTION_MAX_LENGTH
        Ticket = self.env["aftersales.ticket"]
        ticket = Ticket._create_facts(
            [
                {
                    "name": name,
                    "partner_id": partner.id,
                    "channel": "chat",
                    "description": Markup("<p>%s</p>") % name if long_chat else transcript,
                    "team_id": Ticket._route_team(partner, self.env["product.product"]).id if partner else False,
                    "livechat_channel_id": self.id,
                }
            ]
        )
        if long_chat:  # too long for a description: the transcript goes to the chatter
            ticket.sudo().message_post(body=transcript, subtype_xmlid="mail.mt_note")
        attachments = self.sudo().message_ids.attachment_ids
        if attachments:
            copies = [attachment.copy({"res_model": ticket._name, "res_id": ticket.id}) for attachment in attachments]
            ticket.sudo().message_post(
                body=self.env._("Files shared in the live chat."),
                attachment_ids=[copy.id for copy in copies],
                subtype_xmlid="mail.mt_note",
            )
        self.sudo().message_post(
            body=self.env._(
                "Ticket %(number)s was created from this conversation.",
                number=ticket._get_html_link(title=ticket.number) if link else ticket.number,
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )
        return ticket

    def _aftersales_staff_partners(self):
        """The operators and bots of the chat: not the visitor."""
        members = self.sudo().channel_member_ids
        return members.filtered(lambda m: m.livechat_member_type in ("agent", "bot")).partner_id
