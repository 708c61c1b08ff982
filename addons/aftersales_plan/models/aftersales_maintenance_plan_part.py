"""The parts kit of a maintenance plan: the parts each visit consumes. The
plan job puts them on the visit's repair order (aftersales_parts), from which
the technician issues them like any other part."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesMaintenancePlanPart(models.Model):
    _name = "aftersales.maintenance.plan.part"
    _description = "Maintenance Plan Kit Part"
    _order = "sequence, id"

    plan_id = fields.Many2one("aftersales.maintenance.plan", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product",
        string="Part",
        required=True,
        domain="[('type', '=', 'consu')]",
        help="A goods product: it is issued from the technician's van on the visit's repair order.",
    )
    product_qty = fields.Float(string="Quantity", default=1.0, required=True, digits="Product Unit")
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")

    _product_qty_positive = models.Constraint("CHECK (product_qty > 0)", "A kit part has a positive quantity.")

    @api.constrains("product_id")
    def _check_product_id(self):
        for line in self:
            if line.product_id.type != "consu":
                raise ValidationError(
                    self.env._(
                        "Parts kit of plan %(plan)s: %(product)s is not a goods product; a visit's labour is its "
                        "duration, not a part.",
                        plan=line.plan_id.name,
                        product=line.product_id.display_name,
                    )
                )
