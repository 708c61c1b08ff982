from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_survey_fatigue_days = fields.Integer(
        string="Survey Fatigue Window (days)",
        default=7,
        help="A customer receives at most one follow-up invitation per this many days across tickets.",
    )
