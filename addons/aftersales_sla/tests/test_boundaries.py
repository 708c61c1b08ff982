"""Each date window a customer or an agent relies on, at its boundary: the
day before, the day itself and the day after, in the company's timezone
(Asia/Shanghai, UTC+8 — just after local midnight is still "yesterday" in
UTC)."""

from datetime import date, datetime, time

import pytz

from odoo.tests import freeze_time, tagged

from .common import AftersalesSlaCommon

SHANGHAI = pytz.timezone("Asia/Shanghai")


def local(day, hour=10, minute=0):
    """The UTC moment (naive, as Odoo stores it) of ``day`` at hour:minute in Shanghai."""
    moment = SHANGHAI.localize(datetime.combine(day, time(hour, minute)))
    return moment.astimezone(pytz.utc).replace(tzinfo=None)


@tagged("post_install", "-at_install")
class TestWarrantyBoundaries(AftersalesSlaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.laptop.product_tmpl_id.aftersales_warranty_months = 12
        cls.company.write({"aftersales_return_days": 7, "aftersales_exchange_days": 15})

    def _reported(self, moment, **vals):
        vals.setdefault("lot_id", self.lot_laptop.id)
        vals.setdefault("fault_category_id", self.fault_power.id)
        with freeze_time(moment):
            return self.create_sla_ticket(**vals)

    def assertWindows(self, purchase, expected, field):
        """``expected``: [(UTC moment reported, value of ``field``)]."""
        got = [(moment, self._reported(moment, purchase_date=purchase)[field]) for moment, _value in expected]
        self.assertEqual(got, expected)

    def test_standard_warranty_ends_after_its_last_day(self):
        # 12 months from 2026-01-15: the last day covered is 2027-01-14.
        purchase = date(2026, 1, 15)
        self.assertEqual(
            self._reported(local(date(2027, 1, 13)), purchase_date=purchase).warranty_end_date, date(2027, 1, 14)
        )
        self.assertWindows(
            purchase,
            [
                (local(date(2027, 1, 13)), "in_warranty"),
                (local(date(2027, 1, 14)), "in_warranty"),
                (local(date(2027, 1, 14), 23, 50), "in_warranty"),
                (local(date(2027, 1, 15), 0, 30), "out_of_warranty"),  # 2027-01-14 16:30 UTC
                (local(date(2027, 1, 15)), "out_of_warranty"),
            ],
            "warranty_state",
        )

    def test_return_window_of_seven_days(self):
        purchase = date(2026, 3, 1)
        self.assertWindows(
            purchase,
            [
                (local(date(2026, 3, 7)), "return"),
                (local(date(2026, 3, 8)), "return"),  # day 7
                (local(date(2026, 3, 9), 0, 30), "exchange"),  # day 8 in Shanghai, day 7 in UTC
                (local(date(2026, 3, 9)), "exchange"),
            ],
            "entitlement",
        )

    def test_exchange_window_of_fifteen_days(self):
        purchase = date(2026, 3, 1)
        self.assertWindows(
            purchase,
            [
                (local(date(2026, 3, 15)), "exchange"),
                (local(date(2026, 3, 16)), "exchange"),  # day 15
                (local(date(2026, 3, 17), 0, 30), "free_repair"),
                (local(date(2026, 3, 17)), "free_repair"),
            ],
            "entitlement",
        )

    def test_windows_changed_at_runtime_move_the_boundary(self):
        self.company.aftersales_return_days = 3
        purchase = date(2026, 3, 1)
        self.assertWindows(
            purchase,
            [(local(date(2026, 3, 4)), "return"), (local(date(2026, 3, 5)), "exchange")],
            "entitlement",
        )

    def test_contract_covers_its_last_day(self):
        self.env["aftersales.sla.contract"].create(
            {
                "partner_id": self.customer.id,
                "tier_id": self.tier.id,
                "date_start": date(2026, 1, 1),
                "date_end": date(2027, 6, 30),
                "lot_ids": [(4, self.lot_laptop.id)],
                "state": "active",
            }
        )
        purchase = date(2025, 1, 1)  # the standard warranty is long over
        self.assertWindows(
            purchase,
            [
                (local(date(2027, 6, 29)), "under_contract"),
                (local(date(2027, 6, 30)), "under_contract"),
                (local(date(2027, 7, 1), 0, 30), "out_of_warranty"),
                (local(date(2027, 7, 1)), "out_of_warranty"),
            ],
            "warranty_state",
        )
