from odoo import fields, models

UNIT_ROLES = [
    ("receipt", "Customer unit received"),
    ("ship_back", "Customer unit shipped back"),
    ("sanbao_return", "三包 return"),
    ("exchange_in", "三包 exchange: faulty unit"),
    ("exchange_out", "三包 exchange: replacement"),
    ("loan_out", "Loaner lent"),
    ("loan_back", "Loaner returned"),
]
# Transfers of a company loaner: never a sale to, nor a unit of, the customer.
LOANER_ROLES = ("loan_out", "loan_back")


class StockPicking(models.Model):
    _inherit = "stock.picking"

    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket", string="Service Ticket", index="btree_not_null", copy=False, readonly=True
    )
    aftersales_unit_role = fields.Selection(UNIT_ROLES, string="Unit Transfer", copy=False, readonly=True)
    aftersales_courier = fields.Char(string="Courier", copy=False)
    aftersales_tracking_ref = fields.Char(string="Tracking Reference", copy=False)
