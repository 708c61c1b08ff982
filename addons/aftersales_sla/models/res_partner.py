from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_contract_ids = fields.One2many("aftersales.sla.contract", "partner_id", string="Service Contracts")
    aftersales_contract_count = fields.Integer(compute="_compute_aftersales_contract_count")

    def _compute_aftersales_contract_count(self):
        counts = dict(
            self.env["aftersales.sla.contract"]._read_group(
                [("partner_id", "child_of", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.aftersales_contract_count = sum(
                count
                for contract_partner, count in counts.items()
                if contract_partner.commercial_partner_id == partner.commercial_partner_id
            )

    def action_view_aftersales_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_sla.aftersales_sla_contract_action")
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
