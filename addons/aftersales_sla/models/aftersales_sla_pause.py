from odoo import api, fields, models


class AftersalesSlaPause(models.Model):
    _name = "aftersales.sla.pause"
    _description = "After-sales SLA Pause"
    _order = "date_start desc, id desc"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    stage_id = fields.Many2one("aftersales.stage", string="Waiting Stage", ondelete="set null")
    user_id = fields.Many2one("res.users", string="Paused by", default=lambda self: self.env.user)
    date_start = fields.Datetime(string="Paused", required=True)
    date_end = fields.Datetime(string="Resumed")
    duration_hours = fields.Float(
        string="Duration (h)", compute="_compute_duration_hours", store=True, help="Elapsed hours of the pause."
    )

    @api.depends("date_start", "date_end")
    def _compute_duration_hours(self):
        for pause in self:
            if pause.date_start and pause.date_end:
                pause.duration_hours = (pause.date_end - pause.date_start).total_seconds() / 3600
            else:
                pause.duration_hours = 0.0
