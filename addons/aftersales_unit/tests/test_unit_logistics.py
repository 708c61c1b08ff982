from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AftersalesUnitCommon


@tagged("post_install", "-at_install")
class TestUnitLogistics(AftersalesUnitCommon):
    """Must show 3: mail-in receipt with tracking reference, repair, return
    delivery; the unit's location on the ticket at each step; the company's
    stock value unchanged."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sell(cls.lot_laptop, cls.d(2026, 1, 10))

    def mail_in_ticket(self):
        return self.create_ticket(lot_id=self.lot_laptop.id, service_mode="mail_in", technician_id=self.tech_a.id)

    def test_mail_in_receipt_repair_and_return(self):
        value = self.company_value()
        ticket = self.mail_in_ticket()
        self.assertEqual(ticket.unit_state, "with_customer")
        self.assertEqual(ticket.unit_location_id, self.env.ref("stock.stock_location_customers"))

        receipt = ticket.with_user(self.agent).action_unit_expect("SF Express", "SF1234567890")
        self.assertEqual(ticket.unit_state, "in_transit")
        self.assertEqual(ticket.unit_tracking_note, "SF Express tracking SF1234567890")
        self.assertEqual(receipt.location_dest_id, self.units)
        self.assertEqual(receipt.state, "assigned")
        self.assertEqual(receipt.move_ids.move_line_ids.lot_id, self.lot_laptop)

        ticket.with_user(self.agent).action_unit_receive()
        self.assertEqual(receipt.state, "done")
        ticket.invalidate_recordset()
        self.assertEqual(ticket.unit_state, "received")
        self.assertEqual(ticket.unit_location_id, self.units)
        quant = self.env["stock.quant"].search(
            [("lot_id", "=", self.lot_laptop.id), ("location_id", "=", self.units.id)]
        )
        self.assertEqual((quant.quantity, quant.owner_id), (1.0, self.customer), "the unit stays the customer's")
        self.assertEqual(self.company_value(), value, "a customer's unit is not company stock")
        self.assertEqual(self.lot_laptop.aftersales_customer_id, self.customer)

        # The repair works on the unit where it is.
        action = ticket.with_user(self.tech_user_a).action_create_repair()
        repair = self.env["repair.order"].browse(action["res_id"])
        self.assertEqual((repair.product_location_src_id, repair.product_location_dest_id), (self.units, self.units))

        with self.refused(UserError, "still with the service centre"):
            ticket.stage_id = self.env["aftersales.stage"].search(
                [("is_closed", "=", True), ("is_cancelled", "=", False)], limit=1
            )

        with self.refused(UserError, "tracking reference"):
            ticket.with_user(self.agent).action_unit_ship_back("SF Express", "")
        back = ticket.with_user(self.agent).action_unit_ship_back("SF Express", "SF0987654321")
        self.assertEqual(back.state, "done")
        self.assertEqual(back.aftersales_tracking_ref, "SF0987654321")
        ticket.invalidate_recordset()
        self.assertEqual(ticket.unit_state, "shipped_back")
        self.assertEqual(ticket.unit_location_id, self.env.ref("stock.stock_location_customers"))
        self.assertEqual(self.company_value(), value)
        self.assertEqual(self.lot_laptop.aftersales_purchase_date, self.d(2026, 1, 10), "a return is no new sale")
        notice = ticket.message_ids.filtered(lambda m: "SF0987654321" in (m.body or ""))
        self.assertEqual(notice.message_type, "comment")
        self.assertIn(self.customer.id, notice.notified_partner_ids.ids)

    def test_carry_in_received_at_the_counter(self):
        ticket = self.create_ticket(lot_id=self.lot_laptop.id, service_mode="carry_in")
        ticket.with_user(self.agent).action_unit_receive()
        self.assertEqual((ticket.unit_state, ticket.unit_location_id), ("received", self.units))

    def test_refusals(self):
        ticket = self.mail_in_ticket()
        with self.refused(AccessError, "needs one of these rights"):
            ticket.with_user(self.tech_user_a).action_unit_receive()
        with self.refused(UserError, "tracking reference of the parcel"):
            ticket.with_user(self.agent).action_unit_expect("SF Express", " ")
        with self.refused(UserError, "not at the service centre"):
            ticket.with_user(self.agent).action_unit_ship_back("SF", "SF1")
        on_site = self.create_ticket(lot_id=self.lot_laptop.id, service_mode="on_site")
        with self.refused(UserError, "does not bring the unit"):
            on_site.with_user(self.agent).action_unit_expect("SF", "SF1")
        self.assertFalse(ticket.sudo().unit_picking_ids)

    def test_pickup_is_a_tier_perk_booked_within_the_promise(self):
        ticket = self.create_ticket(
            lot_id=self.lot_laptop.id, service_mode="pickup", sla_tier_id=self.tier_intermediate.id
        )
        with self.refused(UserError, "perk of the tiers"):
            ticket.with_user(self.agent).action_unit_expect("Own van", "PU-1")
        self.tier_intermediate.perk_pickup_delivery = True
        receipt = ticket.with_user(self.agent).action_unit_expect("Own van", "PU-1")
        self.assertEqual(receipt.scheduled_date, ticket.sla_response_deadline)
