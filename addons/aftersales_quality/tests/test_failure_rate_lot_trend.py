from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import QualityCommon


@tagged("post_install", "-at_install")
class TestFailureRateLotTrend(QualityCommon):
    """Issue 20's quality loop by lot and over time, with known numbers:

    - lot-tracked washer L: lot L1 100 units delivered and 9 drain-pump
      tickets, lots L2 and L3 100 units and 3 tickets each: L1 fails at 9 %,
      3 times the other lots' 6 / 200 = 3 %: flagged; L2 and L3 are not.
    - serial-tracked dryer T, 100 units delivered 300 days ago: 6 motor
      tickets between 210 and 30 days ago (1 % per 30 days), 3 in the last 30
      days (3 %): 3 times its own trailing rate, flagged.
    One alert per lot or model, fault type and month, whatever the runs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.Alert = cls.env["aftersales.quality.alert"]
        cls.pump = cls.env["aftersales.fault.category"].create({"name": "Drain pump"})
        cls.motor = cls.env["aftersales.fault.category"].create({"name": "Motor"})
        cls.washer = Product.create({"name": "Washer L", "default_code": "WL", "is_storable": True, "tracking": "lot"})
        cls.lot_1, cls.lot_2, cls.lot_3 = (cls.deliver_lot(cls.washer, name, 100) for name in ("L1", "L2", "L3"))
        for lot, count in ((cls.lot_1, 9), (cls.lot_2, 3), (cls.lot_3, 3)):
            cls.fault_tickets(lot, cls.pump, count)
        cls.dryer = Product.create({"name": "Dryer T", "default_code": "DT", "is_storable": True, "tracking": "serial"})
        with freeze_time(cls.days_ago(300)):
            cls.dryers = cls.deliver(cls.dryer, 100)
        with freeze_time(cls.days_ago(100)):
            cls.fault_tickets(cls.dryers[:6], cls.motor)
        with freeze_time(cls.days_ago(5)):
            cls.fault_tickets(cls.dryers[10:13], cls.motor)

    @classmethod
    def deliver_lot(cls, product, name, quantity):
        """``quantity`` units of one lot of ``product`` delivered to customers."""
        lot = cls.env["stock.lot"].create({"name": name, "product_id": product.id})
        cls.deliver_lots(product, [(lot, quantity)])
        return lot

    @classmethod
    def fault_tickets(cls, lots, fault, count=1):
        return cls.Ticket.create(
            [
                {
                    "name": "Fault",
                    "partner_id": cls.customer.id,
                    "team_id": cls.team_sh.id,
                    "product_id": lot.product_id.id,
                    "lot_id": lot.id,
                    "fault_category_id": fault.id,
                }
                for lot in lots
                for _i in range(count)
            ]
        )

    def alerts(self, kind):
        return self.Alert.search([("company_id", "=", self.company.id), ("kind", "=", kind)])

    def test_lot_flagged_against_the_models_other_lots(self):
        raised = self.Alert._check_failure_rates(self.company)
        lot_alert = raised.filtered(lambda a: a.kind == "lot")
        self.assertEqual(len(lot_alert), 1, "L1 only: L2 and L3 fail at half the others' rate")
        self.assertEqual(
            (lot_alert.product_id, lot_alert.lot_id, lot_alert.fault_category_id), (self.washer, self.lot_1, self.pump)
        )
        self.assertEqual((lot_alert.fault_count, lot_alert.unit_count), (9, 100))
        self.assertAlmostEqual(lot_alert.rate, 9.0)
        self.assertAlmostEqual(lot_alert.baseline_rate, 3.0)
        self.assertAlmostEqual(lot_alert.ratio, 3.0)
        self.assertEqual(lot_alert.period_start, self.company._aftersales_today().replace(day=1))
        self.assertEqual(lot_alert.activity_ids.user_id, self.quality_manager)
        self.assertIn("other lots", lot_alert.activity_ids.summary)
        self.assertIn("L1", lot_alert.display_name)
        rootcause = self.env["aftersales.quality.rootcause"].browse(
            lot_alert.with_user(self.quality_manager).action_open_rootcause()["res_id"]
        )
        self.assertIn("Lot L1: 9 fault tickets on 100 units", rootcause.problem)
        self.assertFalse(raised.filtered(lambda a: a.kind == "model"), "no other model has drain-pump faults")

    def test_lot_below_the_factor_not_flagged(self):
        self.company.aftersales_quality_alert_factor = 3.01
        self.assertFalse(self.Alert._check_failure_rates(self.company).filtered(lambda a: a.kind == "lot"))

    def test_model_flagged_against_its_own_trailing_rate(self):
        raised = self.Alert._check_failure_rates(self.company)
        trend = raised.filtered(lambda a: a.kind == "trend")
        self.assertEqual(len(trend), 1)
        self.assertEqual(
            (trend.product_id, trend.fault_category_id, trend.lot_id), (self.dryer, self.motor, self.env["stock.lot"])
        )
        self.assertEqual((trend.fault_count, trend.unit_count), (3, 100))
        self.assertAlmostEqual(trend.rate, 3.0)
        self.assertAlmostEqual(trend.baseline_rate, 1.0, msg="6 faults on 100 units over 180 days: 1 % per 30 days")
        self.assertAlmostEqual(trend.ratio, 3.0)
        self.assertIn("own trailing rate", trend.activity_ids.summary)

    def test_trend_factor_and_windows_are_the_companys(self):
        self.company.aftersales_quality_trend_factor = 3.01
        self.assertFalse(
            self.alerts("trend") | self.Alert._check_failure_rates(self.company).filtered(lambda a: a.kind == "trend")
        )
        # a trailing window of 90 days (120 to 30 days ago) holds the 6 faults at 100 days: 2 % per 30 days
        self.company.write({"aftersales_quality_trend_factor": 1.5, "aftersales_quality_trend_base_days": 90})
        trend = self.Alert._check_failure_rates(self.company).filtered(lambda a: a.kind == "trend")
        self.assertAlmostEqual(trend.baseline_rate, 2.0)
        self.assertAlmostEqual(trend.ratio, 1.5)

    def test_one_alert_per_lot_or_model_fault_and_month(self):
        first = self.Alert._check_failure_rates(self.company)
        self.assertEqual(sorted(first.mapped("kind")), ["lot", "trend"])
        # a second run the same day, or after the alerts were closed: nothing more this month
        self.assertFalse(self.Alert._check_failure_rates(self.company))
        first.with_user(self.quality_manager).action_close()
        self.assertFalse(self.Alert._check_failure_rates(self.company))
        # a second worker that did not see the first one's alerts: the unique index keeps one, no error
        with (
            patch.object(type(self.Alert), "_period_alert_keys", return_value=set()),
            mute_logger("odoo.sql_db"),
        ):
            self.assertFalse(self.Alert._check_failure_rates(self.company))
        self.assertEqual(len(self.alerts("lot") | self.alerts("trend")), 2)
        # next month, still above: raised again, for that month
        next_month = fields.Datetime.now() + timedelta(days=32)
        with freeze_time(next_month):  # the dryer's recent faults are 37 days old by then
            again = self.Alert._check_failure_rates(self.company)
        self.assertEqual(again.lot_id, self.lot_1)
        self.assertGreater(again.period_start, first.filtered(lambda a: a.kind == "lot").period_start)

    def test_job_queries_do_not_grow_with_lots_and_models(self):
        self.Alert._check_failure_rates(self.company)
        self.env.invalidate_all()
        with self.assertQueryCount(13):
            self.assertFalse(self.Alert._check_failure_rates(self.company))
        # ten more lots and ten more models with faults, each below its factor
        for index in range(10):
            lot = self.deliver_lot(self.washer, f"LX{index}", 100)
            self.fault_tickets(lot, self.pump, 3)
            product = self.env["product.product"].create(
                {"name": f"Dryer U{index}", "is_storable": True, "tracking": "serial"}
            )
            self.fault_tickets(self.deliver(product, 30)[:1], self.motor)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(13):
            self.assertFalse(self.Alert._check_failure_rates(self.company))
