from odoo import fields, models

from .aftersales_followup import CALL_OUTCOMES


class AftersalesFollowupCall(models.Model):
    _name = "aftersales.followup.call"
    _description = "After-sales Follow-up Call"
    _order = "date desc, id desc"

    followup_id = fields.Many2one(
        "aftersales.followup", string="Follow-up", required=True, index=True, ondelete="cascade", readonly=True
    )
    user_id = fields.Many2one("res.users", string="Agent", readonly=True, default=lambda self: self.env.user)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    outcome = fields.Selection(CALL_OUTCOMES, required=True, readonly=True)
    note = fields.Text(readonly=True)
