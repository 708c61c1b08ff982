from odoo import api, models


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    @api.model
    def _kpi_fields(self):
        # the tier, and what the tier is computed from: a write that changes the
        # tier of a closed ticket moves its coverage to the new tier
        tier_depends = {path.split(".")[0] for path in self.pool.field_depends[self._fields["sla_tier_id"]]}
        return super()._kpi_fields() | {"sla_tier_id"} | tier_depends

    def _kpi_key(self):
        return {**super()._kpi_key(), "tier_id": self.sla_tier_id.id}
