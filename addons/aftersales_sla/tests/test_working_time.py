from datetime import datetime

from odoo.tests import BaseCase, tagged

from ..tools.working_time import WorkingTime, to_intervals


def day(day, hour, minute=0):
    return datetime(2026, 1, day, hour, minute)


@tagged("post_install", "-at_install")
class TestWorkingTime(BaseCase):
    """Planning on working intervals (Mon 12 and Tue 13 January, 08-17)."""

    def setUp(self):
        super().setUp()
        self.working = WorkingTime(to_intervals([(day(12, 8), day(12, 17)), (day(13, 8), day(13, 17))]))

    def test_hours_counted_in_working_time_only(self):
        self.assertEqual(self.working.plan(day(12, 16), [1, 2, 10]), [day(12, 17), day(13, 9), day(13, 17)])
        self.assertEqual(self.working.plan(day(12, 6), [1]), [day(12, 9)], "counted from the start of work")

    def test_pauses_are_skipped(self):
        moments = self.working.plan(day(12, 8), [8, 2], pauses=[(day(12, 9), day(12, 12))])
        self.assertEqual(moments, [day(13, 10), day(12, 13)], "3 paused hours push the 8 h, not the first hour")

    def test_beyond_the_horizon(self):
        self.assertEqual(self.working.plan(day(12, 8), [18, 19]), [day(13, 17), None])
        longer = self.working.extend(to_intervals([(day(14, 8), day(14, 17))]))
        self.assertEqual(longer.plan(day(12, 8), [19]), [day(14, 9)])

    def test_whole_seconds(self):
        working = WorkingTime(to_intervals([(datetime(2026, 1, 12, 8, 0, 0, 600000), day(12, 17))]))
        self.assertEqual(working.plan(day(12, 8), [1]), [datetime(2026, 1, 12, 9, 0, 1)])
