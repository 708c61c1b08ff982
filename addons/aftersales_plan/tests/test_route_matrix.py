from odoo.addons.aftersales_ticket.tests.route_matrix import (
    ANONYMOUS,
    OTHER_COMPANY,
    OTHER_CUSTOMER,
    OWNER,
    WRONG_TOKEN,
    RouteMatrixCase,
)
from odoo.tests import tagged

from .common import AftersalesProviderCommon

# The owner of a subcontracted ticket is its service centre's portal user;
# OTHER_CUSTOMER is another centre's portal user. The ticket's own customer
# may not act as the centre either.
TICKET_CUSTOMER = "customer of the ticket"
VISITORS = (ANONYMOUS, OTHER_CUSTOMER, OTHER_COMPANY, WRONG_TOKEN, TICKET_CUSTOMER, OWNER)


@tagged("post_install", "-at_install")
class TestPlanRouteMatrix(AftersalesProviderCommon, RouteMatrixCase):
    ADDON = "aftersales_plan"
    ROUTES = {
        "/my/service-centre": "check_centre_list",
        "/my/service-centre/<int:ticket_id>": "check_centre_ticket_page",
        "/my/service-centre/<int:ticket_id>/update": "check_centre_update",
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls.subcontracted_ticket(name="Printer jams at tray 2")
        cls.VISITOR_LOGINS = {
            OWNER: ("centre_fixit", "centre_fixit"),
            OTHER_CUSTOMER: ("centre_other", "centre_other"),
            TICKET_CUSTOMER: ("centre_customer", "centre_customer"),
            OTHER_COMPANY: cls.new_other_company_user(
                "centre_route_other_company", "aftersales_ticket.group_aftersales_manager"
            ),
        }

    def check_centre_list(self, rule):
        outcomes = {}
        for visitor in VISITORS:
            self.visit(visitor, self.ticket)
            response = self.url_open(rule, allow_redirects=False)
            outcomes[visitor] = response.status_code == 200 and self.ticket.name in response.text
        return self.judge(outcomes, allowed=(OWNER,))

    def check_centre_ticket_page(self, rule):
        outcomes = {}
        for visitor in VISITORS:
            token = self.visit(visitor, self.ticket)
            url = self.url(rule, ticket_id=self.ticket.id) + (f"?access_token={token}" if token else "")
            response = self.url_open(url, allow_redirects=False)
            outcomes[visitor] = response.status_code == 200 and self.ticket.name in response.text
        return self.judge(outcomes, allowed=(OWNER,))

    def check_centre_update(self, rule):
        outcomes = {}
        for visitor in VISITORS:
            token = self.visit(visitor, self.ticket)
            marker = f"seen by {visitor}"
            data = {"parts_used": marker}
            if token:
                data["access_token"] = token
            self.post_form(self.url(rule, ticket_id=self.ticket.id), data)
            self.ticket.invalidate_recordset()
            outcomes[visitor] = self.ticket.provider_parts_used == marker
        return self.judge(outcomes, allowed=(OWNER,))

    def test_centre_updates_its_ticket_over_http(self):
        """The centre's staff write the diagnosis and parts, then report done;
        a field outside the form's list (the stage, the technician) is ignored."""
        self.authenticate("centre_fixit", "centre_fixit")
        self.post_form(
            f"/my/service-centre/{self.ticket.id}/update",
            {"diagnosis": "Fuser worn", "parts_used": "Fuser x1", "done": "1", "technician_id": self.tech_a.id},
        )
        self.ticket.invalidate_recordset()
        self.assertIn("Fuser worn", self.ticket.diagnosis)
        self.assertEqual(self.ticket.provider_parts_used, "Fuser x1")
        self.assertTrue(self.ticket.provider_done_date)
        self.assertFalse(self.ticket.technician_id)
        page = self.url_open(f"/my/service-centre/{self.ticket.id}?message=done")
        self.assertIn("The work is reported done.", page.text)
