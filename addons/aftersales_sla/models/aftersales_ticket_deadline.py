from collections import defaultdict
from datetime import timedelta

from pytz import utc

from odoo import api, fields, models
from odoo.addons.aftersales_ticket.tools import sql_values
from odoo.addons.aftersales_ticket.write_rules import FACT
from odoo.tools import SQL

from ..tools.working_time import WorkingTime, to_intervals

SLA_STATES = [
    ("on_track", "On track"),
    ("at_risk", "At risk"),
    ("breached", "Breached"),
    ("met", "Met"),
    ("met_late", "Met late"),
]

# The columns the engine writes, with their SQL types (see _sla_write).
ENGINE_COLUMNS = {
    "sla_response_deadline": "timestamp",
    "sla_response_warn_at": "timestamp",
    "sla_response_reached": "timestamp",
    "sla_response_state": "varchar",
    "sla_resolution_deadline": "timestamp",
    "sla_resolution_warn_at": "timestamp",
    "sla_resolution_reached": "timestamp",
    "sla_resolution_state": "varchar",
    "sla_state": "varchar",
    "sla_alert_level": "int4",
    "sla_next_check": "timestamp",
}


def sla_phase(response_deadline, response_reached, resolution_deadline, resolution_reached):
    """The one rule of the current phase, for the engine and the monitor:
    'response' until the first response, then 'resolution' until resolved;
    a target without deadline (0 h: no promise) is no phase."""
    if response_deadline and not response_reached:
        return "response"
    if resolution_deadline and not resolution_reached:
        return "resolution"
    return None


# A target is breached once its deadline has passed: a response at the very
# second of the deadline is in time (stamps are stored to the second).
BREACH_AFTER = timedelta(seconds=1)


def target_state(deadline, warn_at, reached, now):
    """State of one target (first response or resolution) at ``now``."""
    if reached:
        return "met" if not deadline or reached <= deadline else "met_late"
    if not deadline:
        return None
    if now > deadline:
        return "breached"
    if warn_at and now >= warn_at:
        return "at_risk"
    return "on_track"


def check_time(deadline, warn_at, level, delay_hours):
    """When the monitor looks at the phase again after alert ``level``
    (0 nothing sent, 1 warned, 2 escalated at the breach, 3 done)."""
    if level == 0:
        return warn_at or deadline + BREACH_AFTER
    if level == 1:
        return deadline + BREACH_AFTER
    if level == 2:
        return deadline + timedelta(hours=delay_hours)
    return None


class TicketPlan:
    """The hours to plan for one ticket and, once planned, its moments."""

    __slots__ = (
        "resolution_deadline",
        "resolution_hours",
        "resolution_warn_at",
        "response_deadline",
        "response_hours",
        "response_warn_at",
        "start",
        "ticket_id",
        "warn_ratio",
    )

    def __init__(self, ticket_id, start, response_hours, resolution_hours, warn_ratio):
        self.ticket_id = ticket_id
        self.start = start
        self.response_hours = response_hours  # None: not planned (reached or kept)
        self.resolution_hours = resolution_hours
        self.warn_ratio = warn_ratio
        self.response_deadline = self.response_warn_at = None
        self.resolution_deadline = self.resolution_warn_at = None

    def hours(self):
        """Working hours to plan: deadlines and warning times of the targets
        that have a promise (0 h: none)."""
        hours = []
        if self.response_hours:
            hours += [self.response_hours, self.response_hours * self.warn_ratio]
        if self.resolution_hours:
            hours += [self.resolution_hours, self.resolution_hours * self.warn_ratio]
        return hours

    def set_moments(self, moments):
        moments = list(moments)
        if self.response_hours:
            self.response_deadline, self.response_warn_at = moments.pop(0), moments.pop(0)
        if self.resolution_hours:
            self.resolution_deadline, self.resolution_warn_at = moments.pop(0), moments.pop(0)


