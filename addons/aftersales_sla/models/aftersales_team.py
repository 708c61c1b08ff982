from odoo import api, models
from odoo.addons.aftersales_ticket.write_rules import FACT


class AftersalesTeam(models.Model):
    _name = "aftersales.team"
    # SLA digests are activities on the team of their manager.
    _inherit = ["aftersales.team", "mail.activity.mixin"]

    @api.model
    def _field_write_rules(self):
        # Activities are scheduled through mail's activity API, not written on the team.
        return {**super()._field_write_rules(), "activity_ids": FACT}
