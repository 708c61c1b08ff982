from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_quality_manager_id = fields.Many2one(related="company_id.aftersales_quality_manager_id", readonly=False)
    aftersales_quality_alert_factor = fields.Float(related="company_id.aftersales_quality_alert_factor", readonly=False)
    aftersales_quality_alert_min_faults = fields.Integer(
        related="company_id.aftersales_quality_alert_min_faults", readonly=False
    )
    aftersales_quality_alert_days = fields.Integer(related="company_id.aftersales_quality_alert_days", readonly=False)
    aftersales_quality_trend_factor = fields.Float(related="company_id.aftersales_quality_trend_factor", readonly=False)
    aftersales_quality_trend_recent_days = fields.Integer(
        related="company_id.aftersales_quality_trend_recent_days", readonly=False
    )
    aftersales_quality_trend_base_days = fields.Integer(
        related="company_id.aftersales_quality_trend_base_days", readonly=False
    )
    aftersales_complaint_soothe_hours = fields.Float(
        related="company_id.aftersales_complaint_soothe_hours", readonly=False
    )
    aftersales_complaint_verify_hours = fields.Float(
        related="company_id.aftersales_complaint_verify_hours", readonly=False
    )
    aftersales_complaint_resolve_hours = fields.Float(
        related="company_id.aftersales_complaint_resolve_hours", readonly=False
    )
    aftersales_complaint_follow_up_hours = fields.Float(
        related="company_id.aftersales_complaint_follow_up_hours", readonly=False
    )
    aftersales_coupon_program_id = fields.Many2one(
        related="company_id.aftersales_coupon_program_id",
        readonly=False,
        domain="[('program_type', '=', 'coupons'), ('company_id', 'in', [company_id, False])]",
    )
    aftersales_quality_audit_rate = fields.Float(related="company_id.aftersales_quality_audit_rate", readonly=False)
