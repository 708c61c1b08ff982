from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftersalesPartsCommon


@tagged("post_install", "-at_install")
class TestInvoiceBatch(AftersalesPartsCommon):
    """Finance's month-end batch: one invoice per customer through the sale
    orders, every line still linked to its order line, so that invoicing
    twice is refused and a credit note reopens what it credits."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_customer = cls.env["res.partner"].create({"name": "Bund Logistics", "is_company": True})
        plan = cls.env["account.analytic.plan"].create({"name": "After-sales"})
        cls.analytic_sh = cls.env["account.analytic.account"].create({"name": "Shanghai repairs", "plan_id": plan.id})
        cls.analytic_vip = cls.env["account.analytic.account"].create({"name": "Key accounts", "plan_id": plan.id})

    def _repaired(self, customer):
        ticket = self.create_parts_ticket(partner_id=customer.id)
        repair = self.open_repair(ticket)
        repair.with_user(self.agent).action_aftersales_send_quotation()
        self.sign(repair.sale_order_id)
        repair.sale_order_id.with_user(self.agent).action_confirm()
        repair = repair.with_user(self.clerk)
        repair.action_aftersales_issue_parts()
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertEqual(ticket.settlement_state, "to_invoice")
        return ticket, repair.sale_order_id.with_env(self.env)

    def _batch(self):
        (t1, o1), (t2, o2), (t3, o3) = (
            self._repaired(self.customer),
            self._repaired(self.customer),
            self._repaired(self.other_customer),
        )
        return (t1 | t2 | t3), (o1 | o2 | o3)

    def test_batch_groups_by_customer_and_keeps_sale_links(self):
        tickets, orders = self._batch()
        # An analytic distribution on an order line reaches its invoice line.
        part_line = orders[0].order_line.filtered(lambda line: line.product_id == self.part)
        part_line.analytic_distribution = {str(self.analytic_sh.id): 100}

        action = orders.with_user(self.finance).action_aftersales_invoice_batch()
        invoices = self.env["account.move"].search(action["domain"])
        self.assertEqual(len(invoices), 2, "one invoice per customer")
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        by_partner = {inv.partner_id: inv for inv in invoices}
        self.assertEqual(by_partner[self.customer].amount_total, 210.0)
        self.assertEqual(by_partner[self.other_customer].amount_total, 105.0)
        for line in invoices.invoice_line_ids:
            self.assertEqual(len(line.sale_line_ids), 1)
            self.assertEqual(
                (line.product_id, line.quantity), (line.sale_line_ids.product_id, line.sale_line_ids.product_uom_qty)
            )
        self.assertEqual(invoices.invoice_line_ids.sale_line_ids, orders.order_line)
        self.assertEqual(set(orders.order_line.mapped("qty_invoiced")), {1.0})
        self.assertEqual(set(orders.mapped("invoice_status")), {"invoiced"})
        self.assertEqual(set(tickets.mapped("settlement_state")), {"invoiced"})
        invoice_part_line = invoices.invoice_line_ids.filtered(lambda line: line.sale_line_ids == part_line)
        self.assertEqual(invoice_part_line.analytic_distribution, {str(self.analytic_sh.id): 100})
        self.assertFalse((invoices.invoice_line_ids - invoice_part_line).filtered("analytic_distribution"))

        # Never twice, neither by batch nor order by order
        with self.refused(UserError, "anything left to invoice"):
            orders.with_user(self.finance).action_aftersales_invoice_batch()
        with self.refused(UserError, "Cannot create an invoice. No items are available to invoice"):
            orders.with_user(self.finance)._create_invoices()
        self.assertEqual(orders.invoice_ids, invoices)

        # A credit note of the first customer's invoice reopens their two tickets only
        refund = by_partner[self.customer].with_user(self.finance)._reverse_moves()
        refund.with_user(self.finance).action_post()
        tickets.invalidate_recordset(["settlement_state"])
        self.assertEqual(tickets.mapped("settlement_state"), ["to_invoice", "to_invoice", "invoiced"])

    def test_distribution_models_still_apply(self):
        """With a distribution model in place, the batch lets account look it up."""
        self.env["account.analytic.distribution.model"].create(
            {"partner_id": self.other_customer.id, "analytic_distribution": {str(self.analytic_vip.id): 100}}
        )
        _tickets, orders = self._batch()
        action = orders.with_user(self.finance).action_aftersales_invoice_batch()
        invoices = self.env["account.move"].search(action["domain"])
        vip_invoice = invoices.filtered(lambda inv: inv.partner_id == self.other_customer)
        self.assertEqual(
            vip_invoice.invoice_line_ids.mapped("analytic_distribution"), [{str(self.analytic_vip.id): 100}] * 2
        )
        self.assertFalse((invoices - vip_invoice).invoice_line_ids.filtered("analytic_distribution"))

    def test_distribution_model_created_later_applies(self):
        """A model created after the first quotation applies from then on, to
        the next quotation and to the invoice lines of both orders."""
        _ticket, first = self._repaired(self.customer)
        self.assertFalse(first.order_line.filtered("analytic_distribution"))
        self.env["account.analytic.distribution.model"].create(
            {"partner_id": self.customer.id, "analytic_distribution": {str(self.analytic_vip.id): 100}}
        )
        _ticket, second = self._repaired(self.customer)
        self.assertEqual(second.order_line.mapped("analytic_distribution"), [{str(self.analytic_vip.id): 100}] * 2)
        invoice = (first | second)._create_invoices()
        self.assertEqual(len(invoice.invoice_line_ids), 4)
        self.assertEqual(
            invoice.invoice_line_ids.mapped("analytic_distribution"), [{str(self.analytic_vip.id): 100}] * 4
        )
