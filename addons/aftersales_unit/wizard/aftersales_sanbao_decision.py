from odoo import fields, models

from ..models.aftersales_ticket_sanbao import DECISIONS


class AftersalesSanbaoDecision(models.TransientModel):
    """A 三包 return or exchange, with the reason when outside the entitlement."""

    _name = "aftersales.sanbao.decision"
    _description = "三包 Decision"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, readonly=True)
    decision = fields.Selection(DECISIONS, required=True)
    entitlement_reason = fields.Text(related="ticket_id.entitlement_reason")
    reason = fields.Text(string="Reason (outside the entitlement)")

    def action_confirm(self):
        self.ensure_one()
        if self.decision == "return":
            self.ticket_id.action_sanbao_return(self.reason)
        else:
            self.ticket_id.action_sanbao_exchange(self.reason)
        return {"type": "ir.actions.act_window_close"}
