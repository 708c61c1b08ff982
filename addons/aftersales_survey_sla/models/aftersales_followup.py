from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import FACT


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
    def _field_write_rules(self):
        return {**super()._field_write_rules(), "tier_id": FACT}

    @api.model
    def _prepare_followup_vals(self, ticket, step, agent):
        return {**super()._prepare_followup_vals(ticket, step, agent), "tier_id": ticket.sla_tier_id.id}
