from odoo import fields, models


class AftersalesTicketAccept(models.TransientModel):
    _name = "aftersales.ticket.accept"
    _description = "Customer Acceptance of an After-sales Ticket"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, ondelete="cascade")
    signed_by = fields.Char(string="Signed by", required=True)
    signature = fields.Binary(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.ticket_id.action_customer_accept(signature=self.signature, signed_by=self.signed_by)
        return {"type": "ir.actions.act_window_close"}
