from unittest.mock import patch

from odoo import http
from odoo.addons.aftersales_ticket.tests.route_matrix import (
    ANONYMOUS,
    OTHER_COMPANY,
    OTHER_CUSTOMER,
    OWNER,
    TOKEN,
    WRONG_TOKEN,
    RouteMatrixCase,
)
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.http import request
from odoo.tests import tagged

from ..controllers.portal import AftersalesUnitPortal
from .common import PROOF_PDF
from .test_portal import UnitPortalCase

VISITORS = (ANONYMOUS, OTHER_CUSTOMER, OTHER_COMPANY, OWNER)


@tagged("post_install", "-at_install")
class TestUnitRouteMatrix(UnitPortalCase, RouteMatrixCase):
    """Units have no token: the owner is a portal user of the company the
    unit was delivered or registered to; everybody else is a stranger."""

    ADDON = "aftersales_unit"
    ROUTES = {
        "/my/products": "check_login_required",
        "/my/products/<int:lot_id>": "check_unit_page",
        "/my/products/register": "check_register",
        "/my/products/<int:lot_id>/ticket": "check_unit_ticket",
        "/my/tickets/<int:ticket_id>": "check_ticket_report",
    }

    @classmethod
    def new_user(cls, login, groups, **kw):
        return mail_new_test_user(cls.env, login=login, groups=groups, name=login, **kw)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        other_company_login = cls.new_other_company_user(
            "unit_route_other_company", "aftersales_ticket.group_aftersales_manager,stock.group_stock_manager"
        )
        cls.VISITOR_LOGINS = {
            OWNER: ("as_customer", "as_customer"),
            OTHER_CUSTOMER: ("as_other", "as_other"),
            OTHER_COMPANY: other_company_login,
        }

    def check_unit_page(self, rule):
        outcomes = {}
        for visitor in VISITORS:
            self.visit(visitor)
            response = self.url_open(self.url(rule, lot_id=self.lot_laptop.id), allow_redirects=False)
            outcomes[visitor] = response.status_code == 200 and "PB14-0001" in response.text
        return self.judge(outcomes, allowed=(OWNER,))

    def check_register(self, rule):
        """A registration needs a customer's session, and is the customer's
        own whatever the form says: both customers get through (the serial is
        free), the anonymous visitor and the employee do not."""
        customers = {OWNER: self.customer, OTHER_CUSTOMER: self.other_customer}
        outcomes = {}
        for visitor in VISITORS:
            self.visit(visitor)
            self.Registration.sudo().search([]).unlink()
            self.post_form_files(rule, {"serial": "PB14-0002", "purchase_date": "2026-03-01"})
            created = self.Registration.sudo().search([])
            outcomes[visitor] = bool(created)
            if created:
                self.assertEqual(created.commercial_partner_id, customers.get(visitor))
        return self.judge(outcomes, allowed=(OWNER, OTHER_CUSTOMER))

    def check_unit_ticket(self, rule):
        outcomes = {}
        for visitor in VISITORS:
            self.visit(visitor)
            subject = f"Matrix mail-in {visitor}"
            self.post_form(self.url(rule, lot_id=self.lot_laptop.id), {"name": subject, "description": "Broken"})
            outcomes[visitor] = bool(self.Ticket.sudo().search([("name", "=", subject)]))
        return self.judge(outcomes, allowed=(OWNER,))

    def check_ticket_report(self, rule):
        """The repair report is served to the ticket's customer and token only."""
        ticket = self.create_parts_ticket(in_warranty=True)
        self.open_repair(ticket)
        outcomes = {}
        for visitor in (*VISITORS, WRONG_TOKEN, TOKEN):
            token = self.visit(visitor, ticket)
            url = (
                self.url(rule, ticket_id=ticket.id) + "?report_type=html" + (f"&access_token={token}" if token else "")
            )
            response = self.url_open(url, allow_redirects=False)
            outcomes[visitor] = response.status_code == 200 and "Covered: nothing to pay." in response.text
        return self.judge(outcomes, allowed=(OWNER, TOKEN))

    def post_form_files(self, url, data):
        payload = {"csrf_token": http.Request.csrf_token(self), **data}
        return self.url_open(
            url, data=payload, files={"proof": ("proof.pdf", PROOF_PDF, "application/pdf")}, allow_redirects=False
        )

    def test_matrix_fails_on_an_unguarded_route(self):
        """With the ownership check taken out, the matrix reports the strangers."""

        def unguarded(controller, lot_id):
            return request.env["stock.lot"].sudo().browse(lot_id)

        with patch.object(AftersalesUnitPortal, "_aftersales_my_unit", unguarded):
            page = self.check_unit_page("/my/products/<int:lot_id>")
            ticket = self.check_unit_ticket("/my/products/<int:lot_id>/ticket")
        self.assertIn("other customer got through", page)
        self.assertIn("other customer got through", ticket)
