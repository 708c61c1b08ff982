from odoo import models

from .stock_picking import LOANER_ROLES


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        """Core's moves first; then the installed base follows the company's
        units: one delivered to a customer becomes theirs from that day, one
        taken back from a customer (三包 return or exchange) the company's.
        Customer units moved with their owner (mail-in, carry-in) stay theirs,
        and loaners stay the company's; a loaner back in the loaner location
        is returned on its ticket."""
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        done = moves.move_line_ids.filtered(lambda ml: ml.lot_id and ml.state == "done")
        self.env["aftersales.ticket"]._loaner_returned(done)
        lines = done.filtered(lambda ml: not ml.owner_id and ml.picking_id.aftersales_unit_role not in LOANER_ROLES)
        for line in lines:
            move = line.move_id
            lot = line.lot_id.sudo()
            if line.location_dest_id.usage == "customer" and line.location_id.usage != "customer":
                customer = (line.picking_id.partner_id or move.partner_id).commercial_partner_id
                if customer and lot.aftersales_customer_id != customer:
                    day = move.company_id._aftersales_today(line.date)
                    lot._aftersales_set_owner(customer, day, "delivery")
            elif (
                line.location_id.usage == "customer"
                and line.location_dest_id.usage != "customer"
                and lot.aftersales_customer_id
            ):
                lot._aftersales_set_owner(False, False, False)
        return moves
