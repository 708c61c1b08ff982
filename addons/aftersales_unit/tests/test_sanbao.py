from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftersalesUnitCommon


@tagged("post_install", "-at_install")
class TestSanbao(AftersalesUnitCommon):
    """Must show 4: return within 7 days -> credit note of the sale linked to
    the ticket and the unit received; exchange within 15 days -> replacement
    delivered, faulty unit in quarantine. Outside the entitlement a manager
    decides, with a reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.sell(cls.lot_laptop, cls.d(2026, 1, 10))

    def ticket_on(self, *day):
        with self.at(*day):
            return self.create_ticket(lot_id=self.lot_laptop.id)

    def test_return_within_7_days(self):
        ticket = self.ticket_on(2026, 1, 17)
        self.assertEqual(ticket.entitlement, "return")
        value = self.company_value()
        invoice = self.order.invoice_ids
        with self.at(2026, 1, 17):
            refund = ticket.with_user(self.agent).action_sanbao_return()
        self.assertEqual(ticket.sanbao_refund_id, refund)
        self.assertEqual((refund.move_type, refund.state), ("out_refund", "posted"))
        self.assertEqual(refund.reversed_entry_id, invoice)
        self.assertEqual(refund.amount_total, 1000.0)
        self.assertIn(refund, self.order.invoice_ids, "the credit note is the sale's")
        self.assertEqual(self.order.order_line.qty_delivered, 0.0, "the unit came back through the sale's return")
        quant = self.env["stock.quant"].search([("lot_id", "=", self.lot_laptop.id), ("quantity", ">", 0)])
        self.assertEqual(quant.location_id, self.stock_location)
        self.assertFalse(quant.owner_id)
        self.assertFalse(self.lot_laptop.aftersales_customer_id, "the unit is the company's again")
        self.assertEqual(self.company_value(), value + 600.0, "taken back at its cost")
        self.assertEqual((ticket.sanbao_decision, ticket.sanbao_within_entitlement), ("return", True))
        decision = ticket.message_ids.filtered(lambda m: "三包 decision" in (m.body or ""))
        self.assertIn("7-day return window", decision.body)
        with self.refused(UserError, "already had its 三包 decision"):
            ticket.with_user(self.agent).action_sanbao_exchange()

    def test_return_on_day_8_needs_a_manager_and_a_reason(self):
        ticket = self.ticket_on(2026, 1, 18)
        self.assertEqual(ticket.entitlement, "exchange")
        with self.at(2026, 1, 18):
            with self.refused(UserError, "only a manager may grant it"):
                ticket.with_user(self.agent).action_sanbao_return()
            with self.refused(UserError, "Write why"):
                ticket.with_user(self.manager).action_sanbao_return()
            self.assertFalse(ticket.sanbao_refund_id)
            ticket.with_user(self.manager).action_sanbao_return("Goodwill: the customer waited two weeks.")
        self.assertEqual((ticket.sanbao_decision, ticket.sanbao_within_entitlement), ("return", False))
        decision = ticket.message_ids.filtered(lambda m: "三包 decision" in (m.body or ""))
        self.assertIn("Granted outside the entitlement: Goodwill", decision.body)

    def test_exchange_within_15_days(self):
        ticket = self.ticket_on(2026, 1, 25)
        self.assertEqual(ticket.entitlement, "exchange")
        value = self.company_value()
        with self.at(2026, 1, 25):
            replacement = ticket.with_user(self.agent).action_sanbao_exchange()
        new_lot = ticket.sanbao_replacement_lot_id
        self.assertTrue(new_lot)
        self.assertNotEqual(new_lot, self.lot_laptop)
        self.assertEqual(replacement.state, "done")
        self.assertEqual(new_lot.aftersales_customer_id, self.customer)
        self.assertEqual(new_lot.aftersales_purchase_date, self.d(2026, 1, 25), "the replacement's warranty starts")
        quarantine = self.company.aftersales_quarantine_location_id
        quant = self.env["stock.quant"].search([("lot_id", "=", self.lot_laptop.id), ("quantity", ">", 0)])
        self.assertEqual(quant.location_id, quarantine)
        part_return = self.env["aftersales.part.return"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual((part_return.state, part_return.part_lot_id), ("quarantine", self.lot_laptop))
        self.assertFalse(self.lot_laptop.aftersales_customer_id)
        self.assertEqual(self.company_value(), value, "one unit out, one faulty unit in at the same cost")

    def test_exchange_on_day_16_needs_a_manager(self):
        ticket = self.ticket_on(2026, 1, 26)
        self.assertEqual(ticket.entitlement, "free_repair")
        with self.at(2026, 1, 26), self.refused(UserError, "only a manager may grant it"):
            ticket.with_user(self.agent).action_sanbao_exchange()
        self.assertFalse(ticket.sanbao_decision)

    def test_received_mail_in_unit_is_handed_over_first(self):
        ticket = self.ticket_on(2026, 1, 12)
        ticket.service_mode = "mail_in"
        ticket.with_user(self.agent).action_unit_expect("SF", "SF1")
        ticket.with_user(self.agent).action_unit_receive()
        with self.at(2026, 1, 12):
            ticket.with_user(self.agent).action_sanbao_exchange()
        quants = self.env["stock.quant"].search(
            [("lot_id", "=", self.lot_laptop.id), ("quantity", "!=", 0), ("location_id.usage", "=", "internal")]
        )
        self.assertEqual(quants.location_id, self.company.aftersales_quarantine_location_id, "one unit, one place")
        self.assertEqual(ticket.unit_state, "taken_back")
