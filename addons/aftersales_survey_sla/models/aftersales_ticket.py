from odoo import api, models


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    @api.model
    def _kpi_fields(self):
        return super()._kpi_fields() | {"sla_tier_id"}

    def _kpi_key(self):
        return {**super()._kpi_key(), "tier_id": self.sla_tier_id.id}
