from odoo import api, fields, models
from odoo.addons.aftersales_ticket.const import URGENCY_RANK
from odoo.addons.aftersales_ticket.write_rules import AGENT
from odoo.tools import format_datetime

INCIDENT_LEVELS = [("1", "Level 1"), ("2", "Level 2"), ("3", "Level 3")]

# Fields whose change re-plans the open targets (the tier follows the unit).
SLA_TRIGGERS = {
    "sla_tier_id",
    "urgency",
    "date_reported",
    "sla_incident_level",
    "partner_id",
    "product_id",
    "lot_id",
    "company_id",
}


class AftersalesTicket(models.Model):
    """The SLA of a ticket, and where each part lives:

    - tier selection: aftersales_ticket_tier.py
    - warranty and 三包: aftersales_ticket_warranty.py
    - pauses of the clock: aftersales_ticket_pause.py
    - the deadline engine: aftersales_ticket_deadline.py (planning in tools/working_time.py)
    - the monitor (warnings, escalations): aftersales_ticket_monitor.py

    This file holds major incidents on the ticket, the queue order, and when
    the engine runs (creation, SLA fields written, stage moves, first response)."""

    _inherit = "aftersales.ticket"

    sla_incident_level = fields.Selection(
        INCIDENT_LEVELS,
        string="Major Incident",
        tracking=True,
        help="Major incidents must be answered within the company's level targets (30 min / 2 h / 24 h), "
        "on the clock around the clock whatever the tier's calendar.",
    )
    sla_major_incident_id = fields.Many2one(
        "aftersales.sla.incident",
        string="Incident",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        groups="base.group_user",
        help="The major incident (one outage, many customers) this ticket belongs to; it takes its level.",
    )

    @api.model
    def _field_write_rules(self):
        return {
            **super()._field_write_rules(),
            "sla_incident_level": (AGENT, AGENT),
            "sla_major_incident_id": (AGENT, AGENT),
        }

    @api.depends("urgency", "sla_incident_level", "sla_tier_id.queue_priority")
    def _compute_priority_rank(self):
        """Queue order, lowest first: major incidents by level, then urgency,
        then the tier (Advanced and VIP are served first at equal urgency)."""
        for ticket in self:
            incident = int(ticket.sla_incident_level) if ticket.sla_incident_level else 4
            urgency = URGENCY_RANK.get(ticket.urgency, 1)
            tier = min(max(ticket.sudo().sla_tier_id.queue_priority, 0), 9)
            ticket.priority_rank = incident * 100 + urgency * 10 + (9 - tier)

    # ------------------------------------------------------------------
    # When the engine runs
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._sla_incident_level_vals(vals_list)
        return super().create(vals_list)

    @api.model
    def _sla_incident_level_vals(self, vals_list):
        """A ticket joining a major incident takes the incident's level."""
        incident_ids = {vals["sla_major_incident_id"] for vals in vals_list if vals.get("sla_major_incident_id")}
        if not incident_ids:
            return
        levels = dict(
            self.env["aftersales.sla.incident"].sudo().browse(incident_ids).exists().mapped(lambda i: (i.id, i.level))
        )
        for vals in vals_list:
            if vals.get("sla_major_incident_id") in levels:
                vals["sla_incident_level"] = levels[vals["sla_major_incident_id"]]

    def write(self, vals):
        if vals.get("sla_major_incident_id"):
            vals = dict(vals)
            self._sla_incident_level_vals([vals])
        res = super().write(vals)
        if SLA_TRIGGERS & set(vals):
            self._sla_refresh()
        return res

    def _stamp_milestones(self, now):
        """A stage move opens or closes pauses and reaches targets: tickets
        whose pauses changed are re-planned, the others keep their deadlines
        and only their reach times and states move."""
        res = super()._stamp_milestones(now)
        paused_or_resumed = self._sla_sync_pauses(now)
        paused_or_resumed._sla_refresh(now)
        (self - paused_or_resumed)._sla_refresh(now, keep_deadlines=True)
        return res

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if self.filtered(lambda t: t.date_first_response and not t.sla_response_reached):
            self._sla_refresh(keep_deadlines=True)
        return res

    @api.private
    def notice_promise(self):
        """The tier and promised response of the acknowledgement, in the
        reader's language and time zone."""
        self.ensure_one()
        promise = super().notice_promise()
        ticket = self.sudo()
        if not ticket.sla_response_deadline:
            return promise
        tz = ticket.partner_id.tz or ticket.sla_tier_id.resource_calendar_id.tz or "UTC"
        text = self.env._(
            "Your service tier is %(tier)s: we will answer by %(deadline)s.",
            tier=ticket.sla_tier_id.name or "-",
            deadline=format_datetime(self.env, ticket.sla_response_deadline, tz=tz),
        )
        if ticket.sla_tier_id.onsite_hours:
            text += " " + self.env._(
                "On-site service or pickup within %(hours)s hours if needed.",
                hours=f"{ticket.sla_tier_id.onsite_hours:g}",
            )
        return " ".join(filter(None, [promise, text]))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_sla_recompute(self):
        """Recompute the deadlines of the open targets (reached ones stay)."""
        self.check_access("write")
        self._sla_refresh()
        return True

    def _sla_recompute_job(self):
        """One batch of a tier's recompute job, as the manager who started it."""
        self.check_access("write")
        self._sla_refresh()
