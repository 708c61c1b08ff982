from odoo import api, fields, models
from odoo.fields import Domain

FOLLOWTHROUGH_TYPES = [("complaint", "Complaint ticket"), ("rework", "Rework ticket")]


class AftersalesFollowupPlan(models.Model):
    _name = "aftersales.followup.plan"
    _description = "After-sales Follow-up Plan"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Leave empty to share the plan between companies.")
    is_default = fields.Boolean(
        string="Company Default", help="Used for the teams of the company that have no plan of their own."
    )
    step_ids = fields.One2many("aftersales.followup.step", "plan_id", string="Steps", copy=True)
    team_ids = fields.One2many("aftersales.team", "followup_plan_id", string="Teams")
    low_score_ticket = fields.Selection(
        FOLLOWTHROUGH_TYPES,
        string="Low Score Opens",
        default="complaint",
        required=True,
        help="Ticket opened for the team manager when a CSAT is 2 or less or the NPS 6 or less.",
    )
    unsolved_ticket = fields.Selection(
        FOLLOWTHROUGH_TYPES,
        string="Unsolved Problem Opens",
        default="rework",
        required=True,
        help="Ticket opened for the team manager when the customer says the problem is not solved or came back.",
    )

    @api.model
    def _plan_for(self, ticket):
        """The plan of the ticket's team, else the default plan of its company."""
        if ticket.team_id.followup_plan_id.active:
            return ticket.team_id.followup_plan_id
        return self.search(
            Domain("is_default", "=", True) & Domain("company_id", "in", [ticket.company_id.id, False]),
            order="company_id, sequence, id",
            limit=1,
        )
