from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# The target fields of each urgency: (first response, resolution).
TARGET_FIELDS = {
    "emergency": ("response_emergency_hours", "resolution_emergency_hours"),
    "general": ("response_general_hours", "resolution_general_hours"),
    "non_fault": ("response_non_fault_hours", "resolution_non_fault_hours"),
}


class AftersalesSlaTier(models.Model):
    _name = "aftersales.sla.tier"
    _description = "After-sales Service Tier"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one("res.company", index=True, help="Leave empty to share the tier between companies.")
    description = fields.Text(translate=True)

    # Clock
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        help="Deadlines count working hours on this calendar only.",
    )
    use_public_holidays = fields.Boolean(
        default=True,
        help="Public holidays (time off without a resource) stop the clock. Round-the-clock tiers usually ignore them.",
    )

    # Targets, in working hours of the calendar
    response_emergency_hours = fields.Float(string="Emergency: first response", default=2.0)
    resolution_emergency_hours = fields.Float(string="Emergency: resolution", default=24.0)
    response_general_hours = fields.Float(string="General: first response", default=24.0)
    resolution_general_hours = fields.Float(string="General: resolution", default=72.0)
    response_non_fault_hours = fields.Float(string="Non-fault: first response", default=48.0)
    resolution_non_fault_hours = fields.Float(string="Non-fault: resolution", default=168.0)
    onsite_hours = fields.Float(
        string="On-site / Pickup Within (h)",
        help="Promised time to be on site, or to pick the unit up, after the report (0: no promise).",
    )
    queue_priority = fields.Integer(
        string="Queue Priority",
        default=0,
        help="Higher tiers are served first at equal urgency, in the queue and in dispatch (green channel).",
    )
    response_rate_target = fields.Float(
        string="Response Rate Target (%)",
        default=95.0,
        help="Share of tickets that must be answered within the promise.",
    )

    # Monitoring
    warning_percent = fields.Float(
        string="Warn at (%)", default=80.0, help="Warn the technician when this share of the target time is used."
    )
    escalation_delay_hours = fields.Float(
        string="Second Escalation After (h)",
        default=4.0,
        help="Hours after the breach when the escalation goes to the next level of the service network.",
    )

    # Commercial terms
    out_of_warranty_ratio = fields.Float(
        string="Out-of-warranty Price (%)", default=100.0, help="Share of the list price charged for a paid repair."
    )
    perk_account_manager = fields.Boolean(string="Dedicated Account Manager")
    perk_pickup_delivery = fields.Boolean(string="Pickup & Delivery")
    perk_emergency_parts = fields.Boolean(string="Emergency Parts")
    perk_lifetime_remote = fields.Boolean(string="Lifetime Remote Support")

    contract_ids = fields.One2many("aftersales.sla.contract", "tier_id", string="Contracts")

    _warning_percent_range = models.Constraint(
        "CHECK (warning_percent > 0 AND warning_percent <= 100)", "The warning threshold must be between 0 and 100 %."
    )

    @api.constrains(
        "response_emergency_hours",
        "resolution_emergency_hours",
        "response_general_hours",
        "resolution_general_hours",
        "response_non_fault_hours",
        "resolution_non_fault_hours",
    )
    def _check_targets(self):
        for tier in self:
            for fnames in TARGET_FIELDS.values():
                for fname in fnames:
                    if tier[fname] < 0:
                        raise ValidationError(
                            self.env._(
                                "Tier %(tier)s: the target '%(target)s' cannot be negative (%(hours)s h).",
                                tier=tier.name,
                                target=self._fields[fname]._description_string(self.env),
                                hours=tier[fname],
                            )
                        )

    _queue_priority_range = models.Constraint(
        "CHECK (queue_priority >= 0 AND queue_priority <= 9)", "The queue priority must be between 0 and 9."
    )
    _onsite_hours_positive = models.Constraint("CHECK (onsite_hours >= 0)", "The on-site promise cannot be negative.")

    @api.constrains("out_of_warranty_ratio", "response_rate_target", "escalation_delay_hours")
    def _check_ratios(self):
        for tier in self:
            if tier.out_of_warranty_ratio < 0 or not 0 <= tier.response_rate_target <= 100:
                raise ValidationError(
                    self.env._(
                        "Tier %(tier)s: the price ratio cannot be negative and the response rate target must be "
                        "between 0 and 100 %%.",
                        tier=tier.name,
                    )
                )
            if tier.escalation_delay_hours < 0:
                raise ValidationError(
                    self.env._("Tier %(tier)s: the escalation delay cannot be negative.", tier=tier.name)
                )

    @api.constrains("resource_calendar_id", "name")
    def _check_calendar(self):
        for tier in self:
            if not tier.resource_calendar_id:
                raise ValidationError(
                    self.env._(
                        "Tier %(tier)s needs working hours: deadlines are counted on a calendar.", tier=tier.name
                    )
                )

    def _targets(self, urgency):
        """(first response, resolution) targets in working hours at an urgency."""
        self.ensure_one()
        response, resolution = TARGET_FIELDS[urgency or "general"]
        return self[response], self[resolution]

    def _target_hours(self, kind, urgency):
        """Target in working hours for 'response' or 'resolution' at an urgency."""
        response, resolution = self._targets(urgency)
        return response if kind == "response" else resolution

    def action_recompute_deadlines(self):
        """After a change of the tier's targets or working hours: the open
        targets of its tickets are planned again (reached ones stay), in a
        background job (a tier may hold thousands of open tickets)."""
        self.ensure_one()
        self.check_access("write")  # managers: whoever may change the tier
        open_states = ("on_track", "at_risk", "breached")
        tickets = self.env["aftersales.ticket"].search(
            [
                ("sla_tier_id", "=", self.id),
                "|",
                ("sla_response_state", "in", open_states),
                ("sla_resolution_state", "in", open_states),
            ]
        )
        if not tickets:
            raise UserError(self.env._("No ticket of %(tier)s has an open target to recompute.", tier=self.name))
        return self.env["aftersales.job"]._enqueue(
            self.env._("Recompute the deadlines of %(tier)s", tier=self.name), tickets, "_sla_recompute_job"
        )
