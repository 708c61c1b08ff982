from datetime import datetime
from urllib.parse import urlencode

import pytz

from odoo import fields, http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request
from odoo.tools import consteq
from odoo.tools.mimetypes import guess_mimetype

from ..models.aftersales_ticket import DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH
from ..models.aftersales_ticket_security import REFUSAL_REASON_MAX_LENGTH

# Upload limits of the new-ticket form.
MAX_UPLOAD_SIZE = 10 * 1024 * 1024  # bytes, per file
MAX_UPLOAD_FILES = 10
# Checked on the content, not on the file name. SVG is left out on purpose:
# it is an image type that can carry scripts.
ALLOWED_UPLOAD_MIMETYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "application/pdf")


class AftersalesCustomerPortal(CustomerPortal):
    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "ticket_count" in counters:
            Ticket = request.env["aftersales.ticket"]
            values["ticket_count"] = Ticket.search_count([]) if Ticket.has_access("read") else 0
        return values

    def _aftersales_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "date_reported desc, id desc"},
            "stage": {"label": request.env._("Stage"), "order": "stage_id, date_reported desc, id desc"},
        }

    def _aftersales_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": Domain.TRUE},
            "open": {"label": request.env._("Open"), "domain": Domain("is_closed", "=", False)},
            "closed": {"label": request.env._("Closed"), "domain": Domain("is_closed", "=", True)},
        }

    def _aftersales_ticket_page_values(self, ticket_sudo, access_token, **kwargs):
        # Stages are configuration, not customer data: read them with the rights
        # of the already checked ticket so that token visitors see the progress.
        stages = ticket_sudo.env["aftersales.stage"].search(
            Domain("is_cancelled", "=", False)
            & (Domain("team_ids", "=", False) | Domain("team_ids", "in", ticket_sudo.team_id.ids))
        )
        done_stage_ids = set()
        if ticket_sudo.stage_id in stages:
            done_stage_ids = set(stages.ids[: stages.ids.index(ticket_sudo.stage_id.id)])
        attachments = self._aftersales_shared_attachments(ticket_sudo)
        attachments.generate_access_token()
        values = {
            "page_name": "aftersales_ticket",
            "ticket": ticket_sudo,
            "stages": stages,
            "done_stage_ids": done_stage_ids,
            "attachments": attachments,
            "can_sign": ticket_sudo.can_customer_decide,
            "signer_name": ticket_sudo.partner_id.name
            if request.env.user._is_public()
            else request.env.user.partner_id.name,
            "message": kwargs.get("message"),
            "error_message": kwargs.get("error_message"),
            **self._aftersales_visit_values(ticket_sudo),
        }
        values = self._get_page_view_values(ticket_sudo, access_token, values, "my_tickets_history", False, **kwargs)
        # The ownership (record rule or token) was checked by the caller: give the
        # chatter the token so that the customer may answer in it.
        values.setdefault("token", ticket_sudo._portal_ensure_token())
        return values

    def _aftersales_visit_values(self, ticket_sudo):
        """The upcoming visit on the ticket page: may the customer answer, and
        the other times offered ([(value, label in the customer's time zone)])."""
        visit_open = bool(
            ticket_sudo.appointment_date
            and not ticket_sudo.is_closed
            and ticket_sudo.appointment_date > fields.Datetime.now()
        )
        tz = self._aftersales_visit_tz(ticket_sudo)
        slots = ticket_sudo.visit_offered_slots() if visit_open else []
        return {
            "visit_open": visit_open,
            "visit_slots": [
                (fields.Datetime.to_string(start), ticket_sudo.visit_window(tz=tz.zone, start=start)) for start in slots
            ],
        }

    def _aftersales_visit_tz(self, ticket_sudo):
        """The customer's time zone, in which they read and propose times."""
        return pytz.timezone(ticket_sudo.partner_id.tz or ticket_sudo.company_id._aftersales_tz().zone)

    def _aftersales_visit_partner(self, ticket_sudo):
        """Who answers for the customer: the logged-in visitor, else (a token
        link) the ticket's customer."""
        user = request.env.user
        return ticket_sudo.partner_id if user._is_public() else user.partner_id

    def _aftersales_visit_redirect(self, ticket_sudo, message, error=None):
        query = f"&message={message}"
        if error:
            query += "&" + urlencode({"error_message": error})
        return request.redirect(ticket_sudo.get_portal_url(query_string=query, anchor="aftersales_visit"))

    def _aftersales_shared_attachments(self, ticket_sudo):
        """Photos and PDFs of the messages the customer may see in the portal
        chatter (the same rule as Odoo's portal chatter), their own uploads
        included; files of internal notes, or attached to no message, stay
        with the team."""
        messages = ticket_sudo.env["mail.message"].search(
            Domain("model", "=", ticket_sudo._name)
            & Domain("res_id", "=", ticket_sudo.id)
            & request.env["mail.message"]._get_search_domain_share()
        )
        return messages.attachment_ids.filtered(
            lambda a: a.mimetype and a.mimetype.startswith(("image/", "application/pdf"))
        ).sorted("id")

    def _aftersales_customer_ticket(self, ticket_id, access_token):
        """The ticket, as superuser, when the visitor may decide for its
        customer: they hold the ticket's token, or they are a portal user of
        the customer's company. An employee's read access (billing, another
        team) does not make them the customer."""
        ticket_sudo = request.env["aftersales.ticket"].sudo().browse(ticket_id).exists()
        if not ticket_sudo:
            raise MissingError(request.env._("This ticket does not exist."))
        if access_token and ticket_sudo.access_token and consteq(ticket_sudo.access_token, access_token):
            return ticket_sudo
        user = request.env.user
        if (
            user.share
            and not user._is_public()
            and ticket_sudo.partner_id
            and user.partner_id.commercial_partner_id == ticket_sudo.commercial_partner_id
        ):
            return ticket_sudo
        raise AccessError(request.env._("Only the customer of this ticket can accept or refuse its work."))

    def _aftersales_new_ticket_values(self, **post):
        values = self._prepare_portal_layout_values()
        # Read-only catalogue for the select box: portal users have no access to
        # product.product, and only the id and the name are rendered.
        products = (
            request.env["product.product"]
            .sudo()
            .search_fetch(
                [("type", "=", "consu"), ("company_id", "in", [False, request.env.company.id])],
                ["display_name"],
                order="name",
                limit=500,
            )
        )
        values.update(
            {
                "page_name": "aftersales_ticket_new",
                "products": products,
                "post": post,
                "error": post.get("error"),
                "max_upload_files": MAX_UPLOAD_FILES,
                "max_upload_mb": MAX_UPLOAD_SIZE // (1024 * 1024),
            }
        )
        return values

    def _aftersales_read_uploads(self, files):
        """Return ([(filename, content)], error message)."""
        files = [f for f in files if f and f.filename]
        if len(files) > MAX_UPLOAD_FILES:
            return [], request.env._("You can attach at most %(count)s files.", count=MAX_UPLOAD_FILES)
        uploads = []
        for upload in files:
            content = upload.read(MAX_UPLOAD_SIZE + 1)
            if len(content) > MAX_UPLOAD_SIZE:
                return [], request.env._(
                    "The file %(name)s is too large: each file may be at most %(size)s MB.",
                    name=upload.filename,
                    size=MAX_UPLOAD_SIZE // (1024 * 1024),
                )
            if not content or guess_mimetype(content) not in ALLOWED_UPLOAD_MIMETYPES:
                return [], request.env._(
                    "The file %(name)s is not accepted: attach only photos (PNG, JPEG, GIF, WebP) or PDF files.",
                    name=upload.filename,
                )
            uploads.append((upload.filename, content))
        return uploads, None

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------

    # Read-only routes (readonly=True) are served from the database replica
    # when Odoo has one (--db_replica_host): they only read; the page of one
    # ticket is not one of them (it may create the ticket's and its files'
    # access tokens).
    @http.route(["/my/tickets", "/my/tickets/page/<int:page>"], type="http", auth="user", website=True, readonly=True)
    def portal_my_tickets(self, page=1, sortby=None, filterby=None, **kw):
        values = self._prepare_portal_layout_values()
        # Searched with the user's own rights: the portal record rule keeps the
        # list to the tickets of the user's commercial partner.
        Ticket = request.env["aftersales.ticket"]
        sortings = self._aftersales_searchbar_sortings()
        filters = self._aftersales_searchbar_filters()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        domain = filters[filterby]["domain"]
        count = Ticket.search_count(domain)
        pager = portal_pager(
            url="/my/tickets",
            url_args={"sortby": sortby, "filterby": filterby},
            total=count,
            page=page,
            step=self._items_per_page,
        )
        tickets = Ticket.search(
            domain, order=sortings[sortby]["order"], limit=self._items_per_page, offset=pager["offset"]
        )
        request.session["my_tickets_history"] = tickets.ids[:100]
        # Portal users have no access to products: show the names of the
        # products of the tickets they may read, and nothing else.
        product_names = {product.id: product.display_name for product in tickets.product_id.sudo()}
        values.update(
            {
                "tickets": tickets,
                "product_names": product_names,
                "page_name": "aftersales_ticket",
                "default_url": "/my/tickets",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("aftersales_ticket.portal_my_tickets", values)

    @http.route("/my/tickets/<int:ticket_id>", type="http", auth="public", website=True)
    def portal_my_ticket(self, ticket_id, access_token=None, message=None, **kw):
        try:
            ticket_sudo = self._document_check_access("aftersales.ticket", ticket_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._aftersales_ticket_page_values(ticket_sudo, access_token, message=message, **kw)
        return request.render("aftersales_ticket.portal_my_ticket", values)

    @http.route("/my/tickets/new", type="http", auth="user", methods=["GET"], website=True, readonly=True)
    def portal_new_ticket(self, **kw):
        return request.render("aftersales_ticket.portal_new_ticket", self._aftersales_new_ticket_values())

    @http.route("/my/tickets/new", type="http", auth="user", methods=["POST"], website=True)
    def portal_new_ticket_submit(self, name="", description="", product_id=None, serial="", **post):
        form = {"name": name, "description": description, "product_id": product_id, "serial": serial}
        name, description, serial = name.strip(), description.strip(), serial.strip()
        error = None
        if not request.env.user.share:
            # Employees (billing, ...) report in the back office, with their own rights.
            error = request.env._("The portal form is for customers: create the ticket in the After-sales app.")
        elif not name or not description:
            error = request.env._("Give a subject and describe the fault.")
        elif len(name) > NAME_MAX_LENGTH:
            error = request.env._("The subject may be at most %(count)s characters long.", count=NAME_MAX_LENGTH)
        elif len(description) > DESCRIPTION_MAX_LENGTH:
            error = request.env._(
                "The fault description may be at most %(count)s characters long.", count=DESCRIPTION_MAX_LENGTH
            )
        uploads = []
        if not error:
            uploads, error = self._aftersales_read_uploads(request.httprequest.files.getlist("attachments"))
        product = request.env["product.product"]
        if not error and product_id:
            product = self._aftersales_new_ticket_values()["products"].filtered(lambda p: str(p.id) == product_id)
            if not product:
                error = request.env._("Choose a product from the list.")
        if error:
            return request.render(
                "aftersales_ticket.portal_new_ticket", self._aftersales_new_ticket_values(error=error, **form)
            )
        try:
            # A refused ticket leaves nothing behind: the form is shown again.
            with request.env.cr.savepoint():
                ticket = request.env["aftersales.ticket"]._create_from_portal(
                    request.env.user.partner_id, name, description, product, serial=serial, attachments=uploads
                )
        except (UserError, ValidationError) as e:
            return request.render(
                "aftersales_ticket.portal_new_ticket", self._aftersales_new_ticket_values(error=e.args[0], **form)
            )
        return request.redirect(f"/my/tickets/{ticket.id}?message=created")

    @http.route("/my/tickets/<int:ticket_id>/accept", type="jsonrpc", auth="public", website=True)
    def portal_ticket_accept(self, ticket_id, access_token=None, name=None, signature=None):
        access_token = access_token or request.httprequest.args.get("access_token")
        try:
            ticket_sudo = self._aftersales_customer_ticket(ticket_id, access_token)
        except (AccessError, MissingError):
            return {"error": request.env._("Invalid ticket.")}
        try:
            ticket_sudo.action_customer_accept(signature=signature, signed_by=name)
        except (UserError, ValidationError) as e:
            return {"error": e.args[0]}
        ticket_sudo._write_facts({"acceptance_channel": "portal"})
        return {
            "force_refresh": True,
            "redirect_url": ticket_sudo.get_portal_url(query_string="&message=accepted"),
        }

    @http.route("/my/tickets/<int:ticket_id>/refuse", type="http", auth="public", methods=["POST"], website=True)
    def portal_ticket_refuse(self, ticket_id, access_token=None, reason=None, **kw):
        try:
            ticket_sudo = self._aftersales_customer_ticket(ticket_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if not ticket_sudo.can_customer_decide:
            return request.redirect(ticket_sudo.get_portal_url(query_string="&message=cant_refuse"))
        if not (reason or "").strip():
            return request.redirect(ticket_sudo.get_portal_url(query_string="&message=no_reason"))
        if len(reason.strip()) > REFUSAL_REASON_MAX_LENGTH:
            return request.redirect(ticket_sudo.get_portal_url(query_string="&message=reason_too_long"))
        ticket_sudo.action_customer_refuse(reason)
        ticket_sudo._write_facts({"acceptance_channel": "portal"})
        return request.redirect(ticket_sudo.get_portal_url(query_string="&message=refused"))

    @http.route("/my/tickets/<int:ticket_id>/visit/confirm", type="http", auth="public", methods=["POST"], website=True)
    def portal_ticket_visit_confirm(self, ticket_id, access_token=None, **kw):
        try:
            ticket_sudo = self._aftersales_customer_ticket(ticket_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            ticket_sudo.visit_confirm(self._aftersales_visit_partner(ticket_sudo))
        except (UserError, ValidationError) as e:
            return self._aftersales_visit_redirect(ticket_sudo, "visit_error", e.args[0])
        return self._aftersales_visit_redirect(ticket_sudo, "visit_confirmed")

    @http.route(
        "/my/tickets/<int:ticket_id>/visit/reschedule", type="http", auth="public", methods=["POST"], website=True
    )
    def portal_ticket_visit_reschedule(self, ticket_id, access_token=None, slot=None, proposed=None, note=None, **kw):
        """Another time for the visit: one of the offered times (the visit
        moves there), or a time the customer proposes with a note (an agent
        books it)."""
        try:
            ticket_sudo = self._aftersales_customer_ticket(ticket_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        partner = self._aftersales_visit_partner(ticket_sudo)
        try:
            # A refused change leaves nothing behind.
            with request.env.cr.savepoint():
                if slot:
                    ticket_sudo.visit_move_to(partner, self._aftersales_visit_parse(slot, "%Y-%m-%d %H:%M:%S"))
                    message = "visit_moved"
                else:
                    start = None
                    if proposed:
                        local = self._aftersales_visit_parse(proposed, "%Y-%m-%dT%H:%M")
                        tz = self._aftersales_visit_tz(ticket_sudo)
                        start = tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)
                    ticket_sudo.visit_request(partner, start, note)
                    message = "visit_requested"
        except (UserError, ValidationError) as e:
            return self._aftersales_visit_redirect(ticket_sudo, "visit_error", e.args[0])
        return self._aftersales_visit_redirect(ticket_sudo, message)

    def _aftersales_visit_parse(self, value, pattern):
        try:
            return datetime.strptime(value.strip(), pattern)
        except ValueError:
            raise UserError(request.env._("This is not a date and time we can read: %(value)s", value=value)) from None
