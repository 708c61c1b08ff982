from odoo import api, fields, models


class AftersalesFollowup(models.Model):
    _inherit = "aftersales.followup"

    tier_id = fields.Many2one(
        "aftersales.sla.tier",
        string="Service Tier",
        readonly=True,
        index="btree_not_null",
        help="The service tier of the ticket when it was closed.",
    )

    @api.model
    def _prepare_followup_vals(self, ticket, step, agent):
        return {**super()._prepare_followup_vals(ticket, step, agent), "tier_id": ticket.sla_tier_id.id}

    @api.model
    def _kpi_fields(self):
        return super()._kpi_fields() | {"tier_id"}

    def _kpi_key(self):
        return {**super()._kpi_key(), "tier_id": self.tier_id.id}
