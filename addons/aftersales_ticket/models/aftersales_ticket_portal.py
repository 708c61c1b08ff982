"""The customer's side: the portal page of a ticket and the tickets customers submit."""

from odoo import api, models
from odoo.tools import plaintext2html

from ..write_rules import FACTS_CONTEXT_KEY


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    def _compute_access_url(self):
        for ticket in self:
            ticket.access_url = f"/my/tickets/{ticket.id}"

    def _portal_ensure_token(self):
        # The access token is a fact: portal.mixin writes it itself, as the system.
        return super(AftersalesTicket, self.with_context(**{FACTS_CONTEXT_KEY: True}))._portal_ensure_token()

    @api.model
    def _create_from_portal(self, partner, name, description, product, *, serial="", attachments=()):
        """The ticket a customer submits on the portal form, from the fields
        the form offers and nothing else: team, dispatch, tier and deadlines
        come from the same rules as for an agent's ticket. Created as
        superuser, since customers have no create access on tickets: the
        caller gives the portal user's own partner and checked values.

        The serial is linked only when it exists for the chosen product and
        belongs to the customer (delivered to their company, or never
        delivered); otherwise it stays in the description for an agent to
        check. ``attachments`` ([(file name, content)]) are posted as the
        customer's message."""
        lot = self.env["stock.lot"]
        if serial and product:
            lot = (
                lot.sudo()
                .search([("name", "=", serial), ("product_id", "=", product.id)], limit=1)
                ._aftersales_portal_match(partner)
            )
        if serial and not lot:
            serial_line = self.env._("Serial number: %(serial)s", serial=serial)
            description = f"{description}\n\n{serial_line}"
        # A soft dispatch claim, as for the mail gateway: when another worker
        # dispatches to the same technician at that moment, the ticket waits
        # for an agent instead of the customer getting an error page.
        ticket = (
            self.sudo()
            .with_context(aftersales_dispatch_soft=True)
            .create(
                {
                    "name": name,
                    "description": plaintext2html(description),
                    "channel": "portal",
                    "partner_id": partner.id,
                    "product_id": product.id,
                    "lot_id": lot.id,
                    "team_id": self._route_team(partner, product).id,
                }
            )
            .with_context(aftersales_dispatch_soft=False)
        )
        if attachments:
            ticket.message_post(
                body=self.env._("Photos and documents of the fault."),
                attachments=list(attachments),
                author_id=partner.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return ticket
