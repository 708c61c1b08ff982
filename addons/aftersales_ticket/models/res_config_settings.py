from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_repeat_days = fields.Integer(related="company_id.aftersales_repeat_days", readonly=False)
    aftersales_intake_team_id = fields.Many2one(related="company_id.aftersales_intake_team_id", readonly=False)
    aftersales_portal_daily_limit = fields.Integer(related="company_id.aftersales_portal_daily_limit", readonly=False)
    aftersales_alias_open = fields.Boolean(related="company_id.aftersales_alias_open", readonly=False)
