from odoo import api, fields, models

from ..tools import parent_path_ids


class AftersalesRoutingRule(models.Model):
    """Which service team gets a ticket a customer submits (portal, email):
    the first rule, by sequence, whose product category and customer region
    match. Empty criteria match everything, so a last rule without criteria
    is the default team."""

    _name = "aftersales.routing.rule"
    _description = "After-sales Routing Rule"
    _order = "sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    product_category_id = fields.Many2one(
        "product.category", string="Product Category", help="Matches this category and its subcategories."
    )
    country_id = fields.Many2one("res.country", string="Country", help="The customer's country.")
    state_ids = fields.Many2many(
        "res.country.state", string="Regions", help="The customer's state or province, e.g. 上海, 浙江."
    )
    team_id = fields.Many2one("aftersales.team", string="Service Team", required=True, check_company=True)

    @api.depends("team_id", "product_category_id", "country_id", "state_ids")
    def _compute_display_name(self):
        for rule in self:
            criteria = [rule.product_category_id.display_name, rule.country_id.name, *rule.state_ids.mapped("name")]
            rule.display_name = " / ".join(filter(None, criteria)) or self.env._("Default")
            rule.display_name += f" → {rule.team_id.name or ''}"

    def _matches(self, partner, product):
        self.ensure_one()
        if self.product_category_id and (
            not product or self.product_category_id.id not in parent_path_ids(product.categ_id.parent_path)
        ):
            return False
        commercial = partner.commercial_partner_id
        country = partner.country_id or commercial.country_id
        state = partner.state_id or commercial.state_id
        if self.country_id and self.country_id != country:
            return False
        return not self.state_ids or state in self.state_ids
