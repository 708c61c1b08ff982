import base64
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.http import request
from odoo.tests import tagged

from ..controllers.portal import AftersalesCustomerPortal
from .route_matrix import ANONYMOUS, OTHER_COMPANY, OTHER_CUSTOMER, OWNER, STRANGERS, TOKEN, RouteMatrixCase
from .test_portal import AftersalesPortalCommon, _png

VISITORS = (*STRANGERS, OWNER, TOKEN)


@tagged("post_install", "-at_install")
class TestTicketRouteMatrix(AftersalesPortalCommon, RouteMatrixCase):
    ADDON = "aftersales_ticket"
    ROUTES = {
        "/my/tickets": "check_login_required",
        "/my/tickets/page/<int:page>": "check_login_required",
        "/my/tickets/new": "check_new_ticket",
        "/my/tickets/<int:ticket_id>": "check_ticket_page",
        "/my/tickets/<int:ticket_id>/accept": "check_ticket_accept",
        "/my/tickets/<int:ticket_id>/refuse": "check_ticket_refuse",
        "/my/tickets/<int:ticket_id>/visit/confirm": "check_visit_confirm",
        "/my/tickets/<int:ticket_id>/visit/reschedule": "check_visit_reschedule",
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        other_company_login = cls.new_other_company_user(
            "as_route_other_company", "aftersales_ticket.group_aftersales_manager"
        )
        cls.VISITOR_LOGINS = {
            OWNER: ("as_portal", "as_portal"),
            OTHER_CUSTOMER: ("as_portal_other", "as_portal_other"),
            OTHER_COMPANY: other_company_login,
        }

    def _ticket_in_acceptance(self):
        ticket = self.create_ticket(name="Route matrix acceptance")
        ticket.stage_id = self.stage["acceptance"]
        self.assertTrue(ticket.can_customer_decide, "the check needs a ticket the customer may decide on")
        return ticket

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    def check_ticket_page(self, rule):
        ticket = self.create_ticket(name="Route matrix page")
        outcomes = {}
        for visitor in VISITORS:
            token = self.visit(visitor, ticket)
            url = self.url(rule, ticket_id=ticket.id) + (f"?access_token={token}" if token else "")
            response = self.url_open(url, allow_redirects=False)
            outcomes[visitor] = response.status_code == 200 and ticket.number in response.text
        return self.judge(outcomes)

    def check_ticket_accept(self, rule):
        outcomes = {}
        for visitor in VISITORS:
            ticket = self._ticket_in_acceptance()
            token = self.visit(visitor, ticket)
            params = {"name": "Li Wei", "signature": base64.b64encode(_png()).decode()}
            if token:
                params["access_token"] = token
            self.jsonrpc(self.url(rule, ticket_id=ticket.id), params)
            ticket.invalidate_recordset()
            outcomes[visitor] = ticket.acceptance_state == "accepted"
        return self.judge(outcomes)

    def check_ticket_refuse(self, rule):
        outcomes = {}
        for visitor in VISITORS:
            ticket = self._ticket_in_acceptance()
            token = self.visit(visitor, ticket)
            data = {"reason": "Still broken"}
            if token:
                data["access_token"] = token
            self.post_form(self.url(rule, ticket_id=ticket.id), data)
            ticket.invalidate_recordset()
            outcomes[visitor] = ticket.acceptance_state == "refused"
        return self.judge(outcomes)

    def _ticket_with_visit(self):
        start = (datetime.now() + timedelta(days=3)).replace(hour=2, minute=0, second=0, microsecond=0)
        return self.create_ticket(name="Route matrix visit", appointment_date=start)

    def check_visit_confirm(self, rule):
        outcomes = {}
        for visitor in VISITORS:
            ticket = self._ticket_with_visit()
            token = self.visit(visitor, ticket)
            self.post_form(self.url(rule, ticket_id=ticket.id), {"access_token": token} if token else {})
            ticket.invalidate_recordset()
            outcomes[visitor] = ticket.visit_state == "confirmed"
        return self.judge(outcomes)

    def check_visit_reschedule(self, rule):
        outcomes = {}
        for visitor in VISITORS:
            ticket = self._ticket_with_visit()
            token = self.visit(visitor, ticket)
            data = {"note": "Any afternoon next week"}
            if token:
                data["access_token"] = token
            self.post_form(self.url(rule, ticket_id=ticket.id), data)
            ticket.invalidate_recordset()
            outcomes[visitor] = ticket.visit_state == "reschedule"
        return self.judge(outcomes)

    def check_new_ticket(self, rule):
        """The form and its submission need a customer's session; the ticket
        is the customer's own whatever the form says."""
        outcomes = {}
        for visitor in (ANONYMOUS, OWNER):
            self.visit(visitor)
            page = self.url_open(rule, allow_redirects=False)
            before = self.Ticket.sudo().search_count([("name", "=", f"Route matrix new {visitor}")])
            self.post_form(rule, {"name": f"Route matrix new {visitor}", "description": "It hums"})
            created = self.Ticket.sudo().search([("name", "=", f"Route matrix new {visitor}")])
            outcomes[visitor] = page.status_code == 200 and len(created) > before
            if created:
                self.assertEqual(created.partner_id, self.customer_contact, "a portal ticket is the customer's own")
        return self.judge(outcomes)

    # ------------------------------------------------------------------
    # The matrix catches what it is for
    # ------------------------------------------------------------------

    def test_matrix_fails_on_an_unguarded_route(self):
        """With the ownership and token check taken out of the portal (every
        ticket handed over as superuser), the matrix reports the strangers."""

        def unguarded(controller, model_name, document_id, access_token=None):
            return request.env[model_name].sudo().browse(document_id)

        def unguarded_decision(controller, ticket_id, access_token):
            return request.env["aftersales.ticket"].sudo().browse(ticket_id)

        with (
            patch.object(CustomerPortal, "_document_check_access", unguarded),
            patch.object(AftersalesCustomerPortal, "_aftersales_customer_ticket", unguarded_decision),
        ):
            violations = self.check_ticket_page("/my/tickets/<int:ticket_id>")
            refused = self.check_ticket_refuse("/my/tickets/<int:ticket_id>/refuse")
            accepted = self.check_ticket_accept("/my/tickets/<int:ticket_id>/accept")
        self.assertIn("anonymous got through", violations)
        self.assertIn("other customer got through", violations)
        self.assertIn("wrong token got through", refused)
        self.assertIn("other customer got through", accepted)

    def test_matrix_fails_on_an_unclassified_route(self):
        with patch.object(type(self), "ROUTES", {k: v for k, v in self.ROUTES.items() if k != "/my/tickets/new"}):
            self.assertEqual(self.unclassified_routes(), ["/my/tickets/new"])
