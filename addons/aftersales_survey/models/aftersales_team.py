from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import OPEN_FIELD


class AftersalesTeam(models.Model):
    _inherit = "aftersales.team"

    followup_plan_id = fields.Many2one(
        "aftersales.followup.plan",
        string="Follow-up Plan",
        help="Follow-ups 回访 after a ticket of this team is closed; empty for the company's default plan.",
    )

    @api.model
    def _field_write_rules(self):
        # Team configuration: whoever the access rights let write teams.
        return {**super()._field_write_rules(), "followup_plan_id": OPEN_FIELD}
