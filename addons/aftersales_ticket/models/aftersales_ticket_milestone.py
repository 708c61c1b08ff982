"""Milestones of the service SOP: when each step was reached, set once, and the
durations between them."""

from odoo import api, fields, models

from ..const import requires_acceptance
from .aftersales_stage import MILESTONES

MILESTONE_RANK = {code: rank for rank, (code, _label) in enumerate(MILESTONES)}

# Milestone reached -> the timestamp field it sets (once).
# Steps of the SOP stamped when the ticket enters a stage of that milestone,
# never when a later step is reached first (a skipped step has no date).
MILESTONE_DATES = {
    "accept": "date_taken",
    "diagnose": "date_diagnosis",
    "repair": "date_repair",
    "followup": "date_followup",
}


def _hours_field(help_text):
    """A stored duration between two milestones, in hours, averaged in reports."""
    return fields.Float(compute="_compute_durations", store=True, precompute=True, aggregator="avg", help=help_text)


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    # Milestones: stored facts, set once, only for steps the ticket went through
    date_reported = fields.Datetime(default=fields.Datetime.now, required=True, index=True, copy=False, tracking=True)
    date_taken = fields.Datetime(
        string="Taken On",
        readonly=True,
        copy=False,
        help="When the service desk took the ticket in (受理). The customer's acceptance of the work is "
        "Acceptance Date.",
    )
    date_assigned = fields.Datetime(
        compute="_compute_date_assigned",
        store=True,
        precompute=True,
        readonly=True,
        copy=False,
        help="When a technician first got the ticket.",
    )
    date_first_response = fields.Datetime(readonly=True, copy=False)
    date_diagnosis = fields.Datetime(string="Diagnosis Started", readonly=True, copy=False)
    date_repair = fields.Datetime(string="Repair Started", readonly=True, copy=False)
    date_resolved = fields.Datetime(readonly=True, copy=False)
    date_followup = fields.Datetime(string="Follow-up Started", readonly=True, copy=False)
    date_closed = fields.Datetime(readonly=True, copy=False, index="btree_not_null")
    date_service_end = fields.Datetime(
        string="Service Ended",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="When the service ended: the customer's acceptance of the work, or for a ticket without "
        "acceptance its follow-up or closing. Follow-ups count from here, whatever the settlement; the "
        "ticket no longer counts as the technician's open work. Empty again while a reopened ticket is "
        "worked on.",
    )
    diagnosis_hours = _hours_field("Hours from the start of diagnosis to the start of the repair (or its resolution).")
    repair_hours = _hours_field("Hours from the start of the repair to its resolution.")
    followup_hours = _hours_field("Hours from the start of the follow-up to closing.")
    response_hours = _hours_field("Hours from report to first response.")
    resolution_hours = _hours_field("Hours from report to resolution.")

    @api.depends("technician_id")
    def _compute_date_assigned(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.date_assigned = ticket.date_assigned or (now if ticket.technician_id else False)

    @api.depends(
        "date_reported",
        "date_first_response",
        "date_diagnosis",
        "date_repair",
        "date_resolved",
        "date_followup",
        "date_closed",
    )
    def _compute_durations(self):
        def hours(start, end):
            return (end - start).total_seconds() / 3600 if start and end and end >= start else 0.0

        for ticket in self:
            ticket.response_hours = hours(ticket.date_reported, ticket.date_first_response)
            ticket.resolution_hours = hours(ticket.date_reported, ticket.date_resolved)
            ticket.diagnosis_hours = hours(ticket.date_diagnosis, ticket.date_repair or ticket.date_resolved)
            ticket.repair_hours = hours(ticket.date_repair, ticket.date_resolved)
            ticket.followup_hours = hours(ticket.date_followup, ticket.date_closed)

    def _stamp_milestones(self, now):  # pylint: disable=missing-return
        """Stamp the step of the stage each ticket entered, if not stamped yet.
        A step the ticket skipped stays empty; first response and resolution
        are facts reached by any later step (not on cancellation). Tickets are
        grouped by the fields to write: one UPDATE per group, not per ticket.
        The stamped dates are not tracked: the write skips preparing the
        tracking (reading every tracked field of every ticket again)."""
        groups = {}
        for ticket in self:
            stage = ticket.stage_id
            rank = MILESTONE_RANK.get(stage.milestone, -1)
            vals = {}
            if not stage.is_cancelled:
                field = MILESTONE_DATES.get(stage.milestone)
                if field and not ticket[field]:
                    vals[field] = now
                if rank >= MILESTONE_RANK["accept"] and not ticket.date_first_response:
                    vals["date_first_response"] = now
                if rank >= MILESTONE_RANK["acceptance"] and not ticket.date_resolved:
                    vals["date_resolved"] = now
            if stage.is_closed and not ticket.date_closed:
                vals["date_closed"] = now
            if vals:
                groups.setdefault(tuple(sorted(vals)), []).append(ticket.id)
        untracked = self.with_context(mail_notrack=True)
        for fnames, ids in groups.items():
            untracked.browse(ids)._write_facts(dict.fromkeys(fnames, now))

    def _service_has_ended(self):
        """Whether the service of the ticket is over: the customer accepted
        the work, or a ticket without acceptance (or with a waived one)
        reached follow-up or closed. A cancelled ticket, a refused work (its
        rework carries the service) or a ticket moved back to repair has not ended."""
        self.ensure_one()
        stage = self.stage_id
        if stage.is_cancelled:
            return False
        rank = MILESTONE_RANK.get(stage.milestone, -1)
        if not requires_acceptance(self.category):
            return stage.is_closed or rank >= MILESTONE_RANK["followup"]
        if self.acceptance_state == "accepted":
            return stage.is_closed or rank >= MILESTONE_RANK["acceptance"]
        return self.acceptance_state == "waived" and (stage.is_closed or rank >= MILESTONE_RANK["followup"])

    def _stamp_service_end(self, now, from_facts=False):
        """Stamp the end of service of the tickets whose service just ended,
        clear it on those reopened. With ``from_facts`` (tickets created with
        their history, e.g. imported) the end is the ticket's own acceptance,
        follow-up or closing date when it has one. Returns the tickets whose
        service ended now (extending addons plan what follows the service)."""
        ended = {}
        reopened = self.browse()
        for ticket in self:
            if ticket._service_has_ended():
                if not ticket.date_service_end:
                    when = now
                    if from_facts:
                        known = [ticket.date_followup, ticket.date_closed]
                        if ticket.acceptance_state == "accepted":
                            known = [ticket.acceptance_date]
                        when = min(filter(None, known), default=now)
                    ended.setdefault(when, []).append(ticket.id)
            elif ticket.date_service_end and not ticket.stage_id.is_cancelled:
                reopened |= ticket
        untracked = self.with_context(mail_notrack=True)
        for when, ids in ended.items():
            untracked.browse(ids)._write_facts({"date_service_end": when})
        if reopened:
            untracked.browse(reopened.ids)._write_facts({"date_service_end": False})
        return self.browse([ticket_id for ids in ended.values() for ticket_id in ids])
