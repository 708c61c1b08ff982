from odoo.tests import HttpCase, tagged

from .common import AftersalesPartsCommon


@tagged("post_install", "-at_install")
class TestPartsUi(AftersalesPartsCommon, HttpCase):
    """The technician adds parts and labour, the customer approves on the
    portal, finance invoices: through the screens."""

    def test_technician_portal_finance_tours(self):
        self.part.name = "Tour Screen Panel"
        self.tech_user_a.password = "as_tech_a"
        self.finance.password = "as_finance"
        ticket = self.create_parts_ticket()
        repair = self.env["repair.order"].browse(ticket.with_user(self.tech_user_a).action_create_repair()["res_id"])
        self.start_tour(f"/odoo/aftersales-repairs/{repair.id}", "aftersales_parts_technician_tour", login="as_tech_a")
        self.assertEqual(repair.move_ids.product_id, self.part)
        self.assertEqual(repair.aftersales_labour_hours, 1.0)

        repair.with_user(self.agent).action_aftersales_send_quotation()
        order = repair.sale_order_id
        order.action_quotation_sent()
        self.start_tour(order.get_portal_url(), "aftersales_parts_portal_tour", login="as_customer")
        self.assertEqual((order.state, order.signed_by), ("sale", "Li Wei"))

        repair = repair.with_user(self.clerk)
        repair.action_aftersales_issue_parts()
        repair.action_repair_start()
        repair.action_repair_end()
        self.start_tour("/odoo/aftersales-fees", "aftersales_parts_finance_tour", login="as_finance")
        self.assertEqual(order.invoice_ids.state, "posted")
        self.assertEqual(order.invoice_ids.amount_total, 105.0)
        self.assertEqual(ticket.settlement_state, "invoiced")
