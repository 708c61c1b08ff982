from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_repeat_days = fields.Integer(related="company_id.aftersales_repeat_days", readonly=False)
