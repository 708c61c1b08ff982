from odoo.tests import tagged

from .common import AftersalesPartsCommon


@tagged("post_install", "-at_install")
class TestTierRatioAtRuntime(AftersalesPartsCommon):
    """A manager who changes a tier's out-of-warranty ratio after install
    sees the next quotation priced at the new ratio; quotations already sent
    keep the price the customer was given."""

    def _quote(self):
        repair = self.open_repair(self.create_parts_ticket())
        repair.with_user(self.agent).action_aftersales_send_quotation()
        return repair.sale_order_id.order_line.filtered(lambda line: line.product_id == self.part)

    def test_new_ratio_reaches_the_next_quotation(self):
        first = self._quote()
        self.assertEqual(first.price_subtotal, 70.0, "70 % of the 100.00 list price")
        self.tier_intermediate.with_user(self.manager).out_of_warranty_ratio = 60.0
        second = self._quote()
        self.assertEqual(second.price_subtotal, 60.0)
        self.assertEqual(first.price_subtotal, 70.0, "a quotation already sent keeps its price")
