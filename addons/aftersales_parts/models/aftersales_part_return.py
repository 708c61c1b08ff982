from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import FACT, SYSTEM
from odoo.exceptions import UserError

from ..rights import STOCK, check_right

STATES = [
    ("quarantine", "In quarantine"),
    ("inspected", "Inspected"),
    ("reused", "Back to stock"),
    ("vendor", "Sent to vendor"),
    ("scrapped", "Scrapped"),
]
RESULTS = [
    ("reusable", "Works: reuse"),
    ("repairable", "Faulty: vendor repair"),
    ("defective", "Defective: scrap"),
]
# Written by the repair that removed the part and by the inspection and
# disposal actions only.
RETURN_FACTS = (
    "name",
    "company_id",
    "ticket_id",
    "repair_id",
    "lot_id",
    "product_id",
    "part_lot_id",
    "quantity",
    "product_uom_id",
    "move_id",
    "location_id",
    "state",
    "inspected_by_id",
    "inspection_date",
    "picking_id",
    "scrap_id",
    "reuse_move_id",
)
# What the warehouse records on a returned part.
RETURN_WAREHOUSE_FIELDS = ("inspection_result", "inspection_note", "vendor_id", "rma_reference")


class AftersalesPartReturn(models.Model):
    _name = "aftersales.part.return"
    _description = "Returned Faulty Part"
    _inherit = ["mail.thread", "aftersales.write.rules.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    ticket_id = fields.Many2one("aftersales.ticket", string="Service Ticket", readonly=True, index=True)
    repair_id = fields.Many2one("repair.order", string="Repair Order", readonly=True, index=True)
    lot_id = fields.Many2one(
        "stock.lot", string="Unit Serial", readonly=True, index="btree_not_null", help="The customer's unit."
    )
    product_id = fields.Many2one("product.product", string="Part", required=True, readonly=True, index=True)
    part_lot_id = fields.Many2one("stock.lot", string="Part Serial", readonly=True)
    quantity = fields.Float(digits="Product Unit", readonly=True)
    product_uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True)
    move_id = fields.Many2one("stock.move", string="Removal Move", readonly=True)
    location_id = fields.Many2one("stock.location", string="Quarantine", readonly=True)
    state = fields.Selection(STATES, default="quarantine", required=True, readonly=True, tracking=True, index=True)

    # Inspection
    inspection_result = fields.Selection(RESULTS, tracking=True)
    inspection_note = fields.Text()
    inspected_by_id = fields.Many2one("res.users", string="Inspected by", readonly=True)
    inspection_date = fields.Datetime(readonly=True)

    # Disposal
    vendor_id = fields.Many2one("res.partner", string="Vendor", check_company=True)
    rma_reference = fields.Char(string="RMA Reference", help="The vendor's return authorisation number.")
    picking_id = fields.Many2one("stock.picking", string="Return to Vendor", readonly=True)
    scrap_id = fields.Many2one("stock.scrap", string="Scrap", readonly=True)
    reuse_move_id = fields.Many2one("stock.move", string="Back to Stock Move", readonly=True)

    _quantity_positive = models.Constraint("CHECK (quantity > 0)", "A returned part has a positive quantity.")

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model
    def _field_write_rules(self):
        return {
            **super()._field_write_rules(),
            **dict.fromkeys(RETURN_FACTS, FACT),
            **dict.fromkeys(RETURN_WAREHOUSE_FIELDS, (SYSTEM, STOCK)),
        }

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("aftersales.part.return") or "/"
        return super().create(vals_list)

    @api.model
    def _create_from_moves(self, moves):
        vals_list = []
        for move in moves:
            for line in move.move_line_ids or [False]:
                vals_list.append(
                    {
                        "company_id": move.company_id.id,
                        "ticket_id": move.repair_id.aftersales_ticket_id.id,
                        "repair_id": move.repair_id.id,
                        "lot_id": move.repair_id.lot_id.id,
                        "product_id": move.product_id.id,
                        "part_lot_id": line and line.lot_id.id,
                        "quantity": line.quantity if line else move.quantity,
                        "product_uom_id": move.product_uom.id,
                        "move_id": move.id,
                        "location_id": move.location_dest_id.id,
                        "vendor_id": move.product_id.seller_ids[:1].partner_id.id,
                    }
                )
        return self._create_facts(vals_list)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_state(self, states, action):
        wrong = self.filtered(lambda r: r.state not in states)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(action)s is not possible for %(parts)s: %(state)s.",
                    action=action,
                    parts=", ".join(wrong.mapped("name")),
                    state=", ".join(sorted({labels[s] for s in wrong.mapped("state")})),
                )
            )

    def _check_warehouse(self, action):
        check_right(self.env, STOCK, action)
        self.check_access("write")

    def action_inspect(self):
        self._check_warehouse(self.env._("Inspecting returned parts"))
        self._check_state(("quarantine", "inspected"), self.env._("Inspection"))
        missing = self.filtered(lambda r: not r.inspection_result)
        if missing:
            raise UserError(
                self.env._("Record the inspection result of %(parts)s first.", parts=", ".join(missing.mapped("name")))
            )
        self._write_facts(
            {"state": "inspected", "inspected_by_id": self.env.uid, "inspection_date": fields.Datetime.now()}
        )
        return True

    def action_reuse(self):
        """Back to the stock of the repair's warehouse."""
        self._check_warehouse(self.env._("Putting returned parts back to stock"))
        self._check_state(("inspected",), self.env._("Reuse"))
        if self.filtered(lambda r: r.inspection_result != "reusable"):
            raise UserError(self.env._("Only parts inspected as working can go back to stock."))
        for part in self:
            destination = part.repair_id.picking_type_id.default_location_src_id or part.repair_id.location_id
            move = self.env["stock.move"].create(
                {
                    "product_id": part.product_id.id,
                    "product_uom": part.product_uom_id.id,
                    "product_uom_qty": part.quantity,
                    "location_id": part.location_id.id,
                    "location_dest_id": destination.id,
                    "company_id": part.company_id.id,
                    "origin": f"{part.sudo().ticket_id.number or ''} {part.name}".strip(),
                }
            )
            move._action_confirm()
            move._action_assign()
            move.quantity = part.quantity
            move.picked = True
            move._action_done()
            part._write_facts({"state": "reused", "reuse_move_id": move.id})
        return True

    def action_return_to_vendor(self):
        """A return picking from quarantine to the vendor, with the RMA reference."""
        self._check_warehouse(self.env._("Returning parts to the vendor"))
        self._check_state(("inspected",), self.env._("Return to vendor"))
        if self.filtered(lambda r: not r.vendor_id or not r.rma_reference):
            raise UserError(self.env._("Enter the vendor and its RMA reference before sending a part back."))
        for part in self:
            warehouse = part.repair_id.picking_type_id.warehouse_id
            picking_type = warehouse.out_type_id
            destination = part.vendor_id.property_stock_supplier or self.env.ref("stock.stock_location_suppliers")
            picking = self.env["stock.picking"].create(
                {
                    "picking_type_id": picking_type.id,
                    "partner_id": part.vendor_id.id,
                    "location_id": part.location_id.id,
                    "location_dest_id": destination.id,
                    "origin": f"{part.rma_reference} {part.name}",
                    "company_id": part.company_id.id,
                    "move_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": part.product_id.id,
                                "product_uom": part.product_uom_id.id,
                                "product_uom_qty": part.quantity,
                                "location_id": part.location_id.id,
                                "location_dest_id": destination.id,
                            },
                        )
                    ],
                }
            )
            picking.action_confirm()
            picking.action_assign()
            part._write_facts({"state": "vendor", "picking_id": picking.id})
        return True

    def action_scrap(self):
        """Odoo scrap from the quarantine location."""
        self._check_warehouse(self.env._("Scrapping returned parts"))
        self._check_state(("inspected",), self.env._("Scrap"))
        for part in self:
            scrap = self.env["stock.scrap"].create(
                {
                    "product_id": part.product_id.id,
                    "product_uom_id": part.product_uom_id.id,
                    "scrap_qty": part.quantity,
                    "location_id": part.location_id.id,
                    "lot_id": part.part_lot_id.id,
                    "origin": f"{part.sudo().ticket_id.number or ''} {part.name}".strip(),
                    "company_id": part.company_id.id,
                }
            )
            scrap.do_scrap()
            part._write_facts({"state": "scrapped", "scrap_id": scrap.id})
        return True

    def action_view_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.ticket",
            "view_mode": "form",
            "res_id": self.ticket_id.id,
        }
