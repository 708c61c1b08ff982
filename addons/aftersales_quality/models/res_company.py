from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    # Quality loop
    aftersales_quality_manager_id = fields.Many2one(
        "res.users",
        string="Quality Manager",
        help="Receives the failure-rate alerts as activities.",
    )
    aftersales_quality_alert_factor = fields.Float(
        string="Failure Alert Factor",
        default=3.0,
        help="A model is flagged when its failure rate for a fault type reaches this many times the rate of the "
        "other models for the same fault type.",
    )
    aftersales_quality_alert_min_faults = fields.Integer(
        string="Failure Alert Minimum Faults",
        default=3,
        help="Fewer fault tickets than this on a model and fault type never raise an alert (noise).",
    )
    aftersales_quality_alert_days = fields.Integer(
        string="Failure Rate Window (days)",
        default=365,
        help="Fault tickets reported within this many days are counted against the units delivered.",
    )
    aftersales_quality_trend_factor = fields.Float(
        string="Trend Alert Factor",
        default=3.0,
        help="A model is flagged when its failure rate for a fault type over the recent window reaches this many "
        "times its own rate over the trailing window before it.",
    )
    aftersales_quality_trend_recent_days = fields.Integer(
        string="Trend Recent Window (days)", default=30, help="The recent window of the trend alert."
    )
    aftersales_quality_trend_base_days = fields.Integer(
        string="Trend Trailing Window (days)",
        default=180,
        help="The trailing window before the recent one, the model's own baseline.",
    )
    # Weekly audit
    aftersales_quality_audit_rate = fields.Float(
        string="Audit Sample (%)",
        default=5.0,
        help="Share of the week's closed tickets drawn for the quality audit (rounded up).",
    )

    @api.constrains(
        "aftersales_quality_alert_factor",
        "aftersales_quality_alert_min_faults",
        "aftersales_quality_alert_days",
        "aftersales_quality_audit_rate",
        "aftersales_quality_trend_factor",
        "aftersales_quality_trend_recent_days",
        "aftersales_quality_trend_base_days",
    )
    def _check_aftersales_quality_settings(self):
        for company in self:
            if company.aftersales_quality_alert_factor <= 1:
                raise ValidationError(self.env._("The failure alert factor must be greater than 1."))
            if company.aftersales_quality_trend_factor <= 1:
                raise ValidationError(self.env._("The trend alert factor must be greater than 1."))
            if company.aftersales_quality_trend_recent_days < 1 or company.aftersales_quality_trend_base_days < 1:
                raise ValidationError(self.env._("The trend alert windows must be at least one day long."))
            if company.aftersales_quality_alert_min_faults < 1 or company.aftersales_quality_alert_days < 1:
                raise ValidationError(
                    self.env._("The failure alert needs at least one fault and a window of at least one day.")
                )
            if not 0 < company.aftersales_quality_audit_rate <= 100:
                raise ValidationError(self.env._("The audit sample must be between 0 and 100 %."))

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["aftersales.quality.target"]._ensure_targets(companies)
        return companies
