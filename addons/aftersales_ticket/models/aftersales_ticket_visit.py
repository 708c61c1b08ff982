"""Visits 上门: the technician's booked time with the customer.

No double booking (working hours, leaves, other visits: ``_visit_clashes()``,
shared with auto-dispatch), the customer's confirmation or request for another
time (portal: aftersales_ticket_visit_answer.py), the reminder the day before
(cron, once: _reminder.py), and the arrival and departure on site (_onsite.py)."""

from collections import defaultdict
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import LockError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_datetime

from ..write_rules import FACT

# A visit without estimate takes an hour.
DEFAULT_VISIT_HOURS = 1.0
# Visits are at most a day long: bookings that started up to a day before a
# slot may still run into it.
MAX_VISIT_SPAN = timedelta(days=1)
# What the customer may ask for on the portal.
VISIT_NOTE_MAX_LENGTH = 1000
OFFERED_SLOTS = 3  # other times offered to the customer, one a day at most
OFFER_DAYS = 7  # ... within this many days
# Hours tried each day for an offer (in the technician's time zone), before the
# working hours of the technician's calendar are applied.
OFFER_HOURS = range(8, 18)

VISIT_STATES = [
    ("proposed", "Waiting for the customer"),
    ("confirmed", "Confirmed by the customer"),
    ("reschedule", "Customer asks for another time"),
]


def utc_naive(moment):
    return moment.astimezone(pytz.utc).replace(tzinfo=None)


