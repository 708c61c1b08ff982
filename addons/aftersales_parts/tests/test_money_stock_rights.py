from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AftersalesPartsCommon


@tagged("post_install", "-at_install")
class TestMoneyStockRights(AftersalesPartsCommon):
    """Money and stock move only by those who own them: each attack of a
    role on the job is refused by the addon's own check, with a message that
    names the missing right, and each role does its own job with the suite's
    groups alone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.van_b = cls.env["stock.location"].create(
            {"name": "Van B", "usage": "internal", "location_id": cls.warehouse.view_location_id.id}
        )
        cls.tech_b.van_location_id = cls.van_b
        cls.env["stock.quant"]._update_available_quantity(cls.part, cls.van_b, 3.0)
        cls.env["stock.quant"]._update_available_quantity(cls.part, cls.stock_location, 3.0)
        # Van A is replenished from the warehouse by a reordering rule, as
        # the configuration advises: issuing and reserving its parts run
        # Odoo's scheduler, which reads and writes stock the technician and
        # the agent have no right on.
        van_resupply = cls.env["stock.route"].create(
            {
                "name": "Van A resupply",
                "product_selectable": True,
                "rule_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "WH/Stock -> Van A",
                            "action": "pull",
                            "location_src_id": cls.stock_location.id,
                            "location_dest_id": cls.van.id,
                            "picking_type_id": cls.warehouse.int_type_id.id,
                            "procure_method": "make_to_stock",
                        },
                    )
                ],
            }
        )
        cls.env["stock.warehouse.orderpoint"].create(
            {
                "route_id": van_resupply.id,
                "product_id": cls.part.id,
                "location_id": cls.van.id,
                "warehouse_id": cls.warehouse.id,
                "product_min_qty": 3.0,
                "product_max_qty": 6.0,
                "trigger": "auto",
            }
        )

    def _approved(self, location=None):
        repair = self.open_repair(self.create_parts_ticket())
        if location:
            repair.with_user(self.tech_user_a).write({"location_id": location.id})
        repair.with_user(self.agent).action_aftersales_send_quotation()
        self.sign(repair.sale_order_id)
        repair.sale_order_id.with_user(self.agent).action_confirm()
        return repair

    # ------------------------------------------------------------------
    # Invoicing, confirming, cancelling
    # ------------------------------------------------------------------

    def test_agent_cannot_invoice_nor_price(self):
        repair = self._approved()
        order = repair.sale_order_id
        labour_line = repair.aftersales_labour_sale_line_id
        with self.refused(AccessError, "Changing the price of a repair quotation needs .*After-sales / Manager"):
            labour_line.with_user(self.agent).write({"price_unit": 99999.0})
        with self.refused(AccessError, "Pricing a repair quotation by hand needs"):
            self.env["sale.order.line"].with_user(self.agent).create(
                {"order_id": order.id, "product_id": self.labour.id, "price_unit": 99999.0}
            )
        repair.with_user(self.clerk).action_aftersales_issue_parts()
        repair.action_repair_start()
        repair.action_repair_end()
        with self.refused(AccessError, "Invoicing repairs needs one of these rights.*Invoicing"):
            order.with_user(self.agent).action_aftersales_invoice_batch()
        with self.refused(AccessError, "Invoicing repairs needs"):
            order.with_user(self.tech_user_a).action_aftersales_invoice_batch()
        self.assertFalse(order.invoice_ids)
        self.assertEqual(order.amount_total, 105.0)
        order.with_user(self.finance).action_aftersales_invoice_batch()
        self.assertEqual((order.invoice_ids.state, order.invoice_ids.amount_total), ("posted", 105.0))

    def test_salesperson_cannot_invoice_a_ticket_through_odoos_wizard(self):
        salesperson = mail_new_test_user(
            self.env, login="as_sales", groups="sales_team.group_sale_salesman_all_leads", name="Sales Person"
        )
        repair = self._approved()
        repair.with_user(self.clerk).action_aftersales_issue_parts()
        repair.action_repair_start()
        repair.action_repair_end()
        order = repair.sale_order_id
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_user(salesperson)
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "delivered"})
        )
        with self.refused(AccessError, "Invoicing repairs needs one of these rights"):
            wizard.create_invoices()
        self.assertFalse(order.invoice_ids)

    def test_confirming_without_the_customers_signature(self):
        repair = self.open_repair(self.create_parts_ticket())
        repair.with_user(self.agent).action_aftersales_send_quotation()
        order = repair.sale_order_id
        with self.refused(AccessError, "has not signed .* needs one of these rights.*After-sales / Manager"):
            order.with_user(self.agent).action_confirm()
        with self.refused(AccessError, "Confirming a repair quotation needs"):
            order.with_user(self.tech_user_a).action_confirm()
        # Nor can the agent sign for the customer
        with self.refused(AccessError, "signs a repair quotation on the portal"):
            order.with_user(self.agent).write({"signed_by": "Li Wei", "signature": False})
        self.assertEqual(order.state, "draft")
        # Approved by phone: the manager confirms, the parts are reserved
        order.with_user(self.manager).action_confirm()
        self.assertEqual((order.state, repair.state), ("sale", "confirmed"))

    def test_agent_confirms_a_signed_quotation(self):
        """An agent has no right on stock; the approval reserves the parts
        after our check, as the system."""
        repair = self._approved()
        self.assertEqual(repair.sale_order_id.state, "sale")
        self.assertEqual(repair.state, "confirmed")
        self.assertEqual(repair.aftersales_approval_state, "approved")
        self.assertEqual(repair.move_ids.state, "assigned", "the van's part is reserved for the repair")

    def test_technician_cannot_cancel_with_the_inspection_fee(self):
        self.company.aftersales_inspection_product_id = self.env["product.product"].create(
            {"name": "Inspection fee", "type": "service", "invoice_policy": "order", "list_price": 30.0}
        )
        repair = self.open_repair(self.create_parts_ticket())
        repair.with_user(self.agent).action_aftersales_send_quotation()
        order = repair.sale_order_id
        with self.refused(AccessError, "Cancelling a repair quotation needs one of these rights"):
            order.with_user(self.tech_user_a).action_cancel()
        self.assertEqual(order.state, "draft")
        self.assertFalse(repair.aftersales_ticket_id.aftersales_inspection_order_id)

    # ------------------------------------------------------------------
    # Parts
    # ------------------------------------------------------------------

    def test_assigned_technician_issues_from_their_van(self):
        """With the suite's technician group only (no Inventory right)."""
        self.assertFalse(self.tech_user_a.has_group("stock.group_stock_user"))
        repair = self._approved()
        repair.with_user(self.tech_user_a).action_aftersales_issue_parts()
        self.assertEqual((repair.move_ids.quantity, repair.move_ids.picked), (1.0, True))
        repair.with_user(self.tech_user_a).action_repair_start()
        repair.with_user(self.tech_user_a).action_repair_end()
        self.assertEqual(repair.state, "done")
        self.assertEqual(self.on_hand(self.part, self.van), 2.0)

    def test_technician_cannot_issue_from_another_van_or_the_stock(self):
        for location in (self.van_b, self.stock_location):
            repair = self._approved(location)
            self.assertEqual(repair.move_ids.location_id, location)
            with self.refused(AccessError, f"{location.display_name} needs the right Inventory / User"):
                repair.with_user(self.tech_user_a).action_aftersales_issue_parts()
            self.assertFalse(repair.move_ids.picked)
        self.assertEqual(self.on_hand(self.part, self.van_b), 3.0)
        # A depot the warehouse opens to technicians
        self.stock_location.aftersales_technician_issue = True
        repair.with_user(self.tech_user_a).action_aftersales_issue_parts()
        self.assertTrue(repair.move_ids.picked)

    def test_other_technician_and_agent_cannot_issue(self):
        repair = self._approved()
        with self.refused(AccessError, "(?s)top-secret records.*doesn't have 'read' access.*Repair Order"):
            repair.with_user(self.tech_user_b).action_aftersales_issue_parts()
        with self.refused(AccessError, "Issuing parts of .* needs the right Inventory / User, or being the technician"):
            repair.with_user(self.agent).action_aftersales_issue_parts()
        self.assertFalse(repair.move_ids.picked)
        repair.with_user(self.clerk).action_aftersales_issue_parts()
        self.assertTrue(repair.move_ids.picked)

    def test_technician_cannot_send_removed_parts_away_from_quarantine(self):
        ticket = self.create_parts_ticket(in_warranty=True)
        repair = self.open_repair(ticket)
        repair.with_user(self.tech_user_a).write(
            {"move_ids": [(0, 0, {"product_id": self.part.id, "product_uom_qty": 1.0, "repair_line_type": "remove"})]}
        )
        removal = repair.move_ids.filtered(lambda m: m.repair_line_type == "remove")
        removal.with_user(self.tech_user_a).location_dest_id = self.van
        with self.refused(AccessError, "sends removed parts to the quarantine; WH/Van A needs"):
            repair.with_user(self.tech_user_a).action_aftersales_issue_parts()
        repair.with_user(self.clerk).action_aftersales_issue_parts()
        repair.with_user(self.tech_user_a).action_repair_start()
        with self.refused(AccessError, "sends removed parts to the quarantine"):
            repair.with_user(self.tech_user_a).action_repair_end()
        self.assertNotEqual(removal.state, "done")
        self.assertFalse(ticket.part_return_ids)

    def test_technician_cannot_dispose_of_returned_parts(self):
        ticket = self.create_parts_ticket(in_warranty=True)
        repair = self.open_repair(ticket)
        repair.write(
            {"move_ids": [(0, 0, {"product_id": self.part.id, "product_uom_qty": 1.0, "repair_line_type": "remove"})]}
        )
        repair.with_user(self.tech_user_a).action_aftersales_issue_parts()
        repair.with_user(self.tech_user_a).action_repair_start()
        repair.with_user(self.tech_user_a).action_repair_end()
        part = ticket.part_return_ids
        part.with_user(self.clerk).write({"inspection_result": "reusable"})
        for method in ("action_inspect", "action_reuse", "action_scrap", "action_return_to_vendor"):
            with self.refused(AccessError, "needs one of these rights.*Inventory / User"):
                getattr(part.with_user(self.tech_user_a), method)()
        self.assertEqual(part.state, "quarantine")

    # ------------------------------------------------------------------
    # Prices and coverage are facts
    # ------------------------------------------------------------------

    def test_quotation_price_comes_from_the_tier_pricelist(self):
        repair = self.open_repair(self.create_parts_ticket())
        with self.refused(AccessError, "Setting the price of a repair's part needs"):
            repair.move_ids.with_user(self.tech_user_a).write({"price_unit": 1.0})
        with self.refused(AccessError, "Setting the price of a repair's part needs"):
            repair.with_user(self.tech_user_a).write(
                {
                    "move_ids": [
                        (0, 0, {"product_id": self.part.id, "product_uom_qty": 1.0, "price_unit": 1.0}),
                    ]
                }
            )
        # Even a price on the move (the warehouse's valuation) is not the customer's price
        repair.move_ids.price_unit = 1.0
        repair.with_user(self.agent).action_aftersales_send_quotation()
        part_line = repair.sale_order_id.order_line.filtered(lambda line: line.product_id == self.part)
        self.assertEqual(part_line.price_unit, 70.0, "the Intermediate tier: 70 % of the list price")

    def test_manager_discount_is_logged_with_its_reason(self):
        repair = self.open_repair(self.create_parts_ticket())
        repair.with_user(self.agent).action_aftersales_send_quotation()
        order = repair.sale_order_id
        part_line = order.order_line.filtered(lambda line: line.product_id == self.part)
        part_line.with_user(self.manager).with_context(aftersales_price_reason="Loyal customer").write(
            {"discount": 10.0}
        )
        self.assertEqual(part_line.price_subtotal, 63.0)
        note = order.message_ids[0]
        self.assertIn("Loyal customer", note.body)
        self.assertIn(self.manager.name, note.body)

    def test_paid_or_free_is_not_the_technicians_call(self):
        repair = self.open_repair(self.create_parts_ticket(in_warranty=True))
        self.assertEqual(repair.aftersales_coverage, "warranty")
        repair.aftersales_damage_note = "Liquid under the keyboard"
        for vals in (
            {"aftersales_damage_reason": "water"},
            {"lot_id": self.lot_laptop_2.id},
            {"product_id": self.laptop.id},
            {"under_warranty": False},
        ):
            with self.refused(AccessError, "You are not allowed to set|set by the system"):
                repair.with_user(self.tech_user_a).write(vals)
        self.assertEqual((repair.aftersales_coverage, repair.lot_id), ("warranty", self.lot_laptop))
        # The agent at intake
        repair.with_user(self.agent).write({"aftersales_damage_reason": "water"})
        self.assertEqual(repair.aftersales_coverage, "chargeable")

    def test_confirmed_paid_repair_stays_on_its_ticket(self):
        repair = self._approved()
        in_warranty = self.create_parts_ticket(in_warranty=True, lot_id=self.lot_laptop_2.id)
        with self.refused(UserError, "changes ticket only while it is a draft"):
            repair.with_user(self.agent).write({"aftersales_ticket_id": in_warranty.id})
        with self.refused(UserError, "changes ticket only while it is a draft"):
            repair.with_user(self.manager).write({"aftersales_ticket_id": in_warranty.id})
        self.assertEqual(
            (repair.aftersales_ticket_id.warranty_state, repair.aftersales_coverage), ("out_of_warranty", "chargeable")
        )
        # After intake, the paid-or-free fields are the manager's
        with self.refused(AccessError, "You are not allowed to set"):
            repair.with_user(self.agent).write({"lot_id": self.lot_laptop_2.id})
        repair.with_user(self.manager).write({"lot_id": self.lot_laptop_2.id})
        self.assertEqual(repair.lot_id, self.lot_laptop_2)
