from odoo import fields
from odoo.tests import tagged, warmup

from .common import SIGNATURE, AftersalesPartsCommon


@tagged("post_install", "-at_install")
class TestFlowQueries(AftersalesPartsCommon):
    """The whole chargeable flow, from the customer's ticket to the posted
    invoice, has a query budget."""

    def _flow(self, ticket):
        repair = self.env["repair.order"].browse(ticket.action_create_repair()["res_id"])
        repair.write(
            {
                "aftersales_labour_hours": 1.0,
                "move_ids": [(0, 0, {"product_id": self.part.id, "product_uom_qty": 1.0, "repair_line_type": "add"})],
            }
        )
        repair.sudo()._create_sale_order()
        order = repair.sale_order_id
        order.action_quotation_sent()
        order.write({"signed_by": "Li Wei", "signed_on": fields.Datetime.now(), "signature": SIGNATURE})
        order.action_confirm()
        repair.action_aftersales_issue_parts()
        repair.action_repair_start()
        repair.action_repair_end()
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice

    @warmup
    def test_whole_flow_query_budget(self):
        self.env.flush_all()
        self.env.invalidate_all()
        # From the customer's ticket to the posted invoice, ticket creation
        # included: measured 244 (Odoo's repair flow alone: 242). Was 239
        # before the quotation went through Odoo's _create_sale_order for
        # every repair and Odoo's analytic lookups ran again on the
        # quotation and invoice lines (issue 17: +5). The issue's target of
        # 200 is out of reach: Odoo's sale, stock and account calls take over
        # 200 by themselves (tests/benchmarks/README_parts.md, per step).
        # 244 -> 311 (issue 22): the ticket's acknowledgement and assignment
        # notices are posted in this transaction now, no longer after commit
        # (311 with this addon and its dependencies alone, 306 with the whole
        # suite installed). 311 -> 310: the notices are rendered by one
        # composer per batch and go to their addressee only.
        # With Odoo's loyalty installed (aftersales_quality's coupon
        # compensations depend on it, and it auto-installs sale_loyalty,
        # whose program checks run on the quotation and the order
        # confirmation): 316 with the whole suite (306 before), 318 with
        # aftersales_quality and its dependencies only. This addon alone: 310.
        budget = 318 if "coupon_point_ids" in self.env["sale.order"]._fields else 310
        with self.assertQueryCount(budget):
            ticket = self.create_parts_ticket()
            invoice = self._flow(ticket)
            self.env.flush_all()
        self.assertEqual(invoice.amount_total, 105.0)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(ticket.settlement_state, "invoiced")
