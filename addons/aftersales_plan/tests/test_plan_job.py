from datetime import date, datetime

import psycopg2

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import AftersalesPlanCommon


@tagged("post_install", "-at_install")
class TestPlanJob(AftersalesPlanCommon):
    def visits(self, plan=None):
        return self.Ticket.search([("maintenance_plan_id", "=", (plan or self.plan).id)], order="id")

    def test_quarterly_visit_created_14_days_ahead_and_dispatched(self):
        with freeze_time("2027-01-05 10:00:00"):  # 15 days before the visit
            self.Plan._cron_plan_visits()
            self.assertFalse(self.visits(), "15 days ahead is too early")
        with freeze_time("2027-01-06 10:00:00"):  # 14 days before
            self.Plan._cron_plan_visits()
            visit = self.visits()
            self.assertEqual(len(visit), 1)
            self.assertEqual(visit.maintenance_visit_date, date(2027, 1, 20))
            # 09:00 in Shanghai, the time zone of the VIP tier's calendar.
            self.assertEqual(visit.appointment_date, datetime(2027, 1, 20, 1, 0))
            self.assertEqual(visit.category, "maintenance")
            self.assertEqual(visit.service_mode, "on_site")
            self.assertEqual(visit.partner_id, self.customer)
            self.assertEqual(visit.lot_id, self.lot_printer, "the unit of the contract")
            self.assertEqual(visit.technician_id, self.tech_b, "dispatched to the printer technician of the team")
            self.assertEqual(visit.maintenance_check_ids.mapped("name"), ["Clean the fuser", "Update firmware"])
            self.assertEqual(self.plan.next_visit_date, date(2027, 4, 20), "quarterly: three months later")
            self.assertEqual(self.plan.next_create_date, date(2027, 4, 6))
            # Running the job again creates nothing more.
            self.Plan._cron_plan_visits()
            self.assertEqual(self.visits(), visit)

    def test_lead_time_is_configurable(self):
        self.plan.lead_days = 30
        with freeze_time("2026-12-20 10:00:00"):  # 31 days before
            self.Plan._cron_plan_visits()
            self.assertFalse(self.visits())
        with freeze_time("2026-12-21 10:00:00"):  # 30 days before
            self.Plan._cron_plan_visits()
            self.assertEqual(len(self.visits()), 1)

    def test_ending_the_contract_stops_the_plan(self):
        with freeze_time("2027-01-06 10:00:00"):
            self.Plan._cron_plan_visits()
        self.assertEqual(self.plan.state, "running")
        self.contract.action_cancel()
        self.assertEqual(self.plan.state, "stopped", "the plan follows its contract")
        with freeze_time("2027-04-06 10:00:00"):
            self.Plan._cron_plan_visits()
        self.assertEqual(len(self.visits()), 1, "no visit after the contract ended")

    def test_expired_contract_stops_the_plan(self):
        with freeze_time("2027-12-01 10:00:00"):
            self.env["aftersales.sla.contract"]._cron_contract_lifecycle()
            self.assertEqual(self.contract.state, "expired")
            self.assertEqual(self.plan.state, "stopped")

    def test_no_visit_beyond_the_contract_end(self):
        contract = self.make_contract(self.other_customer, self.lot_laptop, end=date(2027, 3, 31))
        plan = self.make_plan(contract, team_id=self.team_hz.id)
        with freeze_time("2027-01-06 10:00:00"):
            self.Plan._cron_plan_visits()
        self.assertEqual(len(self.visits(plan)), 1)
        self.assertEqual(plan.state, "stopped", "the next visit (2027-04-20) falls after the contract")

    def test_draft_contract_waits(self):
        contract = self.make_contract(self.other_customer, self.lot_laptop, activate=False)
        plan = self.make_plan(contract, team_id=self.team_hz.id)
        self.assertEqual(plan.state, "waiting")
        with freeze_time("2027-01-06 10:00:00"):
            self.Plan._cron_plan_visits()
        self.assertFalse(self.visits(plan))

    def test_missed_visit_is_skipped_not_created_late(self):
        with freeze_time("2027-02-01 10:00:00"):  # the job did not run before the first visit
            self.Plan._cron_plan_visits()
        self.assertFalse(self.visits(), "the visit of 2027-01-20 is past: an agent books it by hand")
        self.assertEqual(self.plan.next_visit_date, date(2027, 4, 20))
        with freeze_time("2027-04-06 10:00:00"):
            self.Plan._cron_plan_visits()
        self.assertEqual(self.visits().maintenance_visit_date, date(2027, 4, 20), "the next one comes on time")

    def test_a_visit_has_one_ticket(self):
        with freeze_time("2027-01-06 10:00:00"):
            self.Plan._cron_plan_visits()
            visit = self.visits()
            with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.UniqueViolation) as caught:
                self.Ticket._create_facts(
                    [
                        {
                            "name": "Second",
                            "partner_id": self.customer.id,
                            "maintenance_plan_id": self.plan.id,
                            "maintenance_visit_date": visit.maintenance_visit_date,
                        }
                    ]
                )
        self.assertIn("aftersales_ticket_maintenance_visit_unique", str(caught.exception))

    def test_checklist_results_recorded_by_the_technician(self):
        with freeze_time("2027-01-06 10:00:00"):
            self.Plan._cron_plan_visits()
        visit = self.visits()
        first, second = visit.maintenance_check_ids
        visit.with_user(self.tech_user_b).write(
            {
                "maintenance_check_ids": [
                    (1, first.id, {"result": "ok"}),
                    (1, second.id, {"result": "failed", "note": "v2"}),
                ]
            }
        )
        self.assertEqual(first.result, "ok")
        self.assertEqual(second.note, "v2")
        self.assertEqual(first.checked_by_id, self.tech_user_b, "who checked is recorded")
        self.assertTrue(first.date_checked)
        with self.assertRaises(AccessError) as caught:
            first.with_user(self.tech_user_b).write({"name": "Skipped"})
        self.assertIn("are set by the system", str(caught.exception))
        with self.assertRaises(AccessError) as caught:
            first.with_user(self.tech_user_b).write({"checked_by_id": self.tech_user_a.id})
        self.assertIn("are set by the system", str(caught.exception))

    def test_first_visit_outside_the_contract_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.make_plan(self.contract, first_visit_date=date(2028, 1, 1))
        self.assertIn("must fall within contract", str(caught.exception))

    def test_plan_facts_not_writable(self):
        with self.assertRaises(AccessError) as caught:
            self.plan.with_user(self.agent).write({"visits_planned": 3})
        self.assertIn("are set by the system", str(caught.exception))
        with self.assertRaises(AccessError) as caught:
            self.plan.sudo().write({"visits_planned": 3})
        self.assertIn("are set by the system", str(caught.exception))
        with self.assertRaises(AccessError) as caught:
            self.plan.with_user(self.tech_user_a).write({"lead_days": 3})
        self.assertIn("You are not allowed", str(caught.exception))
