from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import AGENT, MANAGER


class AftersalesTicket(models.Model):
    """What decides the tier and 三包 is the service team's: hidden from the
    customer's reads (the portal pages show what the customer needs from the
    checked ticket), written by agents at intake and by managers afterwards."""

    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    purchase_price = fields.Float(groups="base.group_user")
    sla_tier_origin = fields.Selection(groups="base.group_user")
    sla_tier_reason = fields.Char(groups="base.group_user")
    warranty_end_date = fields.Date(groups="base.group_user")
    warranty_state = fields.Selection(groups="base.group_user")
    entitlement = fields.Selection(groups="base.group_user")
    entitlement_data = fields.Json(groups="base.group_user")
    entitlement_reason = fields.Text(groups="base.group_user")

    @api.model
    def _aftersales_intake_fields(self):
        return super()._aftersales_intake_fields() | {"purchase_price", "sla_tier_id"}

    @api.model
    def _field_write_rules(self):
        return {**super()._field_write_rules(), "purchase_price": (AGENT, MANAGER)}
