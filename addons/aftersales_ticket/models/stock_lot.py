from odoo import fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    aftersales_ticket_ids = fields.One2many("aftersales.ticket", "lot_id", string="Service Tickets")
    aftersales_ticket_count = fields.Integer(compute="_compute_aftersales_ticket_count", string="Tickets")

    def _compute_aftersales_ticket_count(self):
        counts = dict(self.env["aftersales.ticket"]._read_group([("lot_id", "in", self.ids)], ["lot_id"], ["__count"]))
        for lot in self:
            lot.aftersales_ticket_count = counts.get(lot, 0)

    def _aftersales_customer_deliveries(self):
        """{(lot id, commercial partner id): date of the first delivery of the
        serial to that customer}, from the done moves to a customer location."""
        if not self:
            return {}
        lines = (
            self.env["stock.move.line"]
            .sudo()
            .search_fetch(
                [
                    ("lot_id", "in", self.ids),
                    ("state", "=", "done"),
                    ("location_dest_id.usage", "=", "customer"),
                ],
                ["lot_id", "date", "picking_id", "move_id"],
                order="date, id",
            )
        )
        deliveries = {}
        for line in lines:
            customer = (line.picking_id.partner_id or line.move_id.partner_id).commercial_partner_id
            deliveries.setdefault((line.lot_id.id, customer.id), line.date)
        return deliveries

    def _aftersales_portal_match(self, partner):
        """The serials a customer may link to their ticket from the portal:
        delivered to their company, or never delivered to anyone."""
        commercial = partner.commercial_partner_id
        delivered_to = {}
        for lot_id, customer_id in self._aftersales_customer_deliveries():
            delivered_to.setdefault(lot_id, set()).add(customer_id)
        return self.filtered(lambda lot: lot.id not in delivered_to or commercial.id in delivered_to[lot.id])

    def action_view_aftersales_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_ticket.aftersales_ticket_action")
        action["domain"] = [("lot_id", "=", self.id)]
        action["context"] = {"default_lot_id": self.id, "default_product_id": self.product_id.id}
        return action
