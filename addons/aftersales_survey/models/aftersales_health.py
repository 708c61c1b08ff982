from odoo import api, fields, models


class AftersalesHealth(models.AbstractModel):
    _inherit = "aftersales.health"

    @api.model
    def _queue_lengths(self, now=None):
        now = now or fields.Datetime.now()
        result = super()._queue_lengths(now=now)
        result["followups_due"] = (
            self.env["aftersales.followup"]
            .sudo()
            .search_count([("state", "=", "scheduled"), ("date_scheduled", "<=", now)])
        )
        return result
