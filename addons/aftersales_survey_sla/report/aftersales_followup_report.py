from odoo import api, fields, models
from odoo.tools import SQL


class AftersalesFollowupReport(models.Model):
    _inherit = "aftersales.followup.report"
    _depends = {"aftersales.followup.kpi": ["tier_id"]}

    tier_id = fields.Many2one("aftersales.sla.tier", string="Service Tier", readonly=True)

    @api.model
    def _kpi_source_fields(self, model):
        fnames = super()._kpi_source_fields(model)
        if model == "aftersales.followup":
            return fnames | {"tier_id"}
        # the tier, and what the tier is computed from: a write that changes the
        # tier of a closed ticket moves its coverage to the new tier
        Ticket = self.env["aftersales.ticket"]
        tier_depends = {path.split(".")[0] for path in self.pool.field_depends[Ticket._fields["sla_tier_id"]]}
        return fnames | {"sla_tier_id"} | tier_depends

    @api.model
    def _kpi_followup_key(self, followup):
        return {**super()._kpi_followup_key(followup), "tier_id": followup.tier_id.id}

    @api.model
    def _kpi_ticket_key(self, ticket):
        return {**super()._kpi_ticket_key(ticket), "tier_id": ticket.sla_tier_id.id}

    @api.model
    def _kpi_rebuild_key_sql(self):
        return {**super()._kpi_rebuild_key_sql(), "tier_id": (SQL("f.tier_id"), SQL("t.sla_tier_id"))}
