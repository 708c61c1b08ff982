"""Working-time planning: where a number of working hours counted from a
moment ends on a calendar's working intervals, skipping the pauses.

Pure functions on Odoo's ``Intervals`` (odoo/tools/intervals.py) of naive UTC
datetimes; no database access. The deadline engine
(models/aftersales_ticket_deadline.py) gets the intervals of each calendar
once per batch and plans every ticket of the batch on them."""

from bisect import bisect_right
from datetime import timedelta

from odoo.tools.intervals import Intervals

NO_RECORDS = frozenset()


def to_intervals(pairs):
    """``Intervals`` of (start, stop) pairs, without records."""
    return Intervals((start, stop, NO_RECORDS) for start, stop in pairs)


def round_second(moment):
    """Calendars end days at 23:59:59.999999: keep deadlines on whole seconds."""
    rounded = moment.replace(microsecond=0)
    return rounded + timedelta(seconds=1) if moment.microsecond >= 500000 else rounded


class WorkingTime:
    """The working intervals of one calendar over a horizon."""

    def __init__(self, intervals):
        self.intervals = intervals
        self._items = list(intervals)
        self._stops = [stop for _start, stop, _records in self._items]

    def extend(self, intervals):
        """The same working time with ``intervals`` (a later horizon) added."""
        return WorkingTime(self.intervals | intervals)

    def plan(self, start, hours_list, pauses=()):
        """The moments at which each number of ``hours_list`` working hours
        counted from ``start`` are used up, skipping the ``pauses`` [(start,
        stop)], in the order of ``hours_list``; None for a moment beyond the
        horizon. The intervals are walked once for all of them."""
        available = self._items[bisect_right(self._stops, start) :]
        if pauses:
            available = Intervals(available) - to_intervals(pauses)
        targets = sorted((hours * 3600.0, index) for index, hours in enumerate(hours_list))
        moments = [None] * len(targets)
        used, pending = 0.0, 0
        for interval_start, high, _records in available:
            low = max(interval_start, start)
            if low >= high:
                continue
            seconds = (high - low).total_seconds()
            while pending < len(targets) and targets[pending][0] <= used + seconds:
                target, index = targets[pending]
                moments[index] = round_second(low + timedelta(seconds=target - used))
                pending += 1
            if pending == len(targets):
                break
            used += seconds
        return moments
