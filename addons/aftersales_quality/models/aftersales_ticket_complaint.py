"""Complaints as a process: each step recorded with its owner, its response
target and who did it when (``aftersales.quality.complaint.step``), and the
complaint's cause."""

from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import AGENT_ON_WRITE, FACT
from odoo.fields import Domain

COMPLAINT_CAUSES = [
    ("delay", "Slow response or repair"),
    ("attitude", "Staff attitude"),
    ("product", "Product quality"),
    ("repair", "Repair quality"),
    ("price", "Price or fees"),
    ("process", "System or process failure"),
    ("other", "Other"),
]


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    aftersales_complaint_cause = fields.Selection(
        COMPLAINT_CAUSES,
        string="Complaint Cause",
        tracking=True,
        help="What caused the complaint, as found when verifying it.",
    )
    aftersales_complaint_step_ids = fields.One2many(
        "aftersales.quality.complaint.step", "ticket_id", string="Complaint Steps", groups="base.group_user"
    )
    aftersales_complaint_late = fields.Boolean(
        string="Complaint Step Late",
        compute="_compute_aftersales_complaint_late",
        search="_search_aftersales_complaint_late",
        groups="base.group_user",
        help="A step of the complaint was done after its target, or is still open past it.",
    )

    @api.model
    def _field_write_rules(self):
        return {
            **super()._field_write_rules(),
            "aftersales_complaint_cause": AGENT_ON_WRITE,
            "aftersales_complaint_step_ids": FACT,
        }

    @api.depends("aftersales_complaint_step_ids.target_state")
    def _compute_aftersales_complaint_late(self):
        for ticket in self:
            ticket.aftersales_complaint_late = "late" in ticket.aftersales_complaint_step_ids.mapped("target_state")

    def _search_aftersales_complaint_late(self, operator, value):
        if operator != "in":
            return NotImplemented
        late = Domain("aftersales_complaint_step_ids", "any", Domain("target_state", "in", ["late"]))
        return late if True in value else ~late

    def write(self, vals):
        res = super().write(vals)
        if "complaint_step" in vals:
            self.env["aftersales.quality.complaint.step"]._stamp_reached(self.filtered("complaint_step"))
        return res

    def _notify_complaint(self):
        res = super()._notify_complaint()
        Step = self.env["aftersales.quality.complaint.step"]
        Step._open_for(self)
        Step._stamp_reached(self.filtered(lambda t: t.complaint_step and t.complaint_step != "receive"))
        return res
