from odoo.tests import HttpCase, tagged

from .common import AftersalesUnitCommon

# Keep in sync with static/tests/tours/aftersales_unit_tour.js.
SERIAL = "TOUR-UNIT-0001"
SUBJECT = "Tour: fan is noisy"
TRACKING = "SF-TOUR-42"


@tagged("post_install", "-at_install")
class TestUi(AftersalesUnitCommon, HttpCase):
    """Must show 6: the customer registers a product and opens a mail-in
    ticket for it on the portal; the agent receives the unit."""

    def test_register_mail_in_and_receive(self):
        lot = self.env["stock.lot"].create({"name": SERIAL, "product_id": self.laptop.id})
        self.start_tour("/my", "aftersales_unit_portal_tour", login="as_customer")
        registration = self.Registration.search([("lot_id", "=", lot.id)])
        self.assertEqual((registration.state, registration.partner_id), ("pending", self.customer_contact))
        self.assertEqual(registration.proof_attachment_ids.mapped("name"), ["receipt.png"])

        registration.with_user(self.agent).action_verify()
        self.start_tour("/my/products", "aftersales_unit_mail_in_tour", login="as_customer")
        ticket = self.Ticket.search([("name", "=", SUBJECT)])
        self.assertEqual((ticket.service_mode, ticket.lot_id, ticket.unit_state), ("mail_in", lot, "in_transit"))

        ticket.team_id.member_ids = [(4, self.agent.id)]
        self.start_tour(
            f"/odoo/action-aftersales_ticket.aftersales_ticket_action/{ticket.id}",
            "aftersales_unit_receive_tour",
            login="as_agent",
        )
        ticket.invalidate_recordset()
        self.assertEqual(ticket.unit_state, "received")
        self.assertEqual(ticket.unit_location_id, self.units)
