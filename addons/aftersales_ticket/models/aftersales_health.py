from datetime import timedelta

from odoo import api, fields, models

# A scheduled job whose next call is this late is reported as late.
CRON_LATE_MINUTES = 15


class AftersalesHealth(models.AbstractModel):
    """Queue lengths for monitoring (``setup/health`` prints them as JSON).
    Each addon adds its own queues; every figure is a count of rows waiting
    for a scheduled job, so a growing figure means a job that does not keep
    up or does not run."""

    _name = "aftersales.health"
    _description = "After-sales queue lengths"

    @api.model
    def _queue_lengths(self, now=None):
        """{queue: count} at ``now`` (default: now), read as superuser."""
        now = now or fields.Datetime.now()
        Mail = self.env["mail.mail"].sudo()
        crons = self.env["ir.cron"].sudo().search([("active", "=", True), ("model_id.model", "=like", "aftersales.%")])
        late = now - timedelta(minutes=CRON_LATE_MINUTES)
        return {
            "mails_waiting": Mail.search_count([("state", "=", "outgoing")]),
            "mails_failed": Mail.search_count([("state", "=", "exception")]),
            "crons_late": sorted(cron.cron_name for cron in crons if cron.nextcall < late),
        }
