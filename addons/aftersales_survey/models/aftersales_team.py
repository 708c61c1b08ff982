from odoo import fields, models


class AftersalesTeam(models.Model):
    _inherit = "aftersales.team"

    followup_plan_id = fields.Many2one(
        "aftersales.followup.plan",
        string="Follow-up Plan",
        help="Follow-ups 回访 after a ticket of this team is closed; empty for the company's default plan.",
    )