class AftersalesTicket(models.Model):
    """The deadline engine: deadlines, warning times, reach times, states and
    the monitor's next check of the tickets, in batches with a constant number
    of queries per batch. Tickets are grouped by calendar; each calendar's
    working intervals are read once per batch and planned on in Python
    (tools/working_time.py)."""

    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    # Written by the engine (_sla_refresh); a reached target's deadline is frozen.
    sla_response_deadline = fields.Datetime(string="Response Deadline", readonly=True, copy=False)
    sla_response_warn_at = fields.Datetime(readonly=True, copy=False)
    sla_response_reached = fields.Datetime(string="Responded At", readonly=True, copy=False)
    sla_response_state = fields.Selection(SLA_STATES, string="Response SLA", readonly=True, copy=False)
    sla_resolution_deadline = fields.Datetime(string="Resolution Deadline", readonly=True, copy=False)
    sla_resolution_warn_at = fields.Datetime(readonly=True, copy=False)
    sla_resolution_reached = fields.Datetime(string="Resolved At", readonly=True, copy=False)
    sla_resolution_state = fields.Selection(SLA_STATES, string="Resolution SLA", readonly=True, copy=False)
    sla_state = fields.Selection(SLA_STATES, string="SLA", readonly=True, copy=False, index=True)

    # Monitoring (models/aftersales_ticket_monitor.py)
    sla_alert_level = fields.Integer(readonly=True, copy=False, default=0)
    sla_next_check = fields.Datetime(readonly=True, copy=False, index="btree_not_null")

    @api.model
    def _field_write_rules(self):
        return {**super()._field_write_rules(), **dict.fromkeys(ENGINE_COLUMNS, FACT)}

    def _sla_phase(self):
        """The phase the monitor watches on the stored values (see sla_phase)."""
        self.ensure_one()
        return sla_phase(
            self.sla_response_deadline,
            self.sla_response_reached,
            self.sla_resolution_deadline,
            self.sla_resolution_reached,
        )

    def _sla_phase_times(self, phase):
        """(deadline, warning time) of a phase on the stored values."""
        self.ensure_one()
        if phase == "response":
            return self.sla_response_deadline, self.sla_response_warn_at
        return self.sla_resolution_deadline, self.sla_resolution_warn_at

    # ------------------------------------------------------------------
    # Refresh
    # ------------------------------------------------------------------

    def _sla_refresh(self, now=None, batch_size=1000, keep_deadlines=False):
        """Compute deadlines, warning times, reach times, states and the next
        monitoring check of the tickets, in batches of ``batch_size``.
        ``keep_deadlines``: only reach times and states move (a stage change
        without pause, a first response); deadlines are planned only where
        none is stored."""
        now = now or fields.Datetime.now()
        # Deadlines are facts computed for everyone, whoever triggers them
        # (a portal customer creating a ticket cannot read calendars).
        tickets = self.sudo()
        for start in range(0, len(tickets), batch_size):
            tickets[start : start + batch_size]._sla_refresh_batch(now, keep_deadlines)

    def _sla_refresh_batch(self, now, keep_deadlines=False):
        tickets = self.browse([ticket_id for ticket_id in self.ids if ticket_id])
        if not tickets:
            return
        # The engine reads through the ORM's cache: pending updates need no flush.
        pauses = tickets._sla_pause_spans(now)
        plans = tickets._sla_plans(keep_deadlines)
        for (calendar, use_holidays), clock_plans in plans.items():
            self._sla_plan_on_calendar(calendar, use_holidays, clock_plans, pauses)
        planned = {plan.ticket_id: plan for clock_plans in plans.values() for plan in clock_plans}
        rows = []
        for ticket in tickets:
            values = ticket._sla_values(planned.get(ticket.id), now)
            if any((values[column] or None) != (ticket[column] or None) for column in ENGINE_COLUMNS):
                rows.append((ticket.id, *(values[column] for column in ENGINE_COLUMNS)))
        tickets._sla_write(rows, join_pending=not any(plan.hours() for plan in planned.values()))

    def _sla_plans(self, keep_deadlines):
        """{(calendar, use public holidays): [TicketPlan]} of the targets to
        plan: not reached yet, with a promise, and (``keep_deadlines``)
        without a stored deadline."""
        plans = {}
        # Major incidents run on the clock around the clock, whatever the tier's calendar.
        round_the_clock = self.env.ref("aftersales_sla.resource_calendar_24x7", raise_if_not_found=False)
        for ticket in self:
            tier = ticket.sla_tier_id
            if not tier.resource_calendar_id or not ticket.date_reported or ticket.is_cancelled:
                continue
            response, resolution = tier._targets(ticket.urgency)
            clock = (tier.resource_calendar_id, tier.use_public_holidays)
            if ticket.sla_incident_level:
                response = ticket.company_id._aftersales_incident_hours(ticket.sla_incident_level)
                if round_the_clock:
                    clock = (round_the_clock, False)
            if ticket.sla_response_reached or (keep_deadlines and ticket.sla_response_deadline):
                response = None
            if ticket.sla_resolution_reached or (keep_deadlines and ticket.sla_resolution_deadline):
                resolution = None
            plan = TicketPlan(ticket.id, ticket.date_reported, response, resolution, tier.warning_percent / 100.0)
            plans.setdefault(clock, []).append(plan)
        return plans

    def _sla_plan_on_calendar(self, calendar, use_holidays, plans, pauses):
        """Plan the tickets of one calendar on its working intervals, read once
        over a horizon long enough for the longest target and pauses."""
        to_plan = [plan for plan in plans if plan.hours()]
        if not to_plan:
            return
        weekly = sum(a.hour_to - a.hour_from for a in calendar.attendance_ids if a.day_period != "lunch")
        if calendar.two_weeks_calendar:
            weekly /= 2
        max_hours = max(max(plan.hours()) for plan in to_plan)
        pause_hours = max(
            (sum((end - start).total_seconds() for start, end in pauses.get(p.ticket_id, ())) / 3600 for p in to_plan),
            default=0,
        )
        span_days = 14 + int((max_hours + pause_hours) / max(weekly, 1.0) * 7) + int(pause_hours / 24)
        low = min(plan.start for plan in to_plan)
        high = max(plan.start for plan in to_plan) + timedelta(days=span_days)
        working = WorkingTime(self._sla_working_intervals(calendar, use_holidays, low, high))
        for _attempt in range(8):
            missing = []
            for plan in to_plan:
                moments = working.plan(plan.start, plan.hours(), pauses.get(plan.ticket_id, ()))
                if None in moments:
                    missing.append(plan)
                else:
                    plan.set_moments(moments)
            if not missing:
                return
            # Long holidays or pauses: extend the horizon (rare), keep the batch.
            span_days *= 2
            working = working.extend(
                self._sla_working_intervals(calendar, use_holidays, high, high + timedelta(days=span_days))
            )
            high += timedelta(days=span_days)
            to_plan = missing

    @api.model
    def _sla_working_intervals(self, calendar, use_holidays, start, end):
        """Working intervals of a calendar between two naive UTC datetimes, as
        ``Intervals`` of naive UTC datetimes. Two queries (attendances, leaves)."""
        start_dt, end_dt = utc.localize(start), utc.localize(end)
        if use_holidays:
            intervals = calendar._work_intervals_batch(start_dt, end_dt)[False]
        else:
            intervals = calendar._attendance_intervals_batch(start_dt, end_dt)[False]
        naive = (
            (low.astimezone(utc).replace(tzinfo=None), high.astimezone(utc).replace(tzinfo=None))
            for low, high, _records in intervals
        )
        return to_intervals(naive)

    def _sla_values(self, plan, now):
        """The engine's columns of one ticket: planned deadlines (or the
        stored ones), reach times, states, alert level and next check."""
        self.ensure_one()
        # Reach times: the stored ones, else the milestones just stamped
        # (first response, resolution or closing). Stored once, never moved.
        response_reached = self.sla_response_reached or self.date_first_response
        resolved = self.date_resolved or (self.date_closed if self.is_closed and not self.is_cancelled else None)
        resolution_reached = self.sla_resolution_reached or resolved
        # Deadlines: frozen once reached, kept when not planned, none for a
        # cancelled ticket or a ticket without tier.
        response_deadline, response_warn_at = self.sla_response_deadline, self.sla_response_warn_at
        resolution_deadline, resolution_warn_at = self.sla_resolution_deadline, self.sla_resolution_warn_at
        if not plan:
            if not self.sla_response_reached:
                response_deadline = response_warn_at = None
            if not self.sla_resolution_reached:
                resolution_deadline = resolution_warn_at = None
        else:
            if plan.response_hours is not None:
                response_deadline, response_warn_at = plan.response_deadline, plan.response_warn_at
            if plan.resolution_hours is not None:
                resolution_deadline, resolution_warn_at = plan.resolution_deadline, plan.resolution_warn_at
        response_state = target_state(response_deadline, response_warn_at, response_reached, now)
        resolution_state = target_state(resolution_deadline, resolution_warn_at, resolution_reached, now)
        if self.is_cancelled:
            # A cancelled ticket keeps the state its open targets had.
            response_state = response_state if response_reached else self.sla_response_state or None
            resolution_state = resolution_state if resolution_reached else self.sla_resolution_state or None
        phase = sla_phase(response_deadline, response_reached, resolution_deadline, resolution_reached)
        if phase == "response":
            state, deadline, warn_at = response_state, response_deadline, response_warn_at
        elif phase == "resolution":
            state, deadline, warn_at = resolution_state, resolution_deadline, resolution_warn_at
        else:
            state, deadline, warn_at = resolution_state or response_state, None, None
        level = self.sla_alert_level or 0
        if phase != self._sla_phase():
            level = 0
        watched = phase and not self.sla_paused_since and not self.is_closed
        return {
            "sla_response_deadline": response_deadline,
            "sla_response_warn_at": response_warn_at,
            "sla_response_reached": response_reached or None,
            "sla_response_state": response_state,
            "sla_resolution_deadline": resolution_deadline,
            "sla_resolution_warn_at": resolution_warn_at,
            "sla_resolution_reached": resolution_reached or None,
            "sla_resolution_state": resolution_state,
            "sla_state": state,
            "sla_alert_level": level,
            "sla_next_check": check_time(deadline, warn_at, level, self.sla_tier_id.escalation_delay_hours)
            if watched
            else None,
        }

    def _sla_write(self, rows, join_pending=False):
        """Write the engine's columns of a batch ([(id, *values)] in the order
        of ENGINE_COLUMNS).

        ``join_pending`` (nothing was planned: reach times and states moved,
        as in a stage move): written as facts (``_write_facts``), one write
        per set of values; the ORM's flush writes them with the pending update
        of the tickets. Otherwise newly planned deadlines differ ticket by
        ticket: one UPDATE ... FROM (VALUES ...) on our own table, the one SQL
        write of the engine, kept because it is measured: the ORM's flush
        splits the same UPDATE every 100 rows (UPDATE_BATCH_SIZE) and a write
        per ticket costs its overrides per ticket (bench_sla deadlines: 11
        queries per batch of 1,000; the ORM adds 9). write_date and write_uid
        are set as the ORM would; nothing else depends on these columns."""
        if not rows:
            return
        if join_pending:
            by_values = defaultdict(list)
            for row in rows:
                by_values[tuple(row[1:])].append(row[0])
            untracked = self.with_context(mail_notrack=True)
            for values, ids in by_values.items():
                untracked.browse(ids)._write_facts(dict(zip(ENGINE_COLUMNS, values, strict=True)))
            return
        tickets = self.browse([row[0] for row in rows])
        tickets.flush_recordset(list(ENGINE_COLUMNS))
        columns = list(ENGINE_COLUMNS)
        assignments = SQL(", ").join(
            SQL("%s = v.%s::%s", SQL.identifier(col), SQL.identifier(col), SQL(ENGINE_COLUMNS[col])) for col in columns
        )
        self.env.cr.execute(
            SQL(
                "UPDATE aftersales_ticket t SET %s, write_date = now() AT TIME ZONE 'UTC', write_uid = %s "
                "FROM (VALUES %s) AS v(id, %s) WHERE t.id = v.id",
                assignments,
                self.env.uid,
                sql_values(rows),
                SQL(", ").join(SQL.identifier(col) for col in columns),
            )
        )
        tickets.invalidate_recordset([*columns, "write_date", "write_uid"])
