from odoo import fields, models


class AftersalesUnitTransfer(models.TransientModel):
    """The courier and tracking reference of a unit's parcel, in or out."""

    _name = "aftersales.unit.transfer"
    _description = "Customer Unit Parcel"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, readonly=True)
    direction = fields.Selection([("in", "To the service centre"), ("out", "Back to the customer")], required=True)
    courier = fields.Char()
    tracking_ref = fields.Char(string="Tracking Reference")

    def action_confirm(self):
        self.ensure_one()
        if self.direction == "in":
            self.ticket_id.action_unit_expect(self.courier, self.tracking_ref)
        else:
            self.ticket_id.action_unit_ship_back(self.courier, self.tracking_ref)
        return {"type": "ir.actions.act_window_close"}
