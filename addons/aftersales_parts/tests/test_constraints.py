from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import SIGNATURE, AftersalesPartsCommon


@tagged("post_install", "-at_install")
class TestBadInput(AftersalesPartsCommon, HttpCase):
    """Each bad input is refused with a clear message and nothing is written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls.create_parts_ticket()
        cls.repair = cls.env["repair.order"].browse(
            cls.ticket.with_user(cls.tech_user_a).action_create_repair()["res_id"]
        )

    def _add_part(self, user, product, qty):
        self.repair.with_user(user).write(
            {"move_ids": [(0, 0, {"product_id": product.id, "product_uom_qty": qty, "repair_line_type": "add"})]}
        )

    def test_negative_quantity(self):
        with self.refused(ValidationError, "cannot be negative"):
            self._add_part(self.tech_user_a, self.part, -1.0)
        self.assertFalse(self.repair.move_ids)
        with self.refused(ValidationError, "cannot be negative"):
            self.repair.with_user(self.tech_user_a).aftersales_labour_hours = -2.0
        self.assertEqual(self.repair.aftersales_labour_hours, 0.0)

    def test_part_must_be_goods(self):
        with self.refused(ValidationError, "not a goods product"):
            self._add_part(self.tech_user_a, self.labour, 1.0)
        self.assertFalse(self.repair.move_ids)

    def test_expired_quotation_cannot_be_approved(self):
        self._add_part(self.tech_user_a, self.part, 1.0)
        self.repair.with_user(self.agent).action_aftersales_send_quotation()
        order = self.repair.sale_order_id
        order.action_quotation_sent()
        order.validity_date = self.today - timedelta(days=1)
        self.assertEqual(self.repair.aftersales_approval_state, "expired")
        self.authenticate("as_customer", "as_customer")
        result = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {"access_token": order._portal_ensure_token(), "name": "Li Wei", "signature": SIGNATURE},
        )
        self.assertIn("error", result)
        self.assertEqual((order.state, order.signature), ("sent", False))
        with self.refused(UserError, "expired"):
            order.with_user(self.agent).action_confirm()
        self.assertEqual(order.state, "sent")
        with self.refused(UserError, "not approved"):
            self.repair.with_user(self.clerk).action_repair_start()
        self.assertEqual(self.repair.state, "draft")

    def test_issue_from_another_company_location(self):
        other = self.env["res.company"].create({"name": "Other Service Co"})
        other_stock = self.env["stock.warehouse"].search([("company_id", "=", other.id)], limit=1).lot_stock_id
        self.assertTrue(other_stock)
        with self.refused(UserError, "compan"):
            self.repair.with_user(self.clerk).write({"location_id": other_stock.id})
        self.assertEqual(self.repair.location_id, self.van)

    def test_technician_cannot_edit_another_technicians_repair(self):
        with self.refused(AccessError, "(?s)top-secret records.*doesn't have 'read' access.*Repair Order"):
            self.repair.with_user(self.tech_user_b).write({"aftersales_labour_hours": 3.0})
        with self.refused(AccessError, "(?s)top-secret records.*doesn't have 'read' access.*Repair Order"):
            self.repair.with_user(self.tech_user_b).read(["name"])
        self.assertEqual(self.repair.aftersales_labour_hours, 0.0)
        # The owner may, but not the facts the system computes
        self.repair.with_user(self.tech_user_a).write({"aftersales_labour_hours": 1.5})
        self.assertEqual(self.repair.aftersales_labour_hours, 1.5)
        facts = "are set by the system and cannot be changed"
        for vals, refusal in (
            ({"aftersales_coverage": "warranty"}, facts),
            ({"under_warranty": True}, facts),
            ({"aftersales_labour_cost": 0.0}, facts),
        ):
            with self.subTest(vals=vals), self.refused(AccessError, refusal):
                self.repair.with_user(self.tech_user_a).write(vals)
        self.assertEqual((self.repair.aftersales_coverage, self.repair.under_warranty), ("chargeable", False))
