from odoo import http
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import AftersalesPartsCommon


@tagged("post_install", "-at_install")
class TestRefusal(AftersalesPartsCommon, HttpCase):
    """The customer refuses the quotation: the repair is cancelled, no
    chargeable part leaves the van, the unit goes back unrepaired, the
    ticket logs it, and the inspection fee is invoiced at its configured
    price when the company charges one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.inspection = cls.env["product.product"].create(
            {
                "name": "Inspection fee",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 30.0,
                "taxes_id": [(5, 0, 0)],
            }
        )

    def _quote(self):
        ticket = self.create_parts_ticket()
        repair = self.open_repair(ticket)
        repair.with_user(self.agent).action_aftersales_send_quotation()
        order = repair.sale_order_id
        order.with_user(self.agent).action_quotation_sent()
        self.assertEqual((ticket.settlement_state, repair.aftersales_approval_state), ("awaiting_approval", "awaiting"))
        self.env.cr.flush()  # the quotation's request ends: its notices are posted (precommit)
        return ticket, repair, order

    def _decline_on_portal(self, order, message):
        self.authenticate("as_customer", "as_customer")
        response = self.url_open(
            f"/my/orders/{order.id}/decline",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "access_token": order._portal_ensure_token(),
                "decline_message": message,
            },
        )
        self.env.invalidate_all()
        return response

    def _assert_unrepaired(self, ticket, repair, order):
        self.assertEqual(order.state, "cancel")
        self.assertEqual((repair.state, repair.aftersales_approval_state), ("cancel", "refused"))
        self.assertEqual(set(repair.move_ids.mapped("state")), {"cancel"}, "no chargeable part is consumed")
        self.assertEqual(self.van_qty(), 3.0, "nothing stays reserved in the van")
        self.assertEqual(self.on_hand(self.part, self.van), 3.0)
        self.assertFalse(order.invoice_ids)
        # Nothing can be issued or started on the refused repair afterwards
        with self.refused(UserError, "not approved"):
            repair.with_user(self.clerk).action_aftersales_issue_parts()
        with self.refused(UserError, "not approved"):
            repair.with_user(self.clerk).action_repair_start()
        self.assertEqual(self.van_qty(), 3.0)

    def test_portal_refusal_without_fee(self):
        self.company.aftersales_inspection_product_id = False
        ticket, repair, order = self._quote()
        response = self._decline_on_portal(order, "Too expensive, I will buy a new one")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("cant_reject", response.url)
        self._assert_unrepaired(ticket, repair, order)
        self.assertIn("refused: the unit goes back unrepaired", ticket.message_ids[0].body)
        self.assertNotIn("inspection fee", ticket.message_ids[0].body)
        self.assertEqual(ticket.aftersales_sale_order_ids, order, "no fee order without an inspection fee")
        self.assertFalse(self.env["account.move"].search([("partner_id", "=", self.customer.id)]))
        self.assertEqual(ticket.settlement_state, "nothing")
        # Nothing is left to settle: the ticket may be archived
        ticket.with_user(self.manager).action_archive()
        self.assertFalse(ticket.active)

    def test_portal_refusal_charges_the_inspection_fee(self):
        self.company.aftersales_inspection_product_id = self.inspection
        ticket, repair, order = self._quote()
        self._decline_on_portal(order, "Not worth it")
        self._assert_unrepaired(ticket, repair, order)

        # The fee is invoiced at its configured price, not at the tier's ratio
        fee_order = ticket.aftersales_sale_order_ids - order
        self.assertEqual(len(fee_order), 1)
        self.assertEqual((fee_order.state, fee_order.origin), ("sale", order.name))
        self.assertFalse(fee_order.repair_order_ids)
        invoice = fee_order.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(
            (invoice.state, invoice.move_type, invoice.partner_id), ("posted", "out_invoice", self.customer)
        )
        self.assertEqual(invoice.invoice_line_ids.product_id, self.inspection)
        self.assertEqual(invoice.amount_total, 30.0)
        self.assertEqual(fee_order.order_line.qty_invoiced, 1.0)
        self.assertEqual(ticket.settlement_state, "invoiced")
        log = ticket.message_ids[0].body
        self.assertIn("refused: the unit goes back unrepaired", log)
        self.assertIn(invoice.name, log)
        self.assertFalse(
            ticket.message_ids.filtered(lambda m: fee_order.name in (m.body or "") and "approved" in m.body),
            "the fee order is not a quotation the customer approved",
        )
        with self.assertRaisesRegex(UserError, "money|repair fees"):
            ticket.with_user(self.manager).action_archive()

        # Paid: settled
        self.env["account.payment.register"].with_user(self.finance).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        ticket.invalidate_recordset(["settlement_state"])
        self.assertEqual(ticket.settlement_state, "paid")

    def test_backend_refusal_charges_the_fee_once(self):
        self.company.aftersales_inspection_product_id = self.inspection
        ticket, repair, order = self._quote()
        order.with_user(self.agent).action_cancel()
        self._assert_unrepaired(ticket, repair, order)
        fee_order = ticket.aftersales_sale_order_ids - order
        self.assertEqual(fee_order.invoice_ids.amount_total, 30.0)
        self.assertEqual(ticket.settlement_state, "invoiced")
        self.assertIn("refused: the unit goes back unrepaired", ticket.message_ids[0].body)
        # Cancelling the cancelled quotation again charges nothing more
        order.action_cancel()
        self.assertEqual(ticket.aftersales_sale_order_ids - order, fee_order)

        # A second repair of the same ticket refused too: the unit was inspected once
        second = self.open_repair(ticket)
        second.with_user(self.agent).action_aftersales_send_quotation()
        second.sale_order_id.with_user(self.agent).action_cancel()
        self.assertEqual(second.state, "cancel")
        self.assertEqual(ticket.aftersales_sale_order_ids - order - second.sale_order_id, fee_order)
        self.assertIn("refused: the unit goes back unrepaired.", ticket.message_ids[0].body)
        self.assertEqual(ticket.settlement_state, "invoiced")

    def test_cancelling_an_approved_order_is_no_refusal(self):
        """Cancelling a quotation the customer already signed is not a refusal: no fee."""
        self.company.aftersales_inspection_product_id = self.inspection
        ticket, _repair, order = self._quote()
        self.sign(order)
        order.with_user(self.agent).action_confirm()
        order.action_cancel()
        self.assertEqual(ticket.aftersales_sale_order_ids, order)
        self.assertNotIn("refused", ticket.message_ids[0].body)
