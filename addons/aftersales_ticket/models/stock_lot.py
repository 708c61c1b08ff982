from odoo import fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    aftersales_ticket_ids = fields.One2many("aftersales.ticket", "lot_id", string="Service Tickets")
    aftersales_ticket_count = fields.Integer(compute="_compute_aftersales_ticket_count", string="Tickets")

    def _compute_aftersales_ticket_count(self):
        counts = dict(self.env["aftersales.ticket"]._read_group([("lot_id", "in", self.ids)], ["lot_id"], ["__count"]))
        for lot in self:
            lot.aftersales_ticket_count = counts.get(lot, 0)

    def action_view_aftersales_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_ticket.aftersales_ticket_action")
        action["domain"] = [("lot_id", "=", self.id)]
        action["context"] = {"default_lot_id": self.id, "default_product_id": self.product_id.id}
        return action
