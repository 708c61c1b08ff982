from odoo.tests import tagged

from .readonly_routes import ReadonlyRouteCase
from .test_portal import AftersalesPortalCommon


@tagged("post_install", "-at_install")
class TestReadonlyRoutes(AftersalesPortalCommon, ReadonlyRouteCase):
    """The customer's ticket list and the new-ticket form only read: served
    from the replica when there is one. The page of one ticket and every
    form post write, so they stay on the primary."""

    def test_ticket_list_and_form_served_readonly(self):
        self.authenticate("as_portal", "as_portal")
        response = self.assertServedReadonly("/my/tickets")
        self.assertIn("Laptop does not boot", response.text)
        self.assertNotIn("Globex printer jams", response.text, "still only the customer's own tickets")
        self.assertServedReadonly("/my/tickets?filterby=open&sortby=stage")
        self.assertServedReadonly("/my/tickets/page/1")
        response = self.assertServedReadonly("/my/tickets/new")
        self.assertIn('name="description"', response.text)

    def test_writing_routes_stay_on_the_primary(self):
        self.assertIs(self.route_readonly(f"/my/tickets/{self.own_ticket.id}"), False)
        self.assertIs(self.route_readonly("/my/tickets/new", method="POST"), False)
        self.assertIs(self.route_readonly(f"/my/tickets/{self.own_ticket.id}/refuse", method="POST"), False)
