from odoo import api, fields, models


class AftersalesHealth(models.AbstractModel):
    _inherit = "aftersales.health"

    @api.model
    def _queue_lengths(self, now=None):
        now = now or fields.Datetime.now()
        result = super()._queue_lengths(now=now)
        result["sla_checks_due"] = self.env["aftersales.ticket"].sudo().search_count([("sla_next_check", "<=", now)])
        result["sla_alerts_pending"] = (
            self.env["aftersales.sla.alert"].sudo().search_count([("delivery", "=", "pending")])
        )
        return result
