from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import QualityCommon


@tagged("post_install", "-at_install")
class TestFailureRate(QualityCommon):
    """Issue 20, must show 3: model A, 100 units delivered and 9 drain-pump
    tickets, against model B, 300 units and 9 tickets: A fails 3 times as
    often (seed 002's drain pump), one alert, one root-cause record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.model_a = Product.create(
            {"name": "Washer A", "default_code": "WA", "is_storable": True, "tracking": "serial"}
        )
        cls.model_b = Product.create(
            {"name": "Washer B", "default_code": "WB", "is_storable": True, "tracking": "serial"}
        )
        cls.pump = cls.env["aftersales.fault.category"].create({"name": "Drain pump"})
        cls.lots_a = cls.deliver(cls.model_a, 100)
        cls.lots_b = cls.deliver(cls.model_b, 300)
        cls.Ticket.create(
            [
                {
                    "name": "Water stays in the drum",
                    "partner_id": cls.customer.id,
                    "team_id": cls.team_sh.id,
                    "product_id": lot.product_id.id,
                    "lot_id": lot.id,
                    "fault_category_id": cls.pump.id,
                }
                for lot in cls.lots_a[:9] + cls.lots_b[:9]
            ]
        )
        cls.Alert = cls.env["aftersales.quality.alert"]

    def test_model_a_flagged_once_with_a_root_cause(self):
        alerts = self.Alert._check_failure_rates(self.company)
        self.assertEqual(len(alerts), 1)
        self.assertEqual((alerts.product_id, alerts.fault_category_id), (self.model_a, self.pump))
        self.assertEqual((alerts.fault_count, alerts.unit_count), (9, 100))
        self.assertAlmostEqual(alerts.rate, 9.0)
        self.assertAlmostEqual(alerts.baseline_rate, 3.0)
        self.assertAlmostEqual(alerts.ratio, 3.0)
        activity = alerts.activity_ids
        self.assertEqual(activity.user_id, self.quality_manager, "the quality manager is told")
        # the next run raises nothing more while the alert is open
        self.assertFalse(self.Alert._check_failure_rates(self.company))
        self.assertEqual(self.Alert.search_count([("company_id", "=", self.company.id)]), 1)
        # the quality manager opens the root-cause record from it, once
        action = alerts.with_user(self.quality_manager).action_open_rootcause()
        rootcause = self.env["aftersales.quality.rootcause"].browse(action["res_id"])
        self.assertEqual(rootcause.alert_ids, alerts)
        self.assertEqual(rootcause.owner_id, self.quality_manager)
        self.assertIn("9 fault tickets on 100 units", rootcause.problem)
        self.assertEqual(alerts.state, "analysis")
        self.assertFalse(alerts.activity_ids, "the to-do is done once the analysis started")
        again = alerts.with_user(self.quality_manager).action_open_rootcause()
        self.assertEqual(again["res_id"], rootcause.id)
        self.assertEqual(self.env["aftersales.quality.rootcause"].search_count([("alert_ids", "in", alerts.ids)]), 1)

    def test_below_the_factor_no_alert(self):
        self.company.aftersales_quality_alert_factor = 3.01
        self.assertFalse(self.Alert._check_failure_rates(self.company))

    def test_alert_facts_not_writable(self):
        alert = self.Alert._check_failure_rates(self.company)
        with self.assertRaises(AccessError) as caught:
            alert.with_user(self.quality_manager).write({"ratio": 1.0})
        self.assertIn("set by the system", str(caught.exception))
        with self.assertRaises(AccessError) as caught:
            alert.with_user(self.agent).action_open_rootcause()
        self.assertIn("not allowed", str(caught.exception))

    def test_rootcause_pdca(self):
        alert = self.Alert._check_failure_rates(self.company)
        rootcause = (
            self.env["aftersales.quality.rootcause"]
            .browse(alert.with_user(self.quality_manager).action_open_rootcause()["res_id"])
            .with_user(self.quality_manager)
        )
        with self.assertRaises(Exception) as caught:
            rootcause.action_start_action()
        self.assertIn("Root Cause", str(caught.exception))
        rootcause.write({"cause": "Impeller softens", "action": "New impeller", "date_due": self.today})
        rootcause.action_start_action()
        rootcause.action_check()
        rootcause.effectiveness_check = "Pump faults on A down to 2 % in the next quarter"
        rootcause.action_effective()
        self.assertEqual((rootcause.state, rootcause.effectiveness, alert.state), ("done", "effective", "closed"))

    def test_job_queries_do_not_grow_with_tickets_and_models(self):
        self.Alert._check_failure_rates(self.company)  # raises A's alert; further runs find nothing new
        self.env.invalidate_all()
        with self.assertQueryCount(13):  # 4 before the lot and trend alerts
            self.Alert._check_failure_rates(self.company)
        # ten more models with faults, each below the factor
        for index in range(10):
            product = self.env["product.product"].create(
                {"name": f"Washer C{index}", "is_storable": True, "tracking": "serial"}
            )
            lots = self.deliver(product, 30)
            self.create_ticket(product_id=product.id, lot_id=lots[0].id, fault_category_id=self.pump.id)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(13):  # 4 before the lot and trend alerts
            self.assertFalse(self.Alert._check_failure_rates(self.company))
