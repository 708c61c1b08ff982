from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    aftersales_warranty_months = fields.Integer(
        string="Warranty (months)", default=12, help="Standard warranty from the purchase or delivery date."
    )
    aftersales_fault_category_ids = fields.Many2many(
        "aftersales.fault.category", string="Fault Categories", help="Faults usually reported on this product."
    )

    _aftersales_warranty_months_positive = models.Constraint(
        "CHECK (aftersales_warranty_months >= 0)", "The warranty period cannot be negative."
    )
