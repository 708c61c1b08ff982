from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import FACT


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    # Quality: the compensations of a complaint (not stored on the ticket)
    aftersales_compensation_ids = fields.One2many(
        "aftersales.quality.compensation", "ticket_id", string="Compensations", groups="base.group_user"
    )

    @api.model
    def _field_write_rules(self):
        # compensations are made and approved on their own model
        return {**super()._field_write_rules(), "aftersales_compensation_ids": FACT}

    def action_open_compensations(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.quality.compensation",
            "view_mode": "list,form",
            "domain": [("ticket_id", "=", self.id)],
            "context": {"default_ticket_id": self.id},
            "name": self.env._("Compensations"),
        }
