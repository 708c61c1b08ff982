from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AftersalesSlaCommon


@tagged("post_install", "-at_install")
class TestConstraints(AftersalesSlaCommon):
    def _contract(self, **vals):
        values = {
            "partner_id": self.customer.id,
            "tier_id": self.tier.id,
            "date_start": date(2026, 1, 1),
            "date_end": date(2026, 12, 31),
            "lot_ids": [(4, self.lot_laptop.id)],
            "state": "active",
        }
        values.update(vals)
        return self.env["aftersales.sla.contract"].create(values)

    def assertRefused(self, text, func, *args, **kwargs):
        with self.assertRaises(ValidationError) as caught:
            func(*args, **kwargs)
        self.assertIn(text, str(caught.exception))

    def test_contract_ending_before_start(self):
        self.assertRefused(
            "ends on 2026-05-31, before it starts on 2026-06-01",
            self._contract,
            date_start=date(2026, 6, 1),
            date_end=date(2026, 5, 31),
        )

    def test_overlapping_active_contracts_for_a_serial(self):
        first = self._contract()
        self.assertRefused(
            f"Serial PB14-0001 is already covered by active contract {first.name}",
            self._contract,
            date_start=date(2026, 12, 1),
            date_end=date(2027, 11, 30),
        )
        # after the first one ends, or once it is cancelled, a new one is fine
        self._contract(date_start=date(2027, 1, 1), date_end=date(2027, 12, 31))
        first.action_cancel()
        self._contract(date_start=date(2026, 6, 1), date_end=date(2026, 12, 31)).action_cancel()
        draft = self._contract(state="draft", date_end=date(2027, 3, 1))
        self.assertRefused("already covered", draft.action_activate)
        # another serial does not overlap
        self._contract(lot_ids=[(6, 0, self.lot_laptop_2.ids)])

    def test_negative_target(self):
        self.assertRefused("cannot be negative", self.tier.write, {"response_emergency_hours": -1})
        self.assertRefused(
            "'General: resolution' cannot be negative",
            self.env["aftersales.sla.tier"].create,
            {"name": "Bad", "resource_calendar_id": self.calendar.id, "resolution_general_hours": -4},
        )

    def test_tier_without_calendar(self):
        self.assertRefused("needs working hours", self.env["aftersales.sla.tier"].create, {"name": "No clock"})
        self.assertRefused("needs working hours", self.tier.write, {"resource_calendar_id": False})
