from odoo import models


class AftersalesTicketAccept(models.TransientModel):
    """The signature pad on the technician's device: the customer signs
    there, and the acceptance is recorded as given on the device."""

    _inherit = "aftersales.ticket.accept"

    def action_confirm(self):
        self.ensure_one()
        return self.ticket_id._customer_decides_on_device(super(AftersalesTicketAccept, self.sudo()).action_confirm)


class AftersalesTicketRefuse(models.TransientModel):
    """The customer's refusal, taken down on the technician's device."""

    _inherit = "aftersales.ticket.refuse"

    def action_confirm(self):
        self.ensure_one()
        return self.ticket_id._customer_decides_on_device(super(AftersalesTicketRefuse, self.sudo()).action_confirm)
