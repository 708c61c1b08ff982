from odoo import fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    aftersales_technician_ids = fields.One2many(
        "aftersales.technician", "van_location_id", string="Technicians (van stock)"
    )
