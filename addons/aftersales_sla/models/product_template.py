from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    aftersales_is_extended_warranty = fields.Boolean(
        string="Extended Warranty (延保)",
        help="Selling this product on a posted customer invoice creates a service contract for the invoiced serials.",
    )
    aftersales_contract_tier_id = fields.Many2one("aftersales.sla.tier", string="Contract Tier")
    aftersales_contract_months = fields.Integer(string="Contract Duration (months)", default=12)
    aftersales_covered_product_ids = fields.Many2many(
        "product.product", string="Covered Products", help="Used when the invoice line names no serial."
    )
    aftersales_contract_count = fields.Integer(compute="_compute_aftersales_contract_count")

    _aftersales_contract_months_positive = models.Constraint(
        "CHECK (aftersales_contract_months >= 0)", "The contract duration cannot be negative."
    )

    def _compute_aftersales_contract_count(self):
        Contract = self.env["aftersales.sla.contract"]
        for template in self:
            template.aftersales_contract_count = Contract.search_count(template._aftersales_contract_domain())

    def _aftersales_contract_domain(self):
        return [
            "|",
            ("product_ids", "in", self.product_variant_ids.ids),
            ("lot_ids.product_id", "in", self.product_variant_ids.ids),
        ]

    def _aftersales_contract_values(self, partner, company, start, lots):
        """The values of the active contract this extended warranty opens for
        ``partner`` from ``start``: for ``lots``, else for its covered products.
        Shared by the invoice that sells it and the activations of other addons."""
        self.ensure_one()
        return {
            "contract_type": "extended_warranty",
            "partner_id": partner.id,
            "company_id": company.id,
            "tier_id": (self.aftersales_contract_tier_id or company.aftersales_default_tier_id).id,
            "date_start": start,
            "date_end": start + relativedelta(months=self.aftersales_contract_months or 12, days=-1),
            "lot_ids": [(6, 0, lots.ids)],
            "product_ids": [(6, 0, [])] if lots else [(6, 0, self.aftersales_covered_product_ids.ids)],
            "state": "active",
        }

    @api.constrains("aftersales_is_extended_warranty", "aftersales_contract_tier_id")
    def _check_aftersales_contract_tier(self):
        for template in self:
            if template.aftersales_is_extended_warranty and not template.aftersales_contract_tier_id:
                raise models.ValidationError(
                    self.env._("Extended warranty %(product)s needs a contract tier.", product=template.name)
                )

    def action_view_aftersales_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_sla.aftersales_sla_contract_action")
        action["domain"] = self._aftersales_contract_domain()
        return action
