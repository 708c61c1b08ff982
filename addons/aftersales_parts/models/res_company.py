from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_quarantine_location_id = fields.Many2one(
        "stock.location",
        string="Quarantine Location",
        domain="[('usage', '=', 'internal'), ('company_id', '=', id)]",
        help="Faulty parts removed from customers' units wait here for inspection (逆向物流).",
    )
    aftersales_labour_product_id = fields.Many2one(
        "product.product",
        string="Labour Product",
        domain="[('type', '=', 'service')]",
        help="Service product quoted for the hours the technician logs on a repair; its cost is the hourly "
        "labour cost.",
    )
    aftersales_inspection_product_id = fields.Many2one(
        "product.product",
        string="Inspection Fee",
        domain="[('type', '=', 'service')]",
        help="Charged when the customer refuses a quotation and the unit goes back unrepaired. Leave empty to "
        "return it free of charge.",
    )

    aftersales_deposit_percent = fields.Float(
        string="Repair Deposit",
        default=0.0,
        help="Share of a repair quotation the customer pays online when signing it (0.3 for 30 %). Zero: "
        "signing approves the repair and the customer pays the invoice after the repair, even when online "
        "payment of quotations is enabled for sales. A service tier may ask its own deposit.",
    )

    _aftersales_deposit_range = models.Constraint(
        "CHECK (aftersales_deposit_percent >= 0 AND aftersales_deposit_percent <= 1)",
        "A repair deposit is between 0 and 100 % of the quotation.",
    )

    def _aftersales_parts_setup(self):
        """Quarantine location and labour product for companies lacking them,
        and a repair pricelist for every tier."""
        labour = self.env.ref("aftersales_parts.product_labour_hour", raise_if_not_found=False)
        for company in self:
            warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
            if warehouse and not company.aftersales_quarantine_location_id:
                company.aftersales_quarantine_location_id = self.env["stock.location"].create(
                    {
                        "name": self.env._("Quarantine"),
                        "usage": "internal",
                        "location_id": warehouse.view_location_id.id,
                        "company_id": company.id,
                    }
                )
            if labour and not company.aftersales_labour_product_id:
                company.aftersales_labour_product_id = labour
        for tier in self.env["aftersales.sla.tier"].search([]):
            tier._aftersales_pricelist()
