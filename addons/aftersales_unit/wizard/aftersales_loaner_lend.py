from odoo import fields, models


class AftersalesLoanerLend(models.TransientModel):
    """The loaner serial to lend to the ticket's customer."""

    _name = "aftersales.loaner.lend"
    _description = "Lend a Loaner Unit"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, readonly=True)
    loaner_location_id = fields.Many2one(
        "stock.location", compute="_compute_loaner_location_id", string="Loaner Units Location"
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Loaner Serial",
        required=True,
        domain="[('location_id', '=', loaner_location_id)]",
    )

    def _compute_loaner_location_id(self):
        for wizard in self:
            wizard.loaner_location_id = wizard.ticket_id.company_id.sudo()._aftersales_loaner_location()

    def action_confirm(self):
        self.ensure_one()
        self.ticket_id.action_loaner_lend(self.lot_id.id)
        return {"type": "ir.actions.act_window_close"}
