"""Tickets in the chatter: from an email, the first response, the creation note
and the subtypes followers subscribe to (through mail's own API only)."""

from odoo import api, fields, models


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A ticket from an email to a team alias. Who may write is the alias's
        own contact setting (checked by the mail gateway before this); an
        unknown sender becomes a contact only when the team says so, and a
        ticket without a known customer waits for an agent instead of being
        dispatched. Dispatch never makes the email fail (see _auto_dispatch)."""
        custom_values = dict(custom_values or {})
        team = self.env["aftersales.team"].sudo().browse(custom_values.get("team_id")).exists()
        if not msg_dict.get("author_id") and msg_dict.get("email_from"):
            author = self.env["mail.thread"]._partner_find_from_emails_single(
                [msg_dict["email_from"]], no_create=not team.alias_create_partner
            )
            msg_dict["author_id"] = author.id
        if not msg_dict.get("author_id"):
            custom_values.setdefault("partner_email", msg_dict.get("email_from"))
        defaults = {
            "name": msg_dict.get("subject") or self.env._("No Subject"),
            "description": msg_dict.get("body"),
            "partner_id": msg_dict.get("author_id"),
            "channel": "email",
        }
        defaults.update(custom_values)
        if not defaults.get("team_id") and defaults.get("partner_id"):
            # A catch-all address: the routing rules pick the team.
            partner = self.env["res.partner"].sudo().browse(defaults["partner_id"])
            defaults["team_id"] = self._route_team(partner, self.env["product.product"]).id or False
        ticket = super(AftersalesTicket, self.with_context(aftersales_dispatch_soft=True)).message_new(
            msg_dict, custom_values=defaults
        )
        ticket = ticket.with_env(self.env)
        if ticket.partner_id:
            ticket.message_subscribe(partner_ids=ticket.partner_id.ids)
        return ticket

    def _message_post_after_hook(self, message, msg_vals):
        """The first message an employee sends to the customer is the first response."""
        if (
            message.message_type == "comment"
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id.user_ids.filtered(lambda u: not u.share)
        ):
            pending = self.filtered(lambda t: not t.date_first_response)
            if pending:
                pending._write_facts({"date_first_response": message.date or fields.Datetime.now()})
        return super()._message_post_after_hook(message, msg_vals)

    def _creation_message(self):
        return self.env._("Ticket created")

    @api.model
    def _stage_subtype_id(self):
        return self.env["ir.model.data"]._xmlid_to_res_id("aftersales_ticket.mt_ticket_stage")

    def _creation_subtype(self):
        """Core posts the creation with this subtype: the followers of the
        team subscribed to its "Ticket Created" hear of the new ticket."""
        return self.env.ref("aftersales_ticket.mt_ticket_new", raise_if_not_found=False) or super()._creation_subtype()

    def _log_creation_notes(self, bodies):
        """Log the creation notes {ticket id: body} (with the dispatch note of
        each ticket), as core's create logs its creation message: posted with
        the creation subtype on the tickets that have a follower (other than
        the author) subscribed to it, who is notified; logged in one batch
        (``_message_log_batch``) on the others, where nobody would be."""
        subtype = self._creation_subtype()
        author = self.env.user.partner_id
        followed = self.browse()
        if subtype:
            followers = (
                self.env["mail.followers"]
                .sudo()
                .search_fetch(
                    [
                        ("res_model", "=", self._name),
                        ("res_id", "in", self.ids),
                        ("partner_id", "!=", author.id),
                        ("subtype_ids", "in", subtype.ids),
                    ],
                    ["res_id"],
                )
            )
            followed = self.browse(sorted(set(followers.mapped("res_id"))))
        for ticket in followed:
            ticket.sudo().message_post(body=bodies[ticket.id], subtype_id=subtype.id, author_id=author.id)
        quiet = self - followed
        if quiet:
            quiet._message_log_batch(bodies={ticket.id: bodies[ticket.id] for ticket in quiet})

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "stage_id" in init_values:
            return self.env["mail.message.subtype"].browse(self._stage_subtype_id())
        return super()._track_subtype(init_values)
