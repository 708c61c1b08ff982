from odoo import fields, models


class AftersalesStage(models.Model):
    _inherit = "aftersales.stage"

    sla_pause = fields.Boolean(
        string="Pauses the SLA",
        help="Tickets waiting in this stage (e.g. for the customer) stop the SLA clock; the pause is logged.",
    )