class AftersalesTechnician(models.Model):
    _inherit = "aftersales.technician"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    @api.private
    def visit_lock(self):
        """Hold these technicians while a visit is booked for them: an agent
        booking the same technician at the same moment is told to try again
        (the row is locked), and one that began before this booking committed
        gets a serialization failure on it (the row changed), which Odoo
        retries on a snapshot that sees the booking."""
        technicians = self.sudo()
        try:
            # FOR NO KEY UPDATE: tickets may still be created for them meanwhile
            technicians.lock_for_update(allow_referencing=True)
        except LockError:
            raise UserError(
                self.env._(
                    "%(technicians)s is being booked by someone else at this moment. Try again in a few seconds.",
                    technicians=", ".join(technicians.mapped("name")),
                )
            ) from None
        self.env["aftersales.ticket"]._dispatch_claim(technicians.ids)

    def _visit_resources(self):
        """{technician id: resource} of the technicians whose user has a
        resource (e.g. their employee): its calendar and leaves apply."""
        users = self.sudo().user_id
        resources = self.env["resource.resource"].sudo().search([("user_id", "in", users.ids)])
        by_user = {resource.user_id.id: resource for resource in resources}
        return {tech.id: by_user[tech.user_id.id] for tech in self.sudo() if tech.user_id.id in by_user}

    def _visit_tz(self):
        self.ensure_one()
        tech = self.sudo()
        return pytz.timezone(tech.user_id.tz or tech.company_id._aftersales_tz().zone)


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    # The customer's answer to the booked time
    visit_state = fields.Selection(VISIT_STATES, string="Visit Confirmation", readonly=True, copy=False, tracking=True)
    visit_confirmed_date = fields.Datetime(string="Visit Confirmed On", readonly=True, copy=False)
    visit_requested_date = fields.Datetime(string="Time Asked by the Customer", readonly=True, copy=False)
    visit_request_note = fields.Text(string="Customer's Note on the Visit", readonly=True, copy=False)
    visit_reminder_date = fields.Datetime(
        string="Visit Reminder Sent",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="When the reminder of the booked visit went to the customer; cleared when the visit moves.",
    )
    visit_end = fields.Datetime(string="Visit Ends", compute="_compute_visit_end")
    # On site, recorded by the technician
    date_arrived = fields.Datetime(string="Arrived On Site", readonly=True, copy=False, tracking=True)
    date_departed = fields.Datetime(string="Left Site", readonly=True, copy=False, tracking=True)

    _visit_reminder_due_idx = models.Index("(appointment_date) WHERE visit_reminder_date IS NULL")

    @api.depends("appointment_date", "estimated_hours")
    def _compute_visit_end(self):
        for ticket in self:
            ticket.visit_end = ticket.appointment_date and ticket._visit_slot()[1]

    @api.model
    def _field_write_rules(self):
        return {
            **super()._field_write_rules(),
            **dict.fromkeys(
                (
                    "visit_state",
                    "visit_confirmed_date",
                    "visit_requested_date",
                    "visit_request_note",
                    "visit_reminder_date",
                    "date_arrived",
                    "date_departed",
                ),
                FACT,
            ),
        }

    # ------------------------------------------------------------------
    # Clashes: working hours, leaves, booked visits
    # ------------------------------------------------------------------

    def _visit_slot(self):
        """(start, end) of the booked visit, UTC."""
        self.ensure_one()
        start = self.appointment_date
        return start, start + timedelta(hours=self.estimated_hours or DEFAULT_VISIT_HOURS)

    @api.constrains("technician_id", "appointment_date", "estimated_hours")
    def _check_visit_clash(self):
        """No technician is booked at a time they are at another customer's,
        on leave or off work: every assignment and every move of a visit
        (form, RPC, auto-dispatch, portal) ends here."""
        tickets = self.filtered(lambda t: t.technician_id and t.appointment_date and t.active and not t.is_closed)
        if not tickets:
            return
        tickets.technician_id.visit_lock()
        clashes = tickets._visit_clashes(tickets.technician_id)
        for ticket in tickets:
            clash = clashes.get(ticket.id, {}).get(ticket.technician_id.id)
            if clash:
                raise ValidationError(ticket._visit_clash_message(clash))

    def _visit_clashes(self, technicians):
        """{ticket id: {technician id: clash}} for the tickets of ``self`` with
        an appointment and the ``technicians`` who could not make it; a clash
        is ``("visit", ticket)``, ``("leave", leave)`` or ``("hours",
        calendar)``, in that order when several apply."""
        return self._visit_clashes_at(
            {ticket.id: ticket._visit_slot() for ticket in self if ticket.appointment_date and ticket.id}, technicians
        )

    @api.model
    def _visit_clashes_at(self, slots, technicians, ignore=()):
        """{key: {technician id: clash}} for the ``slots`` {key: (start, end)}
        (UTC, naive); a key that is a ticket id does not clash with itself,
        nor any slot with the tickets ``ignore`` (the visit being moved).
        A constant number of queries per calendar, whatever the number of
        slots and technicians."""
        clashes = defaultdict(dict)
        if not slots or not technicians:
            return clashes
        technicians = technicians.sudo()
        self._visit_clashes_booked(clashes, slots, technicians, ignore)
        resources = technicians._visit_resources()
        if resources:
            techs_of = defaultdict(list)  # {resource: technician ids}
            for tech_id, resource in resources.items():
                techs_of[resource].append(tech_id)
            self._visit_clashes_leaves(clashes, slots, techs_of)
            self._visit_clashes_hours(clashes, slots, techs_of)
        return clashes

    @api.model
    def _visit_clashes_booked(self, clashes, slots, technicians, ignore):
        """Add the other visits booked for the technicians at the slots."""
        low = min(start for start, _end in slots.values())
        high = max(end for _start, end in slots.values())
        booked = self.sudo().search_fetch(
            [
                ("technician_id", "in", technicians.ids),
                ("appointment_date", "<", high),
                ("appointment_date", ">=", low - MAX_VISIT_SPAN),
                ("is_closed", "=", False),
            ],
            ["technician_id", "appointment_date", "estimated_hours", "number"],
            order="appointment_date, id",
        )
        for other in booked.filtered(lambda t: t.id not in ignore):
            other_start, other_end = other._visit_slot()
            for key, (start, end) in slots.items():
                if key != other.id and other_start < end and start < other_end:
                    clashes[key].setdefault(other.technician_id.id, ("visit", other))

    @api.model
    def _visit_clashes_leaves(self, clashes, slots, techs_of):
        """Add the leaves of the resources ({resource: technician ids}) and
        the public holidays of their calendars that overlap the slots."""
        low = min(start for start, _end in slots.values())
        high = max(end for _start, end in slots.values())
        resources = self.env["resource.resource"].sudo().browse(r.id for r in techs_of)
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                Domain("date_from", "<", high)
                & Domain("date_to", ">", low)
                & Domain("time_type", "=", "leave")
                & (
                    Domain("resource_id", "in", resources.ids)
                    | (
                        Domain("resource_id", "=", False)
                        & Domain("calendar_id", "in", [*resources.calendar_id.ids, False])
                    )
                ),
                order="date_from, id",
            )
        )
        for leave in leaves:
            hit = leave.resource_id or resources.filtered(
                lambda r, leave=leave: (
                    (not leave.calendar_id or r.calendar_id == leave.calendar_id)
                    and (not leave.company_id or r.company_id == leave.company_id)
                )
            )
            tech_ids = [tech_id for resource in hit for tech_id in techs_of[resource]]
            for key, (start, end) in slots.items():
                if leave.date_from < end and start < leave.date_to:
                    for tech_id in tech_ids:
                        clashes[key].setdefault(tech_id, ("leave", leave))

    @api.model
    def _visit_clashes_hours(self, clashes, slots, techs_of):
        """Add the slots outside the working hours of the resources'
        calendars ({resource: technician ids}); resources without a calendar
        work any time."""
        low = min(start for start, _end in slots.values())
        high = max(end for _start, end in slots.values())
        resources = self.env["resource.resource"].sudo().browse(r.id for r in techs_of)
        for calendar, calendar_resources in resources.filtered("calendar_id").grouped("calendar_id").items():
            intervals = calendar._work_intervals_batch(
                pytz.utc.localize(low), pytz.utc.localize(high), resources=calendar_resources
            )
            for resource in calendar_resources:
                spans = []
                for begin, until, _meta in intervals[resource.id]:
                    span = [utc_naive(begin), utc_naive(until)]
                    if spans and span[0] <= spans[-1][1]:  # back to back: one span
                        spans[-1][1] = max(spans[-1][1], span[1])
                    else:
                        spans.append(span)
                for key, (start, end) in slots.items():
                    if not any(a <= start and end <= b for a, b in spans):
                        for tech_id in techs_of[resource]:
                            clashes[key].setdefault(tech_id, ("hours", calendar))

    def _visit_clash_message(self, clash):
        """Why the technician of this ticket cannot make its appointment, in
        the user's language and time zone."""
        self.ensure_one()
        kind, record = clash
        start, end = self._visit_slot()
        values = {
            "technician": self.technician_id.sudo().name,
            "start": format_datetime(self.env, start, dt_format="short"),
            "end": format_datetime(self.env, end, dt_format="short"),
        }
        if kind == "visit":
            other_start, other_end = record._visit_slot()
            return self.env._(
                "%(technician)s is already booked from %(other_start)s to %(other_end)s for ticket %(ticket)s: "
                "choose another time (%(start)s - %(end)s clashes) or another technician.",
                ticket=record.number,
                other_start=format_datetime(self.env, other_start, dt_format="short"),
                other_end=format_datetime(self.env, other_end, dt_format="short"),
                **values,
            )
        if kind == "leave":
            return self.env._(
                "%(technician)s is on leave (%(leave)s, %(leave_start)s - %(leave_end)s) at the visit of "
                "%(start)s - %(end)s: choose another time or another technician.",
                leave=record.name or self.env._("time off"),
                leave_start=format_datetime(self.env, record.date_from, dt_format="short"),
                leave_end=format_datetime(self.env, record.date_to, dt_format="short"),
                **values,
            )
        return self.env._(
            "The visit of %(start)s - %(end)s is outside the working hours of %(technician)s (%(calendar)s): "
            "choose another time or another technician.",
            calendar=record.name,
            **values,
        )

    # ------------------------------------------------------------------
    # CRUD: a moved visit is a new proposal
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        booked = tickets.filtered("appointment_date")
        if booked:
            booked._write_facts({"visit_state": "proposed"})
            booked.filtered("technician_id")._notice_queue("visit")
        return tickets

    def write(self, vals):
        moved = None
        if "appointment_date" in vals:
            new = fields.Datetime.to_datetime(vals["appointment_date"])
            moved = self.filtered(lambda t: t.appointment_date != new)
        res = super().write(vals)
        if vals.get("appointment_date") or vals.get("technician_id"):
            self.filtered(lambda t: t.appointment_date and t.technician_id)._notice_queue("visit")
        if moved:
            moved._write_facts(
                {
                    "visit_state": "proposed" if vals["appointment_date"] else False,
                    "visit_confirmed_date": False,
                    "visit_requested_date": False,
                    "visit_request_note": False,
                    "visit_reminder_date": False,
                }
            )
        return res

    # ------------------------------------------------------------------
    # Notices: who comes and when, and the reminder
    # ------------------------------------------------------------------

    def _visit_notice_key(self, prefix="visit"):
        """The key of the visit notice (who comes and when: a new technician
        or time is a new notice) or of its reminder (a new time is a new
        reminder), None without a visit."""
        self.ensure_one()
        if not self.appointment_date or self.is_closed:
            return None
        if prefix == "visit":
            if not self.technician_id:
                return None
            return f"visit-{self.technician_id.id}-{self.appointment_date:%Y%m%d%H%M}"
        return f"{prefix}-{self.appointment_date:%Y%m%d%H%M}"
