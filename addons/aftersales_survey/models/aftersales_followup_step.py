from odoo import fields, models

CHANNELS = [
    ("email", "Email with the survey link"),
    ("portal", "Portal ticket page"),
    ("phone", "Phone call by an agent"),
]


class AftersalesFollowupStep(models.Model):
    _name = "aftersales.followup.step"
    _description = "After-sales Follow-up Step"
    _order = "plan_id, offset_hours, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    plan_id = fields.Many2one("aftersales.followup.plan", required=True, index=True, ondelete="cascade")
    survey_id = fields.Many2one("survey.survey", required=True, ondelete="restrict")
    offset_hours = fields.Integer(
        string="Hours After Closure", required=True, default=24, help="24 for the next day, 168 for a week."
    )
    channel = fields.Selection(CHANNELS, required=True, default="email")
    validity_days = fields.Integer(
        string="Valid for (days)", default=14, required=True, help="The invitation expires after this many days."
    )
    max_call_attempts = fields.Integer(
        string="Calls Before Email",
        default=3,
        help="Phone channel: after this many unanswered calls the survey link is emailed instead.",
    )
    apply_to_complaint = fields.Boolean(string="Complaints", default=True, help="Also follow up complaint tickets.")
    apply_to_rework = fields.Boolean(string="Rework", default=True, help="Also follow up rework tickets.")

    _offset_positive = models.Constraint("CHECK (offset_hours >= 0)", "The offset of a step cannot be negative.")
    _validity_positive = models.Constraint(
        "CHECK (validity_days > 0)", "An invitation must be valid for a day or more."
    )
    _calls_positive = models.Constraint("CHECK (max_call_attempts >= 1)", "Allow at least one call before the email.")

    def _applies_to(self, ticket):
        self.ensure_one()
        if ticket.category == "complaint" and not self.apply_to_complaint:
            return False
        return not (ticket.rework_of_id and not self.apply_to_rework)
