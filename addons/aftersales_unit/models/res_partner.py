from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_unit_ids = fields.One2many(
        "stock.lot", "aftersales_customer_id", string="Installed Base", groups="base.group_user"
    )
    aftersales_unit_count = fields.Integer(
        string="Units", compute="_compute_aftersales_unit_count", groups="base.group_user"
    )

    def _compute_aftersales_unit_count(self):
        counts = dict(
            self.env["stock.lot"]._read_group(
                [("aftersales_customer_id", "in", self.commercial_partner_id.ids)],
                ["aftersales_customer_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.aftersales_unit_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_aftersales_units(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_unit.stock_lot_action_installed_base")
        action["domain"] = [("aftersales_customer_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action
