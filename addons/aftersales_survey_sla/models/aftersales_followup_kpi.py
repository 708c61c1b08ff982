from odoo import api, fields, models
from odoo.tools import SQL


class AftersalesFollowupKpi(models.Model):
    _inherit = "aftersales.followup.kpi"

    tier_id = fields.Many2one("aftersales.sla.tier", string="Service Tier", ondelete="set null")

    @api.model
    def _kpi_key_fields(self):
        return [*super()._kpi_key_fields(), "tier_id"]

    @api.model
    def _kpi_rebuild_key_sql(self):
        return {**super()._kpi_rebuild_key_sql(), "tier_id": (SQL("f.tier_id"), SQL("t.sla_tier_id"))}
