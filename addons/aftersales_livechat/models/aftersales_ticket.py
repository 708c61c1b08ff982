from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import FACT


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    livechat_channel_id = fields.Many2one(
        "discuss.channel", string="Live Chat", readonly=True, copy=False, index="btree_not_null", ondelete="set null"
    )

    @api.model
    def _field_write_rules(self):
        return {**super()._field_write_rules(), "livechat_channel_id": FACT}
