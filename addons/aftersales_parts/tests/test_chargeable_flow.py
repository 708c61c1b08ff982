from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import SIGNATURE, AftersalesPartsCommon


@tagged("post_install", "-at_install")
class TestChargeableFlow(AftersalesPartsCommon, HttpCase):
    """Out of warranty on the Intermediate tier: the customer signs a
    quotation at 70 % of the list price, the part comes from the van, the
    sale order invoices it and the ticket follows the money."""

    def _sign_on_portal(self, order):
        self.authenticate("as_customer", "as_customer")
        return self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {"access_token": order._portal_ensure_token(), "name": "Li Wei", "signature": SIGNATURE},
        )

    def test_quote_sign_issue_invoice_pay_and_credit(self):
        ticket = self.create_parts_ticket()
        self.assertEqual(ticket.warranty_state, "out_of_warranty")
        repair = self.open_repair(ticket)
        self.assertEqual(repair.aftersales_ticket_id, ticket)
        self.assertEqual(repair.location_id, self.van, "parts are issued from the technician's van by default")
        self.assertEqual((repair.aftersales_coverage, repair.under_warranty), ("chargeable", False))
        self.assertEqual(ticket.settlement_state, "to_quote")
        self.assertEqual(ticket.repair_ids, repair)

        # The agent sends the quotation: tier pricelist, 70 + 35
        repair.with_user(self.agent).action_aftersales_send_quotation()
        order = repair.sale_order_id
        self.assertEqual(order.aftersales_ticket_id, ticket)
        self.assertEqual(order.pricelist_id, self.tier_intermediate.pricelist_id)
        self.assertTrue(order.require_signature)
        part_line = order.order_line.filtered(lambda line: line.product_id == self.part)
        labour_line = order.order_line.filtered(lambda line: line.product_id == self.labour)
        self.assertEqual(part_line.price_subtotal, 70.0)
        self.assertEqual((labour_line.product_uom_qty, labour_line.price_subtotal), (1.0, 35.0))
        self.assertEqual(order.amount_total, 105.0)
        self.assertEqual(repair.aftersales_labour_sale_line_id, labour_line)
        self._approve(ticket, repair, order)
        self._issue_and_repair(repair, part_line)
        self._invoice_pay_and_credit(ticket, order, part_line, labour_line)

    def _approve(self, ticket, repair, order):

        # Nothing is issued before the customer approves
        with self.assertRaisesRegex(UserError, "not approved"):
            repair.with_user(self.clerk).action_aftersales_issue_parts()
        self.assertEqual(self.van_qty(), 3.0)
        order.with_user(self.agent).action_quotation_sent()
        self.assertEqual(ticket.settlement_state, "awaiting_approval")
        self.assertEqual(repair.aftersales_approval_state, "awaiting")

        # The customer signs on the portal
        result = self._sign_on_portal(order)
        self.assertFalse(result.get("error"), result)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.signed_by, "Li Wei")
        self.assertEqual(repair.aftersales_approval_state, "approved")
        self.assertIn("approved: signed by Li Wei", ticket.message_ids[0].body)
        self.assertEqual(ticket.settlement_state, "to_invoice")

    def _issue_and_repair(self, repair, part_line):
        # The clerk issues the part from the van
        repair.with_user(self.clerk).action_aftersales_issue_parts()
        move = repair.move_ids
        self.assertEqual((move.quantity, move.picked, move.location_id), (1.0, True, self.van))
        self.assertEqual(self.van_qty(), 2.0, "the issued unit is reserved in the van")
        self.assertEqual(self.on_hand(self.part, self.van), 3.0)

        repair.with_user(self.clerk).action_repair_start()
        repair.with_user(self.clerk).action_repair_end()
        self.assertEqual(repair.state, "done")
        self.assertEqual(move.state, "done")
        self.assertEqual(self.on_hand(self.part, self.van), 2.0)
        self.assertEqual(move.aftersales_unit_cost, 40.0)
        self.assertEqual(part_line.qty_delivered, 1.0)

    def _invoice_pay_and_credit(self, ticket, order, part_line, labour_line):
        # Finance invoices: 70 + 35, once
        invoice = order.with_user(self.finance)._create_invoices()
        invoice.with_user(self.finance).action_post()
        self.assertEqual(sorted(invoice.invoice_line_ids.mapped("price_subtotal")), [35.0, 70.0])
        self.assertEqual(invoice.amount_total, 105.0)
        self.assertEqual(ticket.settlement_state, "invoiced")
        with self.refused(UserError, "Cannot create an invoice. No items are available to invoice"):
            order.with_user(self.finance)._create_invoices()
        with self.assertRaisesRegex(UserError, "anything left to invoice"):
            order.with_user(self.finance).action_aftersales_invoice_batch()
        self.assertEqual(order.invoice_ids, invoice)

        # Paid
        self.env["account.payment.register"].with_user(self.finance).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        ticket.invalidate_recordset(["settlement_state"])
        self.assertEqual(ticket.settlement_state, "paid")

        # A credit note of the labour line reopens it
        refund = invoice.with_user(self.finance)._reverse_moves()
        refund_part_line = refund.invoice_line_ids.filtered(lambda line: line.product_id == self.part)
        refund.with_user(self.finance).write({"invoice_line_ids": [Command.unlink(refund_part_line.id)]})
        refund.with_user(self.finance).action_post()
        self.assertEqual(refund.amount_total, 35.0)
        self.assertEqual(labour_line.qty_invoiced, 0.0)
        self.assertEqual(part_line.qty_invoiced, 1.0)
        ticket.invalidate_recordset(["settlement_state"])
        self.assertEqual(ticket.settlement_state, "to_invoice")
        with self.assertRaisesRegex(UserError, "money|repair fees"):
            ticket.with_user(self.manager).action_archive()
