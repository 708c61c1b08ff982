from odoo import fields, models


class AftersalesTechnician(models.Model):
    _inherit = "aftersales.technician"

    van_location_id = fields.Many2one(
        "stock.location",
        string="Van Stock",
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="The technician's van or city depot: parts of their repairs are issued from here by default. "
        "Replenish it with reordering rules or transfers from the warehouse.",
    )

    def action_view_van_stock(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_parts.stock_quant_van_action")
        action["domain"] = [("location_id", "child_of", self.van_location_id.id)]
        return action
