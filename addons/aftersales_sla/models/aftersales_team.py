from odoo import models


class AftersalesTeam(models.Model):
    _name = "aftersales.team"
    # SLA digests are activities on the team of their manager.
    _inherit = ["aftersales.team", "mail.activity.mixin"]
