from odoo import fields, models


class AftersalesSlaContract(models.Model):
    _inherit = "aftersales.sla.contract"

    maintenance_plan_ids = fields.One2many("aftersales.maintenance.plan", "contract_id", string="Maintenance Plans")
    maintenance_plan_count = fields.Integer(compute="_compute_maintenance_plan_count")

    def _compute_maintenance_plan_count(self):
        counts = dict(
            self.env["aftersales.maintenance.plan"]._read_group(
                [("contract_id", "in", self.ids)], ["contract_id"], ["__count"]
            )
        )
        for contract in self:
            contract.maintenance_plan_count = counts.get(contract, 0)

    def action_view_maintenance_plans(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_plan.aftersales_maintenance_plan_action")
        action["domain"] = [("contract_id", "=", self.id)]
        action["context"] = {"default_contract_id": self.id}
        return action
