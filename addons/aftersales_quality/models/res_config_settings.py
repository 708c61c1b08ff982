from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_quality_manager_id = fields.Many2one(related="company_id.aftersales_quality_manager_id", readonly=False)
    aftersales_quality_alert_factor = fields.Float(related="company_id.aftersales_quality_alert_factor", readonly=False)
    aftersales_quality_alert_min_faults = fields.Integer(
        related="company_id.aftersales_quality_alert_min_faults", readonly=False
    )
    aftersales_quality_alert_days = fields.Integer(related="company_id.aftersales_quality_alert_days", readonly=False)
    aftersales_quality_audit_rate = fields.Float(related="company_id.aftersales_quality_audit_rate", readonly=False)
