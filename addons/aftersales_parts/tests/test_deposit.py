from odoo.tests import HttpCase, tagged

from .common import SIGNATURE, AftersalesPartsCommon


@tagged("post_install", "-at_install")
class TestRepairDeposit(AftersalesPartsCommon, HttpCase):
    """With online payment of quotations enabled for sales (100 %
    prepayment, as sale's demo sets it), the customer's signature approves a
    repair quotation and the invoice is paid after the repair; a deposit is
    asked only when the company or the customer's tier sets one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"portal_confirmation_pay": True, "prepayment_percent": 1.0})

    def _quote(self):
        repair = self.open_repair(self.create_parts_ticket())
        repair.with_user(self.agent).action_aftersales_send_quotation()
        order = repair.sale_order_id
        order.with_user(self.agent).action_quotation_sent()
        return repair, order

    def _sign_on_portal(self, order):
        self.authenticate("as_customer", "as_customer")
        return self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {"access_token": order._portal_ensure_token(), "name": "Li Wei", "signature": SIGNATURE},
        )

    def test_signature_confirms_the_repair_without_prepayment(self):
        repair, order = self._quote()
        self.assertFalse(order.require_payment, "no online prepayment of a repair quotation")
        self.assertTrue(order.require_signature)
        result = self._sign_on_portal(order)
        self.assertFalse(result.get("error"), result)
        self.assertFalse(result.get("force_refresh") and "pay" in (result.get("redirect_url") or ""))
        self.assertEqual(order.state, "sale", "signing approved the repair")
        self.assertEqual(repair.aftersales_approval_state, "approved")
        self.assertEqual(repair.aftersales_ticket_id.settlement_state, "to_invoice", "paid on the invoice later")
        # an ordinary sale quotation of the same company still asks for its prepayment
        sale = self.env["sale.order"].create({"partner_id": self.customer.id})
        self.assertTrue(sale.require_payment)

    def test_deposit_set_at_runtime_reaches_the_next_quotation(self):
        _repair, before = self._quote()
        self.assertFalse(before.require_payment)

        settings = self.env["res.config.settings"].create({})
        settings.aftersales_deposit_percent = 0.3
        settings.execute()
        self.assertEqual(self.company.aftersales_deposit_percent, 0.3)
        repair, order = self._quote()
        self.assertTrue(order.require_payment)
        self.assertEqual(order.prepayment_percent, 0.3)
        self.assertEqual(order._get_prepayment_required_amount(), round(order.amount_total * 0.3, 2))
        self._sign_on_portal(order)
        self.assertEqual(order.state, "sent", "signed, the deposit is still to be paid")
        self.assertEqual(repair.aftersales_approval_state, "awaiting")
        self.assertFalse(before.require_payment, "a quotation already sent keeps its terms")

        # a tier's own deposit wins over the company's
        self.tier_intermediate.with_user(self.manager).aftersales_deposit_percent = 0.5
        _repair, tiered = self._quote()
        self.assertEqual((tiered.require_payment, tiered.prepayment_percent), (True, 0.5))

        # back to no deposit: signing confirms again
        self.tier_intermediate.with_user(self.manager).aftersales_deposit_percent = 0.0
        self.company.aftersales_deposit_percent = 0.0
        _repair, after = self._quote()
        self.assertFalse(after.require_payment)
        self._sign_on_portal(after)
        self.assertEqual(after.state, "sale")
