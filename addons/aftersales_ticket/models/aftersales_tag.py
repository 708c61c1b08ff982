from odoo import fields, models


class AftersalesTag(models.Model):
    _name = "aftersales.tag"
    _description = "After-sales Ticket Tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _name_uniq = models.Constraint("unique (name)", "A tag with this name already exists.")
