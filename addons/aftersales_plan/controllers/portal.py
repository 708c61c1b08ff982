"""The partner service centre's side of the portal: its staff list, read and
update the tickets subcontracted to their centre, and nothing else."""

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools import plaintext2html

# Longest text a centre may send in one field of the update form.
PROVIDER_TEXT_MAX_LENGTH = 10000


class AftersalesProviderPortal(CustomerPortal):
    def _aftersales_provider_ticket(self, ticket_id):
        """The ticket as superuser when the visitor is a portal user of the
        service centre it is subcontracted to; AccessError otherwise (an
        employee, the ticket's customer, another centre, a visitor)."""
        ticket_sudo = request.env["aftersales.ticket"].sudo().browse(ticket_id).exists()
        if not ticket_sudo:
            raise MissingError(request.env._("This ticket does not exist."))
        user = request.env.user
        if (
            user.share
            and not user._is_public()
            and ticket_sudo.provider_partner_id
            and user.partner_id.commercial_partner_id == ticket_sudo.provider_partner_id
        ):
            return ticket_sudo
        raise AccessError(request.env._("Only the service centre of this ticket can update it."))

    @http.route("/my/service-centre", type="http", auth="user", website=True)
    def portal_provider_tickets(self, **kw):
        partner = request.env.user.partner_id.commercial_partner_id
        # With the user's own rights: the centre's record rule applies.
        tickets = request.env["aftersales.ticket"].search(
            [("provider_partner_id", "=", partner.id)], order="provider_done_date desc, id desc", limit=200
        )
        values = self._prepare_portal_layout_values()
        values.update({"tickets": tickets, "page_name": "aftersales_provider"})
        return request.render("aftersales_plan.portal_provider_tickets", values)

    @http.route("/my/service-centre/<int:ticket_id>", type="http", auth="user", website=True)
    def portal_provider_ticket(self, ticket_id, message=None, **kw):
        try:
            ticket_sudo = self._aftersales_provider_ticket(ticket_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "ticket": ticket_sudo,
                "product_name": ticket_sudo.product_id.display_name or "",
                "message": message,
                "page_name": "aftersales_provider",
            }
        )
        return request.render("aftersales_plan.portal_provider_ticket", values)

    @http.route("/my/service-centre/<int:ticket_id>/update", type="http", auth="user", methods=["POST"], website=True)
    def portal_provider_ticket_update(self, ticket_id, diagnosis=None, parts_used=None, done=None, **kw):
        try:
            ticket_sudo = self._aftersales_provider_ticket(ticket_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if any(len(text or "") > PROVIDER_TEXT_MAX_LENGTH for text in (diagnosis, parts_used)):
            return request.redirect(f"/my/service-centre/{ticket_sudo.id}?message=too_long")
        values = {}
        if diagnosis is not None:
            values["diagnosis"] = plaintext2html(diagnosis.strip()) if diagnosis.strip() else False
        if parts_used is not None:
            values["provider_parts_used"] = parts_used.strip() or False
        try:
            ticket_sudo.with_user(request.env.user)._provider_update(values, done=bool(done))
        except UserError:
            return request.redirect(f"/my/service-centre/{ticket_sudo.id}?message=locked")
        return request.redirect(f"/my/service-centre/{ticket_sudo.id}?message={'done' if done else 'saved'}")
