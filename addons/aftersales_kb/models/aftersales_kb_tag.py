from odoo import fields, models

TAG_KINDS = [
    ("product_line", "Product Line"),
    ("problem_type", "Problem Type"),
    ("severity", "Severity"),
]


class AftersalesKbTag(models.Model):
    _name = "aftersales.kb.tag"
    _description = "Knowledge Article Tag"
    _order = "kind, name"

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(TAG_KINDS, required=True, default="problem_type")
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _name_kind_uniq = models.Constraint("unique (kind, name)", "A tag with this name already exists for this kind.")
