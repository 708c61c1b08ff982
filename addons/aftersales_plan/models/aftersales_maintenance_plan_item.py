from odoo import fields, models


class AftersalesMaintenancePlanItem(models.Model):
    _name = "aftersales.maintenance.plan.item"
    _description = "Maintenance Plan Checklist Item"
    _order = "sequence, id"

    plan_id = fields.Many2one("aftersales.maintenance.plan", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Check", required=True, translate=True)
