from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    aftersales_lot_ids = fields.Many2many(
        "stock.lot",
        string="Covered Serials",
        help="Serial numbers an extended warranty sold on this line covers.",
    )
    aftersales_contract_ids = fields.One2many("aftersales.sla.contract", "invoice_line_id", string="Contracts")
