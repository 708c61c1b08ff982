from odoo import api, fields, models

CHANNELS = [("backend", "Back office"), ("portal", "Customer portal")]


class AftersalesKbSearchLog(models.Model):
    """One search of the knowledge base, kept so that the team sees what people
    look for and which searches find nothing (what to write next)."""

    _name = "aftersales.kb.search.log"
    _description = "Knowledge Base Search"
    _order = "id desc"
    _log_access = True

    query = fields.Char(required=True, readonly=True, index=True)
    result_count = fields.Integer(readonly=True, aggregator="sum")
    no_result = fields.Boolean(compute="_compute_no_result", store=True, index=True)
    channel = fields.Selection(CHANNELS, required=True, readonly=True, default="backend")
    user_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user, index=True)

    @api.depends("result_count")
    def _compute_no_result(self):
        for log in self:
            log.no_result = not log.result_count
