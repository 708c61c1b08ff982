from odoo import fields, models


class AftersalesKbSearchLog(models.Model):
    _inherit = "aftersales.kb.search.log"

    channel = fields.Selection(selection_add=[("chat", "Live chat")], ondelete={"chat": "cascade"})
