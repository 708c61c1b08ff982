from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_default_tier_id = fields.Many2one(related="company_id.aftersales_default_tier_id", readonly=False)
    aftersales_return_days = fields.Integer(related="company_id.aftersales_return_days", readonly=False)
    aftersales_exchange_days = fields.Integer(related="company_id.aftersales_exchange_days", readonly=False)
    aftersales_repair_limit = fields.Integer(related="company_id.aftersales_repair_limit", readonly=False)
    aftersales_incident_l1_hours = fields.Float(related="company_id.aftersales_incident_l1_hours", readonly=False)
    aftersales_incident_l2_hours = fields.Float(related="company_id.aftersales_incident_l2_hours", readonly=False)
    aftersales_incident_l3_hours = fields.Float(related="company_id.aftersales_incident_l3_hours", readonly=False)
    aftersales_renewal_days = fields.Integer(related="company_id.aftersales_renewal_days", readonly=False)
    aftersales_sla_digest_threshold = fields.Integer(
        related="company_id.aftersales_sla_digest_threshold", readonly=False
    )
    aftersales_service_manager_id = fields.Many2one(related="company_id.aftersales_service_manager_id", readonly=False)
