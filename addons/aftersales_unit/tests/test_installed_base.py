from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from .common import AftersalesUnitCommon


@tagged("post_install", "-at_install")
class TestInstalledBase(AftersalesUnitCommon):
    """Must show 1: delivered 2026-01-10, 12-month warranty, a 24-month
    extended warranty sold on the invoice of 2026-01-11: the serial, the
    customer and the portal read "Extended warranty until 2028-01-10"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.sell(cls.lot_laptop, cls.d(2026, 1, 10), extended=True, invoice_day=cls.d(2026, 1, 11))

    def test_serial_answers_is_it_under_warranty(self):
        lot = self.lot_laptop
        self.assertEqual(lot.aftersales_customer_id, self.customer)
        self.assertEqual(lot.aftersales_purchase_date, self.d(2026, 1, 10), "the delivery date is the purchase date")
        self.assertEqual(lot.aftersales_owner_origin, "delivery")
        contract = self.order.invoice_ids.aftersales_contract_ids
        self.assertEqual((contract.date_start, contract.date_end), (self.d(2026, 1, 11), self.d(2028, 1, 10)))
        with self.at(2026, 6, 1):
            lot.invalidate_recordset()
            self.assertEqual(lot.aftersales_warranty_summary, "Extended warranty until 2028-01-10")
            self.assertEqual(lot.aftersales_unit_state, "extended")
            self.assertEqual(lot.aftersales_warranty_end, self.d(2027, 1, 9))
            self.assertEqual(lot.aftersales_contract_id, contract)
            self.assertEqual(lot.aftersales_tier_id, self.tier_extended)
            self.assertEqual(lot.aftersales_coverage_end, self.d(2028, 1, 10))
            self.assertEqual(lot.aftersales_sanbao, "free_repair")

    def test_extended_warranty_boundaries(self):
        lot = self.lot_laptop
        expected = {
            (2028, 1, 9): ("extended", "Extended warranty until 2028-01-10"),
            (2028, 1, 10): ("extended", "Extended warranty until 2028-01-10"),
            (2028, 1, 11): ("out_of_warranty", "Out of warranty since 2027-01-09"),
        }
        for day, (state, summary) in expected.items():
            with self.subTest(day=day), self.at(*day):
                lot.invalidate_recordset()
                self.assertEqual((lot.aftersales_unit_state, lot.aftersales_warranty_summary), (state, summary))
                self.assertEqual(lot.aftersales_sanbao, "paid_repair" if state == "out_of_warranty" else "free_repair")

    def test_standard_warranty_and_sanbao_boundaries(self):
        """Without extension: 12 months from delivery, last day 2027-01-09;
        三包 return within 7 days, exchange within 15 (company windows)."""
        lot = self.lot_laptop_2
        self.sell(lot, self.d(2026, 1, 10))
        expected = {
            (2026, 1, 17): ("in_warranty", "return"),
            (2026, 1, 18): ("in_warranty", "exchange"),
            (2026, 1, 25): ("in_warranty", "exchange"),
            (2026, 1, 26): ("in_warranty", "free_repair"),
            (2027, 1, 9): ("in_warranty", "free_repair"),
            (2027, 1, 10): ("out_of_warranty", "paid_repair"),
        }
        for day, (state, sanbao) in expected.items():
            with self.subTest(day=day), self.at(*day):
                lot.invalidate_recordset()
                self.assertEqual((lot.aftersales_unit_state, lot.aftersales_sanbao), (state, sanbao))
        with self.at(2027, 1, 9):
            lot.invalidate_recordset()
            self.assertEqual(lot.aftersales_warranty_summary, "In warranty until 2027-01-09")

    def test_customer_shows_units_and_history(self):
        self.assertEqual(self.customer.aftersales_unit_ids, self.lot_laptop)
        self.assertEqual(self.customer.aftersales_unit_count, 1)
        self.assertEqual(self.customer_contact.aftersales_unit_count, 1, "a contact sees its company's units")
        action = self.customer_contact.action_view_aftersales_units()
        self.assertEqual(self.env["stock.lot"].search(action["domain"]), self.lot_laptop)
        with self.at(2026, 6, 1):
            self.assertEqual(
                self.customer.aftersales_unit_ids.mapped("aftersales_warranty_summary"),
                ["Extended warranty until 2028-01-10"],
            )
        self.assertEqual(self.other_customer.aftersales_unit_count, 0)

    def test_repairs_and_parts_replaced_on_the_serial(self):
        ticket = self.create_parts_ticket(in_warranty=True)
        repair = self.open_repair(ticket)
        repair.with_user(self.clerk).action_aftersales_issue_parts()
        repair.with_user(self.clerk).action_repair_start()
        repair.with_user(self.clerk).action_repair_end()
        lot = self.lot_laptop
        self.assertEqual(lot.aftersales_repair_ids, repair)
        self.assertEqual(lot.aftersales_part_move_ids.product_id, self.part)
        self.assertEqual(lot.aftersales_ticket_ids, ticket)

    def test_ticket_takes_the_owner_purchase_date(self):
        ticket = self.create_ticket(lot_id=self.lot_laptop.id)
        self.assertEqual(ticket.purchase_date, self.d(2026, 1, 10))

    def test_owner_facts_refused_to_users_and_plain_sudo(self):
        for env_lot in (self.lot_laptop.with_user(self.clerk), self.lot_laptop.sudo()):
            with (
                self.subTest(user=env_lot.env.user.login, su=env_lot.env.su),
                self.refused(AccessError, "set by the system"),
            ):
                env_lot.write({"aftersales_customer_id": self.other_customer.id})
        self.assertEqual(self.lot_laptop.aftersales_customer_id, self.customer)

    def test_lookup_query_budget(self):
        """The serial lookup reads the warranty of one serial, or of a list
        of serials (the installed base list), in the same number of queries."""
        self.sell(self.lot_laptop_2, self.d(2026, 1, 10))
        self.sell(self.lot_stock, self.d(2026, 1, 10), customer=self.other_customer)
        lots = self.lot_laptop | self.lot_laptop_2 | self.lot_stock
        fnames = [
            "aftersales_warranty_summary",
            "aftersales_unit_state",
            "aftersales_contract_id",
            "aftersales_customer_id",
            "aftersales_coverage_end",
        ]
        with self.at(2026, 6, 1):
            self.env.invalidate_all()
            with self.assertQueryCount(__system__=11):
                self.lot_laptop.read(fnames)
            self.env.invalidate_all()
            with self.assertQueryCount(__system__=11):
                lots.read(fnames)
            self.assertEqual(
                lots.mapped("aftersales_warranty_summary"),
                ["Extended warranty until 2028-01-10", "In warranty until 2027-01-09", "In warranty until 2027-01-09"],
            )

    def test_last_day_is_judged_in_the_company_timezone(self):
        """Shanghai: 2028-01-10 23:59 local (15:59 UTC) is still covered,
        00:01 local on the 11th (16:01 UTC the 10th) is not."""
        self.company.partner_id.tz = "Asia/Shanghai"
        lot = self.lot_laptop
        for moment, state in (("2028-01-10 15:59:00", "extended"), ("2028-01-10 16:01:00", "out_of_warranty")):
            with self.subTest(moment=moment), freeze_time(moment):
                lot.invalidate_recordset()
                self.assertEqual(lot.aftersales_unit_state, state)
