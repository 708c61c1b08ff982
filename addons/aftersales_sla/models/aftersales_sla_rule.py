from odoo import api, fields, models
from odoo.addons.aftersales_ticket.tools import parent_path_ids
from odoo.exceptions import ValidationError


class AftersalesSlaRule(models.Model):
    _name = "aftersales.sla.rule"
    _description = "After-sales Tier Rule"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, default=lambda self: self.env.company)
    tier_id = fields.Many2one("aftersales.sla.tier", string="Tier", required=True, ondelete="cascade")
    product_category_id = fields.Many2one(
        "product.category", string="Product Category", help="Products of this category and its sub-categories."
    )
    min_price = fields.Float(
        string="Minimum Price", help="Applies when the price paid at purchase is at least this amount (0: any)."
    )
    note = fields.Char(translate=True)

    @api.constrains("min_price")
    def _check_min_price(self):
        if any(rule.min_price < 0 for rule in self):
            raise ValidationError(self.env._("The minimum price of a tier rule cannot be negative."))

    def _matches(self, product, company, price):
        self.ensure_one()
        if self.company_id and self.company_id != company:
            return False
        if self.product_category_id and self.product_category_id.id not in parent_path_ids(
            product.categ_id.parent_path
        ):
            return False
        return price >= self.min_price

    def _reason(self):
        self.ensure_one()
        parts = []
        if self.product_category_id:
            parts.append(self.env._("category %(categ)s", categ=self.product_category_id.display_name))
        if self.min_price:
            parts.append(self.env._("price from %(price)s", price=self.min_price))
        return self.env._("Tier rule: %(rule)s", rule=", ".join(parts) or self.note or self.env._("every product"))
