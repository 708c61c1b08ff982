from odoo import fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket", string="Service Ticket", index="btree_not_null", copy=False, readonly=True
    )
    aftersales_team_id = fields.Many2one(
        related="aftersales_ticket_id.team_id", string="Service Team", store=True, index="btree_not_null"
    )

    def action_confirm(self):
        expired = self.filtered(lambda o: o.aftersales_ticket_id and o.is_expired)
        if expired:
            raise UserError(
                self.env._(
                    "These repair quotations expired and can no longer be approved; send the customer a new "
                    "one: %(orders)s",
                    orders=", ".join(f"{o.name} ({o.validity_date})" for o in expired),
                )
            )
        return super().action_confirm()

    def _action_confirm(self):
        res = super()._action_confirm()
        for order in self.filtered("aftersales_ticket_id"):
            if order.signed_by:
                body = self.env._(
                    "Quotation %(order)s approved: signed by %(name)s.", order=order.name, name=order.signed_by
                )
            else:
                body = self.env._("Quotation %(order)s approved.", order=order.name)
            order.aftersales_ticket_id._aftersales_log(body)
        # Reserve the parts of the approved repairs.
        self.sudo().repair_order_ids.filtered(lambda r: r.state == "draft")._action_repair_confirm()
        return res

    def _action_cancel(self):
        refused = self.filtered(lambda o: o.aftersales_ticket_id and o.state in ("draft", "sent"))
        res = super()._action_cancel()
        for order in refused:
            order._aftersales_refused()
        return res

    def _aftersales_refused(self):
        """The customer refused the quotation: the repair is cancelled (no part
        is consumed) and the unit goes back unrepaired, with the inspection fee
        when the company charges one."""
        self.ensure_one()
        ticket = self.aftersales_ticket_id
        repairs = self.sudo().repair_order_ids.filtered(lambda r: r.state not in ("done", "cancel"))
        repairs.action_repair_cancel()
        fee = self.company_id.aftersales_inspection_product_id
        body = self.env._(
            "Quotation %(order)s refused: the unit goes back unrepaired.",
            order=self.name,
        )
        if fee:
            order = self.sudo().create(
                {
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "aftersales_ticket_id": ticket.id,
                    "pricelist_id": self.pricelist_id.id,
                    "origin": self.name,
                    "order_line": [(0, 0, {"product_id": fee.id, "product_uom_qty": 1.0})],
                }
            )
            order.action_confirm()
            body = self.env._(
                "Quotation %(order)s refused: the unit goes back unrepaired; inspection fee on %(fee_order)s.",
                order=self.name,
                fee_order=order.name,
            )
        ticket._aftersales_log(body)

    def action_aftersales_invoice_batch(self):
        """Month-end run: invoice every selected repair order that has
        something to invoice, in one batch, and post the invoices."""
        orders = self.filtered(lambda o: o.invoice_status == "to invoice")
        if not orders:
            raise UserError(self.env._("None of the selected orders has anything left to invoice."))
        invoices = orders._create_invoices()
        invoices.action_post()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Repair Invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", invoices.ids)],
        }
