from odoo import fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    aftersales_technician_ids = fields.One2many(
        "aftersales.technician", "van_location_id", string="Technicians (van stock)"
    )
    aftersales_technician_issue = fields.Boolean(
        string="Technicians Issue Parts Here",
        help="Technicians may issue the parts of their own repairs from this location (a city depot), besides "
        "their own van. Other locations are for the warehouse staff.",
    )
