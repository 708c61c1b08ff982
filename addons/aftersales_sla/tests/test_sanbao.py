from datetime import date

from odoo.tests import Form, freeze_time, tagged

from .common import AftersalesSlaCommon


@tagged("post_install", "-at_install")
class TestSanbao(AftersalesSlaCommon):
    """三包: return within 7 days, exchange within 15, free repair in
    warranty, exchange or return after two repairs of the same fault."""

    def _fault(self, **vals):
        vals.setdefault("lot_id", self.lot_laptop.id)
        vals.setdefault("fault_category_id", self.fault_power.id)
        return self.create_sla_ticket(**vals)

    @freeze_time("2026-03-06 10:00:00")
    def test_return_within_seven_days(self):
        ticket = self._fault(purchase_date=date(2026, 3, 1))
        self.assertEqual(ticket.entitlement, "return")
        self.assertIn("5 days after purchase", ticket.entitlement_reason)
        self.assertEqual(ticket.warranty_state, "in_warranty")

    @freeze_time("2026-03-13 10:00:00")
    def test_exchange_within_fifteen_days(self):
        ticket = self._fault(purchase_date=date(2026, 3, 1))
        self.assertEqual(ticket.entitlement, "exchange")
        self.assertIn("12 days", ticket.entitlement_reason)

    def test_exchange_or_return_after_two_repairs(self):
        purchase = date(2026, 1, 1)
        numbers = []
        for month in (2, 3):
            with freeze_time(f"2026-0{month}-01 10:00:00"):
                repair = self._fault(purchase_date=purchase)
                self.assertEqual(repair.entitlement, "free_repair")
                repair.stage_id = self.stage["acceptance"]
                self.assertTrue(repair.date_resolved)
                numbers.append(repair.number)
        with freeze_time("2026-04-01 10:00:00"):
            third = self._fault(purchase_date=purchase)
            other_fault = self._fault(purchase_date=purchase, fault_category_id=self.fault_screen.id)
        self.assertEqual(third.entitlement, "exchange_or_return")
        self.assertIn("2 repairs of the same fault", third.entitlement_reason)
        for number in numbers:
            self.assertNotIn(number, third.entitlement_reason, "a stored reason names no other ticket")
        self.assertEqual(other_fault.entitlement, "free_repair", "a different fault starts again")

    @freeze_time("2027-06-01 10:00:00")
    def test_out_of_warranty_is_paid_at_tier_ratio(self):
        ticket = self._fault(purchase_date=date(2026, 1, 1))
        self.assertEqual(ticket.warranty_state, "out_of_warranty")
        self.assertEqual(ticket.entitlement, "paid_repair")
        self.assertIn("repair charged at 80.0 % of the list price", ticket.entitlement_reason)

    @freeze_time("2026-03-06 10:00:00")
    def test_windows_are_settings_and_form_shows_them(self):
        self.company.write({"aftersales_return_days": 3, "aftersales_exchange_days": 10})
        form = Form(self.Ticket)
        form.name = "Dead on arrival"
        form.partner_id = self.customer
        form.product_id = self.laptop
        form.lot_id = self.lot_laptop
        form.fault_category_id = self.fault_power
        form.purchase_date = date(2026, 3, 1)
        self.assertEqual(form.entitlement, "exchange")
        form.purchase_date = date(2026, 3, 4)
        self.assertEqual(form.entitlement, "return")
        ticket = form.save()
        self.assertEqual(ticket.entitlement, "return")
