from odoo import fields, models


class AftersalesFollowupReport(models.Model):
    _inherit = "aftersales.followup.report"
    _depends = {"aftersales.followup.kpi": ["tier_id"]}

    tier_id = fields.Many2one("aftersales.sla.tier", string="Service Tier", readonly=True)

    def _report_key_columns(self):
        return [*super()._report_key_columns(), "tier_id"]
