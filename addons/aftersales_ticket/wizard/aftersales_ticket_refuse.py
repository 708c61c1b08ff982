from odoo import fields, models


class AftersalesTicketRefuse(models.TransientModel):
    _name = "aftersales.ticket.refuse"
    _description = "Refuse the Work of an After-sales Ticket"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        rework = self.ticket_id.action_customer_refuse(self.reason)
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.ticket",
            "res_id": rework.id,
            "view_mode": "form",
        }
