from odoo import fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    aftersales_part_return_ids = fields.One2many(
        "aftersales.part.return", "lot_id", string="Returned Parts", help="Faulty parts removed from this unit."
    )
    aftersales_part_return_count = fields.Integer(compute="_compute_aftersales_part_return_count")

    def _compute_aftersales_part_return_count(self):
        counts = dict(
            self.env["aftersales.part.return"]._read_group([("lot_id", "in", self.ids)], ["lot_id"], ["__count"])
        )
        for lot in self:
            lot.aftersales_part_return_count = counts.get(lot, 0)

    def action_view_aftersales_part_returns(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_parts.aftersales_part_return_action")
        action["domain"] = [("lot_id", "=", self.id)]
        action["context"] = {}
        return action
