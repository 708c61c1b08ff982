from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    aftersales_contract_ids = fields.One2many(
        "aftersales.sla.contract", "invoice_id", string="Service Contracts", readonly=True
    )
    aftersales_contract_count = fields.Integer(compute="_compute_aftersales_contract_count")

    @api.depends("aftersales_contract_ids")
    def _compute_aftersales_contract_count(self):
        for move in self:
            move.aftersales_contract_count = len(move.aftersales_contract_ids)

    def action_view_aftersales_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_sla.aftersales_sla_contract_action")
        action["domain"] = [("invoice_id", "=", self.id)]
        action["context"] = {}
        return action

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._aftersales_create_contracts()
        posted._aftersales_cancel_refunded_contracts()
        return posted

    def button_draft(self):
        self.sudo().aftersales_contract_ids.filtered(lambda c: c.state in ("draft", "active")).action_cancel()
        return super().button_draft()

    def _aftersales_create_contracts(self):
        """Posting a customer invoice that sells an extended warranty creates
        one active contract per invoice line for the invoiced serials."""
        vals_list = []
        for move in self.filtered(lambda m: m.move_type == "out_invoice"):
            for line in move.invoice_line_ids:
                template = line.product_id.product_tmpl_id
                if not template.aftersales_is_extended_warranty or line.aftersales_contract_ids:
                    continue
                start = move.invoice_date or fields.Date.context_today(move)
                vals = template._aftersales_contract_values(
                    move.commercial_partner_id, move.company_id, start, line.aftersales_lot_ids
                )
                vals.update({"invoice_line_id": line.id, "user_id": move.invoice_user_id.id or self.env.user.id})
                vals_list.append(vals)
        if vals_list:
            self.env["aftersales.sla.contract"].sudo().create(vals_list)

    def _aftersales_cancel_refunded_contracts(self):
        refunds = self.filtered(lambda m: m.move_type == "out_refund" and m.reversed_entry_id)
        contracts = refunds.reversed_entry_id.sudo().aftersales_contract_ids.filtered(
            lambda c: c.state in ("draft", "active")
        )
        for contract in contracts:
            contract.message_post(
                body=self.env._(
                    "Cancelled by the credit note of invoice %(invoice)s.", invoice=contract.invoice_id.name
                )
            )
        contracts.action_cancel()
