from odoo import fields, models


class AftersalesFaultCategory(models.Model):
    _name = "aftersales.fault.category"
    _description = "Fault Category"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
