from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class StockMove(models.Model):
    _inherit = "stock.move"

    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Service Ticket",
        related="repair_id.aftersales_ticket_id",
        store=True,
        index="btree_not_null",
    )
    aftersales_unit_cost = fields.Float(
        string="Cost at Issue", digits="Product Price", readonly=True, copy=False, help="The part's cost when issued."
    )

    @api.model_create_multi
    def create(self, vals_list):
        priced = {vals["repair_id"] for vals in vals_list if vals.get("price_unit") and vals.get("repair_id")}
        if priced and not self.env.su:
            self.env["repair.order"].browse(priced)._aftersales_check_part_price_right()
        return super().create(vals_list)

    def write(self, vals):
        if "price_unit" in vals and not self.env.su:
            self.repair_id._aftersales_check_part_price_right()
        return super().write(vals)

    @api.constrains("product_uom_qty", "product_id", "repair_id")
    def _check_aftersales_part(self):
        for move in self:
            if not move.repair_id.aftersales_ticket_id:
                continue
            if move.product_uom_qty < 0:
                raise ValidationError(
                    self.env._(
                        "Repair %(repair)s: the quantity of %(product)s cannot be negative.",
                        repair=move.repair_id.name,
                        product=move.product_id.display_name,
                    )
                )
            if move.product_id.type != "consu":
                raise ValidationError(
                    self.env._(
                        "Repair %(repair)s: %(product)s is not a goods product; put labour and other services "
                        "in the labour hours, not in the parts.",
                        repair=move.repair_id.name,
                        product=move.product_id.display_name,
                    )
                )

    @api.depends("repair_id.aftersales_ticket_id")
    def _compute_location_dest_id(self):
        res = super()._compute_location_dest_id()
        for move in self:
            if move.repair_line_type == "remove" and move.repair_id.aftersales_ticket_id:
                quarantine = move.repair_id.company_id.aftersales_quarantine_location_id
                if quarantine:
                    move.location_dest_id = quarantine
        return res

    def _get_repair_locations(self, repair_line_type, repair_id=False):
        location, destination = super()._get_repair_locations(repair_line_type, repair_id=repair_id)
        repair = repair_id or self.repair_id
        if repair_line_type == "remove" and repair.aftersales_ticket_id:
            destination = repair.company_id.aftersales_quarantine_location_id or destination
        return location, destination

    def _prepare_repair_so_line_vals(self):
        """A ticket's quotation prices its parts with the tier's pricelist,
        never with a price typed on the part (core takes the move's
        ``price_unit``); covered repairs stay free."""
        vals = super()._prepare_repair_so_line_vals()
        if self.repair_id.aftersales_ticket_id and not self.repair_id.under_warranty:
            vals.pop("price_unit", None)
        return vals

    def _aftersales_lock_quants(self):
        """Lock the stock rows the moves will reserve from, waiting for any
        other transaction issuing the same parts. Under REPEATABLE READ the
        waiting transaction then fails to serialize and is retried, and the
        retry sees the other issue's reservation."""
        if not self:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT q.id FROM stock_quant q JOIN stock_location l ON l.id = q.location_id "
                "WHERE q.product_id IN %s AND (%s) ORDER BY q.id FOR NO KEY UPDATE OF q",
                tuple(self.product_id.ids),
                SQL(" OR ").join(
                    SQL("l.parent_path LIKE %s", f"{location.parent_path}%") for location in self.location_id
                ),
            )
        )

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        ticket_moves = moves.filtered(
            lambda m: m.state == "done" and m.repair_line_type and m.repair_id.aftersales_ticket_id
        )
        by_cost = {}
        for move in ticket_moves.filtered(lambda m: m.repair_line_type == "add"):
            cost = move.product_id.with_company(move.company_id).standard_price
            by_cost.setdefault(cost, []).append(move.id)
        for cost, ids in by_cost.items():
            self.browse(ids).sudo().write({"aftersales_unit_cost": cost})
        returns = ticket_moves.filtered(
            lambda m: (
                m.repair_line_type == "remove"
                and m.location_dest_id == m.company_id.aftersales_quarantine_location_id
                and not m.repair_id.aftersales_part_return_ids.filtered(lambda r, m=m: r.move_id == m)
            )
        )
        if returns:
            self.env["aftersales.part.return"].sudo()._create_from_moves(returns)
        return moves
