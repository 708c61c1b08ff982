from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AftersalesPartsCommon


@tagged("post_install", "-at_install")
class TestReverseLogistics(AftersalesPartsCommon):
    """The faulty part removed from the unit goes to quarantine, is inspected
    and then scrapped, reused or sent back to the vendor, traceable from the
    ticket and from the unit's serial."""

    def _repair_with_removal(self, qty=1.0):
        ticket = self.create_parts_ticket(in_warranty=True)
        repair = self.open_repair(ticket)
        repair.with_user(self.tech_user_a).write(
            {"move_ids": [(0, 0, {"product_id": self.part.id, "product_uom_qty": qty, "repair_line_type": "remove"})]}
        )
        removal = repair.move_ids.filtered(lambda m: m.repair_line_type == "remove")
        self.assertEqual(removal.location_dest_id, self.quarantine)
        repair = repair.with_user(self.clerk)
        repair.action_aftersales_issue_parts()
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertEqual(removal.state, "done")
        return ticket, repair

    def test_quarantine_inspect_scrap(self):
        stock_before = self.on_hand(self.part, self.stock_location)
        ticket, repair = self._repair_with_removal()
        self.assertEqual(self.on_hand(self.part, self.van), 2.0, "the new part left the van")
        self.assertEqual(self.on_hand(self.part, self.quarantine), 1.0, "the faulty part is in quarantine")
        part = ticket.part_return_ids
        self.assertEqual(len(part), 1)
        self.assertEqual((part.state, part.lot_id, part.repair_id), ("quarantine", self.lot_laptop, repair))
        self.assertEqual(part.vendor_id, self.vendor)

        part = part.with_user(self.clerk)
        with self.refused(UserError, "inspection result"):
            part.action_inspect()
        with self.refused(AccessError, "Returned Faulty Part are set by the system and cannot be changed: State"):
            part.with_user(self.tech_user_a).write({"state": "scrapped"})
        with self.refused(AccessError, "Inspecting returned parts needs one of these rights.*Inventory / User"):
            part.with_user(self.tech_user_a).action_inspect()
        part.write({"inspection_result": "defective", "inspection_note": "Cracked backlight"})
        part.action_inspect()
        self.assertEqual((part.state, part.inspected_by_id), ("inspected", self.clerk))
        self.assertEqual(self.on_hand(self.part, self.quarantine), 1.0)
        with self.refused(UserError, "working"):
            part.action_reuse()

        part.action_scrap()
        scrap = part.scrap_id
        self.assertEqual((part.state, scrap.state), ("scrapped", "done"))
        self.assertEqual(self.on_hand(self.part, self.quarantine), 0.0)
        self.assertEqual(self.on_hand(self.part, scrap.scrap_location_id), 1.0)
        self.assertEqual(self.on_hand(self.part, self.stock_location), stock_before)
        self.assertEqual(scrap.move_ids.location_id, self.quarantine)
        # Found from the ticket and from the serial, and back
        self.assertEqual(ticket.part_return_ids.scrap_id, scrap)
        self.assertEqual(self.lot_laptop.aftersales_part_return_ids.scrap_id, scrap)
        self.assertIn(ticket.number, scrap.origin)
        self.assertEqual(part.action_view_ticket()["res_id"], ticket.id)

    def test_reuse_and_return_to_vendor(self):
        ticket, _repair = self._repair_with_removal(qty=2.0)
        part = ticket.part_return_ids.with_user(self.clerk)
        self.assertEqual(part.quantity, 2.0)
        part.write({"inspection_result": "reusable"})
        part.action_inspect()
        stock_before = self.on_hand(self.part, self.stock_location)
        part.action_reuse()
        self.assertEqual(part.state, "reused")
        self.assertEqual(self.on_hand(self.part, self.stock_location), stock_before + 2.0)
        self.assertEqual(self.on_hand(self.part, self.quarantine), 0.0)

        ticket, _repair = self._repair_with_removal()
        part = ticket.part_return_ids.with_user(self.clerk)
        part.write({"inspection_result": "repairable"})
        part.action_inspect()
        with self.refused(UserError, "RMA"):
            part.action_return_to_vendor()
        part.write({"rma_reference": "RMA-4711"})
        part.action_return_to_vendor()
        picking = part.picking_id
        self.assertEqual(
            (part.state, picking.partner_id, picking.location_id), ("vendor", self.vendor, self.quarantine)
        )
        self.assertIn("RMA-4711", picking.origin)
        self.assertEqual(picking.move_ids.product_uom_qty, 1.0)
        self.assertEqual(picking.state, "assigned", "the faulty part is reserved in quarantine for the vendor")

    def test_core_picking_rule_kept_outside_tickets(self):
        """Core's rule at the end of a repair: when some parts are picked,
        only those are done. The addon keeps it for every repair and only
        adds, on a ticket's repair, that the removed parts leave the unit
        even though the new parts were issued (picked) beforehand."""
        moves = [
            (0, 0, {"product_id": self.part.id, "product_uom_qty": 1.0, "repair_line_type": line_type})
            for line_type in ("add", "remove")
        ]
        plain = self.env["repair.order"].create(
            {"partner_id": self.customer.id, "location_id": self.van.id, "move_ids": moves}
        )
        ticket_repair = self.open_repair(self.create_parts_ticket(in_warranty=True))
        ticket_repair.write({"move_ids": [moves[1]]})
        for repair in (plain, ticket_repair):
            repair._action_repair_confirm()
            added = repair.move_ids.filtered(lambda m: m.repair_line_type == "add")
            added.write({"quantity": 1.0, "picked": True})
            repair.action_repair_start()
            repair.action_repair_end()
            self.assertEqual((repair.state, added.state), ("done", "done"))
        self.assertNotEqual(plain.move_ids.filtered(lambda m: m.repair_line_type == "remove").state, "done")
        removed = ticket_repair.move_ids.filtered(lambda m: m.repair_line_type == "remove")
        self.assertEqual((removed.state, removed.location_dest_id), ("done", self.quarantine))
        self.assertEqual(ticket_repair.aftersales_part_return_ids.move_id, removed)
