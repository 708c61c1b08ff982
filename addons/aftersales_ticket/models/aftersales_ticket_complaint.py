"""Complaints (投诉): their steps, and the team manager who handles them."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..const import COMPLAINT_STEPS


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    # Complaints 投诉
    complaint_step = fields.Selection(
        COMPLAINT_STEPS,
        compute="_compute_complaint_step",
        store=True,
        precompute=True,
        copy=False,
        tracking=True,
        readonly=True,
    )

    @api.depends("category")
    def _compute_complaint_step(self):
        for ticket in self:
            ticket.complaint_step = ticket.complaint_step or ("receive" if ticket.category == "complaint" else False)

    def _notify_complaint(self):
        """Complaints go to the team manager: subscribed and given a to-do."""
        for ticket in self:
            manager = ticket.team_id.manager_id
            if not manager:
                continue
            ticket.message_subscribe(partner_ids=manager.partner_id.ids)
            ticket.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=manager.id,
                summary=self.env._("Complaint to handle: soothe the customer"),
            )

    def action_next_complaint_step(self):
        steps = [code for code, _label in COMPLAINT_STEPS]
        for ticket in self:
            if ticket.category != "complaint":
                raise UserError(self.env._("%(ticket)s is not a complaint.", ticket=ticket.display_name))
            index = steps.index(ticket.complaint_step or "receive")
            if index == len(steps) - 1:
                raise UserError(self.env._("This complaint is already at its last step."))
            ticket.complaint_step = steps[index + 1]
        return True
