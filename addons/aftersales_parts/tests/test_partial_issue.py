from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftersalesPartsCommon


@tagged("post_install", "-at_install")
class TestPartialIssue(AftersalesPartsCommon):
    """One part of two is short in the van: "Issue Parts" issues the part at
    hand, the ticket waits for the other, and the receipt of the missing part
    in the van (a stock receipt) reserves it and makes the repair ready."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.battery = cls.env["product.product"].create(
            {"name": "Battery 14", "is_storable": True, "list_price": 60.0, "standard_price": 25.0}
        )

    def _repair_with_two_parts(self):
        ticket = self.create_parts_ticket(in_warranty=True)
        repair = self.open_repair(ticket)
        repair.with_user(self.tech_user_a).write(
            {"move_ids": [(0, 0, {"product_id": self.battery.id, "product_uom_qty": 1.0, "repair_line_type": "add"})]}
        )
        return ticket, repair

    def _receive_in_van(self, product, qty):
        """A receipt from the vendor straight into the van, validated by the clerk."""
        warehouse = self.warehouse
        picking = (
            self.env["stock.picking"]
            .with_user(self.clerk)
            .create(
                {
                    "picking_type_id": warehouse.in_type_id.id,
                    "partner_id": self.vendor.id,
                    "location_id": self.env.ref("stock.stock_location_suppliers").id,
                    "location_dest_id": self.van.id,
                    "move_ids": [
                        (0, 0, {"product_id": product.id, "product_uom_qty": qty, "location_dest_id": self.van.id})
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        return picking

    def test_issue_what_is_available_and_wait_for_the_rest(self):
        ticket, repair = self._repair_with_two_parts()
        self.assertFalse(ticket.aftersales_parts_state)
        screen_move = repair.move_ids.filtered(lambda m: m.product_id == self.part)
        battery_move = repair.move_ids.filtered(lambda m: m.product_id == self.battery)

        action = repair.with_user(self.clerk).action_aftersales_issue_parts()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("Battery 14", action["params"]["message"])
        self.assertEqual((screen_move.quantity, screen_move.picked), (1.0, True), "the screen at hand is issued")
        self.assertEqual((battery_move.quantity, battery_move.picked, battery_move.state), (0.0, False, "confirmed"))
        self.assertEqual(self.van_qty(), 2.0, "the issued screen is reserved in the van")
        ticket.invalidate_recordset(["aftersales_parts_state"])
        self.assertEqual(ticket.aftersales_parts_state, "waiting")
        self.assertEqual(repair.parts_availability_state, "late")
        note = ticket.message_ids[0].body
        self.assertIn("Waiting for the rest", note)
        self.assertIn("Battery 14", note)

        # the battery arrives in the van: stock reserves it for the repair
        self._receive_in_van(self.battery, 1.0)
        self.assertEqual((battery_move.state, battery_move.quantity), ("assigned", 1.0))
        ticket.invalidate_recordset(["aftersales_parts_state"])
        self.assertEqual(ticket.aftersales_parts_state, "ready")
        repair.invalidate_recordset(["parts_availability_state"])
        self.assertEqual(repair.parts_availability_state, "available")

        # issued and repaired: both parts leave the van
        self.assertIs(repair.with_user(self.clerk).action_aftersales_issue_parts(), True)
        self.assertTrue(battery_move.picked)
        repair.with_user(self.clerk).action_repair_start()
        repair.with_user(self.clerk).action_repair_end()
        self.assertEqual((screen_move.state, battery_move.state), ("done", "done"))
        self.assertEqual(self.on_hand(self.battery, self.van), 0.0)
        self.assertEqual(self.on_hand(self.part, self.van), 2.0)
        ticket.invalidate_recordset(["aftersales_parts_state"])
        self.assertFalse(ticket.aftersales_parts_state)

    def test_nothing_available_is_refused_with_the_shortage(self):
        ticket = self.create_parts_ticket(in_warranty=True)
        repair = self.open_repair(ticket)
        repair.move_ids.product_uom_qty = 5.0  # the van holds 3
        with self.refused(UserError, r"Shortage: .*Screen panel 14 .*: 3\.0 of 5\.0"):
            repair.with_user(self.clerk).action_aftersales_issue_parts()
        self.assertFalse(repair.move_ids.picked)
        self.assertEqual(self.van_qty(), 3.0, "nothing was reserved")
