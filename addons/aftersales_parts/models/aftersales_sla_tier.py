from odoo import api, fields, models


class AftersalesSlaTier(models.Model):
    _inherit = "aftersales.sla.tier"

    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Repair Pricelist",
        check_company=True,
        help="Prices of chargeable repairs for customers of this tier. Left empty, the first chargeable "
        "quotation creates one with a discount rule matching the out-of-warranty ratio.",
    )

    aftersales_deposit_percent = fields.Float(
        string="Repair Deposit",
        default=0.0,
        help="Share of a repair quotation customers of this tier pay online when signing it (0.3 for 30 %). "
        "Zero: the company's repair deposit applies.",
    )

    _aftersales_deposit_range = models.Constraint(
        "CHECK (aftersales_deposit_percent >= 0 AND aftersales_deposit_percent <= 1)",
        "A repair deposit is between 0 and 100 % of the quotation.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "out_of_warranty_ratio" in vals:
            self._aftersales_sync_pricelist()
        return res

    @api.private
    def _aftersales_pricelist(self):
        """The tier's repair pricelist, created on first use from the ratio."""
        self.ensure_one()
        if not self.pricelist_id:
            pricelist = (
                self.env["product.pricelist"]
                .sudo()
                .create(
                    {
                        "name": self.env._("Repairs - %(tier)s", tier=self.name),
                        "company_id": self.company_id.id,
                        "item_ids": [
                            (
                                0,
                                0,
                                {
                                    "applied_on": "3_global",
                                    "compute_price": "percentage",
                                    "percent_price": 100.0 - self.out_of_warranty_ratio,
                                },
                            )
                        ],
                    }
                )
            )
            self.sudo().pricelist_id = pricelist
        return self.pricelist_id

    def _aftersales_sync_pricelist(self):
        """Keep a single global discount rule in line with the ratio."""
        for tier in self.filtered("pricelist_id"):
            items = tier.pricelist_id.sudo().item_ids
            if len(items) == 1 and items.applied_on == "3_global" and items.compute_price == "percentage":
                items.percent_price = 100.0 - tier.out_of_warranty_ratio
