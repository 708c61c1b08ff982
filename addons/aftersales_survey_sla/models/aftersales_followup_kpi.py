from odoo import api, fields, models


class AftersalesFollowupKpi(models.Model):
    _inherit = "aftersales.followup.kpi"

    tier_id = fields.Many2one("aftersales.sla.tier", string="Service Tier", ondelete="set null")

    @api.model
    def _kpi_key_fields(self):
        return [*super()._kpi_key_fields(), "tier_id"]
