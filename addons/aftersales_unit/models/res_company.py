from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_customer_unit_location_id = fields.Many2one(
        "stock.location",
        string="Customer Units Location",
        domain="[('usage', '=', 'internal'), ('company_id', '=', id)]",
        help="Carry-in, pickup and mail-in units of customers wait here for their repair. They stay the "
        "customer's (owner on the stock), so they never count in the company's stock value.",
    )

    def _aftersales_unit_setup(self):
        """A customer units location for each company with a warehouse."""
        for company in self:
            if company.aftersales_customer_unit_location_id:
                continue
            warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
            if warehouse:
                company.aftersales_customer_unit_location_id = self.env["stock.location"].create(
                    {
                        "name": self.env._("Customer Units"),
                        "usage": "internal",
                        "location_id": warehouse.view_location_id.id,
                        "company_id": company.id,
                    }
                )

    def _aftersales_customer_unit_location(self):
        """The customer units location, created on first use."""
        self.ensure_one()
        if not self.aftersales_customer_unit_location_id:
            self.sudo()._aftersales_unit_setup()
        return self.aftersales_customer_unit_location_id
