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
        self.company.write({"aftersales_return_days": 3, "aftersales_exchange_days": 10})
        purchase = date(2026, 3, 1)
        self.assertWindows(
            purchase,
            [
                (local(date(2026, 3, 4)), "return"),  # day 3
                (local(date(2026, 3, 5)), "exchange"),  # day 4
                (local(date(2026, 3, 11)), "exchange"),  # day 10
                (local(date(2026, 3, 12)), "free_repair"),  # day 11
            ],
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


@tagged("post_install", "-at_install")
class TestSlaThresholds(AftersalesSlaCommon):
    """The SLA clock's thresholds at the second they are crossed, and the
    settings behind them changed at runtime."""

    def _states_at(self, ticket, moments):
        states = []
        for moment in moments:
            with freeze_time(moment):
                self.Ticket._cron_sla_monitor()
            ticket.invalidate_recordset()
            states.append((moment, ticket.sla_state))
        return states

    def test_warning_and_breach_at_their_second(self):
        with freeze_time("2026-01-12 08:00:00"):
            ticket = self.create_sla_ticket(technician_id=self.tech_a.id)
        # 8 working hours from Monday 08:00, warned at 80 %.
        self.assertEqual(ticket.sla_response_warn_at, datetime(2026, 1, 12, 14, 24))
        self.assertEqual(ticket.sla_response_deadline, datetime(2026, 1, 12, 16, 0))
        moments = ["2026-01-12 14:23:59", "2026-01-12 14:24:00", "2026-01-12 16:00:00", "2026-01-12 16:00:01"]
        self.assertEqual(
            self._states_at(ticket, moments),
            list(zip(moments, ["on_track", "at_risk", "at_risk", "breached"], strict=True)),
            "at risk from the warning time, breached only after the deadline",
        )

    def test_recomputed_state_at_the_deadline_second(self):
        with freeze_time("2026-01-12 08:00:00"):
            ticket = self.create_sla_ticket()
        states = []
        for moment in ("2026-01-12 14:23:59", "2026-01-12 16:00:00", "2026-01-12 16:00:01"):
            with freeze_time(moment):
                ticket.action_sla_recompute()
            states.append(ticket.sla_response_state)
        self.assertEqual(states, ["on_track", "at_risk", "breached"], "Recompute Deadlines judges like the monitor")

    def test_warning_percent_changed_at_runtime(self):
        self.tier.warning_percent = 50.0
        with freeze_time("2026-01-12 08:00:00"):
            ticket = self.create_sla_ticket()
        self.assertEqual(ticket.sla_response_warn_at, datetime(2026, 1, 12, 12, 0), "50 % of 8 working hours")

    def test_public_holidays_follow_the_tier_setting(self):
        """A 24x7 tier's deadline that falls on a public holiday: ignored
        while the tier says so, counted as soon as the setting is turned on."""
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "date_from": datetime(2026, 1, 12, 0, 0),
                "date_to": datetime(2026, 1, 13, 0, 0),
                "calendar_id": False,
                "resource_id": False,
            }
        )
        with freeze_time("2026-01-11 10:00:00"):  # Sunday; 24 h response on the VIP tier
            ignoring = self.create_sla_ticket(sla_tier_id=self.tier_vip.id)
            self.tier_vip.use_public_holidays = True
            counting = self.create_sla_ticket(sla_tier_id=self.tier_vip.id)
        self.assertEqual(ignoring.sla_response_deadline, datetime(2026, 1, 12, 10, 0), "the holiday is worked")
        self.assertEqual(
            counting.sla_response_deadline,
            datetime(2026, 1, 13, 10, 0),
            "14 h on Sunday, the holiday off, 10 h on Tuesday",
        )

    def test_tier_target_changed_at_runtime(self):
        """A manager shortens the tier's response target: new tickets get the
        new deadline at once; open ones keep theirs until "Recompute
        Deadlines", which moves them too."""
        with freeze_time("2026-01-12 08:00:00"):
            before = self.create_sla_ticket()
            self.tier.with_user(self.manager).response_general_hours = 4
            after = self.create_sla_ticket()
        self.assertEqual(before.sla_response_deadline, datetime(2026, 1, 12, 16, 0), "8 working hours")
        self.assertEqual(after.sla_response_deadline, datetime(2026, 1, 12, 12, 0), "the new 4 working hours")
        with freeze_time("2026-01-12 09:00:00"):
            before.with_user(self.manager).action_sla_recompute()
        self.assertEqual(before.sla_response_deadline, datetime(2026, 1, 12, 12, 0), "recomputed on the new target")

    def test_calendar_hours_changed_at_runtime(self):
        """The working hours of the tier's calendar change (Monday now starts
        at 10:00): the next ticket's deadline counts the new hours."""
        with freeze_time("2026-01-12 08:00:00"):
            before = self.create_sla_ticket()
            monday = self.calendar.attendance_ids.filtered(lambda a: a.dayofweek == "0")
            monday.hour_from = 10.0
            after = self.create_sla_ticket()
        self.assertEqual(before.sla_response_deadline, datetime(2026, 1, 12, 16, 0), "8 h from 08:00")
        self.assertEqual(
            after.sla_response_deadline, datetime(2026, 1, 13, 9, 0), "7 h on Monday from 10:00, 1 h Tuesday"
        )
