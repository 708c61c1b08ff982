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

    aftersales_loaner_location_id = fields.Many2one(
        "stock.location",
        string="Loaner Units Location",
        domain="[('usage', '=', 'internal'), ('company_id', '=', id)]",
        help="The company's loaner units wait here to be lent to a customer while their own unit is repaired. "
        "They are company stock: stock values them by its own rules, in this location or at the customer.",
    )

    def _aftersales_unit_setup(self):
        """A customer units and a loaner units location for each company with a warehouse."""
        for company in self:
            company._aftersales_setup_location("aftersales_customer_unit_location_id", self.env._("Customer Units"))
            company._aftersales_setup_location("aftersales_loaner_location_id", self.env._("Loaner Units"))

    def _aftersales_setup_location(self, fname, name):
        """An internal location ``name`` under the warehouse, in field ``fname``, unless set."""
        self.ensure_one()
        if self[fname]:
            return
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.id)], limit=1)
        if warehouse:
            self[fname] = self.env["stock.location"].create(
                {
                    "name": name,
                    "usage": "internal",
                    "location_id": warehouse.view_location_id.id,
                    "company_id": self.id,
                }
            )

    def _aftersales_customer_unit_location(self):
        """The customer units location, created on first use."""
        self.ensure_one()
        if not self.aftersales_customer_unit_location_id:
            self.sudo()._aftersales_unit_setup()
        return self.aftersales_customer_unit_location_id

    def _aftersales_loaner_location(self):
        """The loaner units location, created on first use."""
        self.ensure_one()
        if not self.aftersales_loaner_location_id:
            self.sudo()._aftersales_unit_setup()
        return self.aftersales_loaner_location_id
