from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_survey_fatigue_days = fields.Integer(related="company_id.aftersales_survey_fatigue_days", readonly=False)
