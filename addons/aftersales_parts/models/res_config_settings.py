from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_quarantine_location_id = fields.Many2one(
        related="company_id.aftersales_quarantine_location_id", readonly=False
    )
    aftersales_labour_product_id = fields.Many2one(related="company_id.aftersales_labour_product_id", readonly=False)
    aftersales_inspection_product_id = fields.Many2one(
        related="company_id.aftersales_inspection_product_id", readonly=False
    )
    aftersales_deposit_percent = fields.Float(related="company_id.aftersales_deposit_percent", readonly=False)
