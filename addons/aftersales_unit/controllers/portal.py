from odoo import fields, http
from odoo.addons.aftersales_ticket.controllers.portal import AftersalesCustomerPortal
from odoo.addons.aftersales_ticket.models.aftersales_ticket import DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

# What the customer may type when announcing a parcel.
PARCEL_MAX_LENGTH = 64


class AftersalesUnitPortal(AftersalesCustomerPortal):
    """ "My products": the customer's units with their warranty, product
    registration, and a mail-in ticket for a unit. Every page checks that the
    unit is the customer's company's; reads and writes go through explicit
    fields as superuser, since customers have no access to serials."""

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "unit_count" in counters:
            values["unit_count"] = self._aftersales_my_units(count=True)
        return values

    def _aftersales_my_units(self, count=False):
        """The units of the visitor's company (as superuser, read-only)."""
        partner = request.env.user.partner_id
        Lot = request.env["stock.lot"].sudo()
        domain = Lot._aftersales_owned_by(partner)
        if count:
            return Lot.search_count(domain)
        return Lot.search(domain, order="aftersales_purchase_date desc, id desc")

    def _aftersales_my_unit(self, lot_id):
        """The unit, as superuser, when it is the visitor's company's; else None."""
        user = request.env.user
        if not user.share or user._is_public():
            return None
        lot = request.env["stock.lot"].sudo().browse(lot_id).exists()
        if not lot or lot.aftersales_customer_id != user.partner_id.commercial_partner_id:
            return None
        return lot

    def _aftersales_register_values(self, **post):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "aftersales_unit_register",
                "post": post,
                "error": post.get("error"),
                "today": fields.Date.to_string(fields.Date.context_today(request.env.user)),
            }
        )
        return values

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------

    @http.route("/my/tickets/<int:ticket_id>", type="http", auth="public", website=True)
    def portal_my_ticket(self, ticket_id, access_token=None, message=None, report_type=None, download=False, **kw):
        """The ticket page, and its repair report (PDF) for the same visitors:
        the customer's company or the ticket's token."""
        if report_type in ("html", "pdf", "text"):
            try:
                ticket_sudo = self._document_check_access("aftersales.ticket", ticket_id, access_token)
            except (AccessError, MissingError):
                return request.redirect("/my")
            return self._show_report(
                model=ticket_sudo,
                report_type=report_type,
                report_ref="aftersales_ticket.aftersales_ticket_report_action",
                download=download,
            )
        return super().portal_my_ticket(ticket_id, access_token=access_token, message=message, **kw)

    @http.route("/my/products", type="http", auth="user", website=True)
    def portal_my_units(self, message=None, **kw):
        values = self._prepare_portal_layout_values()
        # Registrations read with the customer's own rights (record rule).
        registrations = request.env["aftersales.unit.registration"].search([("state", "!=", "verified")])
        values.update(
            {
                "page_name": "aftersales_unit",
                "units": self._aftersales_my_units(),
                "registrations": registrations,
                "registration_serials": {r.id: r.sudo().lot_id.name for r in registrations},
                "message": message,
            }
        )
        return request.render("aftersales_unit.portal_my_units", values)

    @http.route("/my/products/<int:lot_id>", type="http", auth="user", website=True)
    def portal_my_unit(self, lot_id, message=None, **kw):
        lot = self._aftersales_my_unit(lot_id)
        if lot is None:
            return request.redirect("/my/products")
        values = self._prepare_portal_layout_values()
        # The unit's tickets the customer may read (their own record rule).
        tickets = request.env["aftersales.ticket"].search([("lot_id", "=", lot.id)])
        values.update({"page_name": "aftersales_unit", "unit": lot, "tickets": tickets, "message": message, "post": {}})
        return request.render("aftersales_unit.portal_my_unit", values)

    @http.route("/my/products/register", type="http", auth="user", methods=["GET"], website=True)
    def portal_register_unit(self, **kw):
        return request.render("aftersales_unit.portal_register_unit", self._aftersales_register_values())

    @http.route("/my/products/register", type="http", auth="user", methods=["POST"], website=True)
    def portal_register_unit_submit(self, serial="", purchase_date="", **post):
        form = {"serial": serial, "purchase_date": purchase_date}
        error = None
        if not request.env.user.share:
            error = request.env._("The portal form is for customers: register units in the After-sales app.")
        day = None
        if not error:
            try:
                day = fields.Date.to_date(purchase_date) if purchase_date else None
            except ValueError:
                error = request.env._("The purchase date is not a date.")
        uploads = []
        if not error:
            uploads, error = self._aftersales_read_uploads(request.httprequest.files.getlist("proof"))
        if not error:
            try:
                with request.env.cr.savepoint():
                    registration = request.env["aftersales.unit.registration"]._register_from_portal(
                        request.env.user.partner_id, serial[:NAME_MAX_LENGTH], day, uploads
                    )
            except (UserError, ValidationError) as e:
                error = e.args[0]
        if error:
            return request.render(
                "aftersales_unit.portal_register_unit", self._aftersales_register_values(error=error, **form)
            )
        message = "registered" if registration.state == "verified" else "pending"
        return request.redirect(f"/my/products?message={message}")

    @http.route("/my/products/<int:lot_id>/ticket", type="http", auth="user", methods=["POST"], website=True)
    def portal_unit_ticket(self, lot_id, name="", description="", courier="", tracking_ref="", **post):
        """A mail-in repair of the customer's unit: the ticket, and the
        receipt of the parcel when its tracking reference is given."""
        lot = self._aftersales_my_unit(lot_id)
        if lot is None:
            return request.redirect("/my/products")
        name, description = name.strip(), description.strip()
        courier, tracking_ref = courier.strip()[:PARCEL_MAX_LENGTH], tracking_ref.strip()[:PARCEL_MAX_LENGTH]
        error = None
        if not name or not description:
            error = request.env._("Give a subject and describe the fault.")
        elif len(name) > NAME_MAX_LENGTH or len(description) > DESCRIPTION_MAX_LENGTH:
            error = request.env._("The subject or the description is too long.")
        if not error:
            try:
                with request.env.cr.savepoint():
                    ticket = request.env["aftersales.ticket"]._create_from_portal(
                        request.env.user.partner_id, name, description, lot.product_id, serial=lot.name
                    )
                    ticket.sudo().write({"service_mode": "mail_in", "lot_id": lot.id})
                    if tracking_ref:
                        ticket.sudo()._unit_expect(courier, tracking_ref)
            except (UserError, ValidationError) as e:
                error = e.args[0]
        if error:
            values = self._prepare_portal_layout_values()
            tickets = request.env["aftersales.ticket"].search([("lot_id", "=", lot.id)])
            values.update(
                {
                    "page_name": "aftersales_unit",
                    "unit": lot,
                    "tickets": tickets,
                    "error": error,
                    "post": {
                        "name": name,
                        "description": description,
                        "courier": courier,
                        "tracking_ref": tracking_ref,
                    },
                }
            )
            return request.render("aftersales_unit.portal_my_unit", values)
        return request.redirect(f"/my/tickets/{ticket.id}?message=created")
