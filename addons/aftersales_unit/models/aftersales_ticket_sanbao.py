from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.aftersales_parts.rights import AGENT, MANAGER, check_right, has_right
from odoo.addons.aftersales_ticket.write_rules import FACT
from odoo.exceptions import UserError

DECISIONS = [("return", "Return (退货)"), ("exchange", "Exchange (换货)")]
# The 三包 entitlements (aftersales_sla) that allow each decision.
ENTITLED = {
    "return": ("return", "exchange_or_return"),
    "exchange": ("return", "exchange", "exchange_or_return"),
}
SANBAO_FACTS = (
    "sanbao_decision",
    "sanbao_decision_date",
    "sanbao_decided_by_id",
    "sanbao_within_entitlement",
    "sanbao_refund_id",
    "sanbao_replacement_lot_id",
)


class AftersalesTicket(models.Model):
    """三包 carried out from the ticket: the return refunds the sale with a
    credit note and takes the unit back; the exchange delivers a replacement
    from stock and takes the faulty unit into quarantine, where the reverse
    logistics of aftersales_parts takes over."""

    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    sanbao_decision = fields.Selection(DECISIONS, string="三包 Decision", readonly=True, copy=False, tracking=True)
    sanbao_decision_date = fields.Date(string="三包 Decided on", readonly=True, copy=False)
    sanbao_decided_by_id = fields.Many2one("res.users", string="三包 Decided by", readonly=True, copy=False)
    sanbao_within_entitlement = fields.Boolean(string="Within Entitlement", readonly=True, copy=False)
    sanbao_refund_id = fields.Many2one(
        "account.move", string="Credit Note", readonly=True, copy=False, groups="base.group_user"
    )
    sanbao_replacement_lot_id = fields.Many2one(
        "stock.lot", string="Replacement Serial", readonly=True, copy=False, groups="base.group_user"
    )

    @api.model
    def _field_write_rules(self):
        return {**super()._field_write_rules(), **dict.fromkeys(SANBAO_FACTS, FACT)}

    # ------------------------------------------------------------------
    # Decision
    # ------------------------------------------------------------------

    def _sanbao_check(self, decision, reason):
        """Agents carry out what the entitlement allows; outside it a manager
        decides, with the reason. Returns whether it was within."""
        labels = dict(self._fields["sanbao_decision"]._description_selection(self.env))
        check_right(self.env, AGENT, self.env._("A 三包 %(decision)s", decision=labels[decision]))
        self.check_access("write")
        self.ensure_one()
        if self.sanbao_decision:
            raise UserError(
                self.env._(
                    "%(ticket)s already had its 三包 decision: %(decision)s.",
                    ticket=self.display_name,
                    decision=labels[self.sanbao_decision],
                )
            )
        if not self.lot_id:
            raise UserError(self.env._("Enter the unit's serial number first."))
        within = self.entitlement in ENTITLED[decision]
        if not within:
            if not has_right(self.env, MANAGER):
                raise UserError(
                    self.env._(
                        "The customer is not entitled to a %(decision)s (%(why)s): only a manager may grant it.",
                        decision=labels[decision],
                        why=self.entitlement_reason or "-",
                    )
                )
            if not (reason or "").strip():
                raise UserError(self.env._("Write why the 三包 decision is granted outside the entitlement."))
        return within

    def _sanbao_record(self, decision, within, reason, **facts):
        today = self.company_id._aftersales_today()
        self._write_facts(
            {
                "sanbao_decision": decision,
                "sanbao_decision_date": today,
                "sanbao_decided_by_id": self.env.uid,
                "sanbao_within_entitlement": within,
                **facts,
            }
        )
        labels = dict(self._fields["sanbao_decision"]._description_selection(self.env))
        lines = [
            self.env._("三包 decision: %(decision)s by %(user)s.", decision=labels[decision], user=self.env.user.name),
            self.env._("Entitlement: %(why)s", why=self.entitlement_reason or "-"),
        ]
        if not within:
            lines.append(self.env._("Granted outside the entitlement: %(reason)s", reason=reason))
        self.sudo()._message_log(body=Markup("<br/>").join(lines))

    def action_sanbao_return(self, reason=None):
        """退货: the unit comes back (a return of the sale's delivery) and the
        sale is refunded (a credit note of its invoice line)."""
        within = self._sanbao_check("return", reason)
        delivery_line = self._sanbao_delivery_line()
        sale_line = delivery_line.move_id.sale_line_id
        invoice_lines = sale_line.sudo().invoice_lines.filtered(
            lambda line: line.move_id.state == "posted" and line.move_id.move_type == "out_invoice"
        )
        if not invoice_lines:
            raise UserError(
                self.env._(
                    "No posted invoice of the sale of %(serial)s was found: a return refunds the sale it came from.",
                    serial=self.lot_id.name,
                )
            )
        self._sanbao_unit_back_from_service()
        picking = self._sanbao_take_back(delivery_line, "sanbao_return")
        refund = self._sanbao_credit_note(invoice_lines[-1:])
        self._sanbao_record("return", within, reason, sanbao_refund_id=refund.id)
        self._unit_log(
            self.env._(
                "Unit received back by %(picking)s; sale refunded by %(refund)s.",
                picking=picking.name,
                refund=refund.name,
            ),
            picking,
        )
        return refund

    def action_sanbao_exchange(self, reason=None):
        """换货: the faulty unit goes into quarantine, a replacement leaves
        stock for the customer."""
        within = self._sanbao_check("exchange", reason)
        company = self.company_id.sudo()
        quarantine = company.aftersales_quarantine_location_id
        if not quarantine:
            raise UserError(self.env._("Set the quarantine location of %(company)s first.", company=company.name))
        warehouse = self.env["stock.warehouse"].sudo().search([("company_id", "=", company.id)], limit=1)
        replacement = self._unit_picking(
            warehouse.out_type_id,
            warehouse.lot_stock_id,
            self.partner_id.sudo().property_stock_customer or self.env.ref("stock.stock_location_customers"),
            "exchange_out",
            lot=self.env["stock.lot"],
            owner=False,
            product=self.lot_id.product_id,
        )
        if replacement.state != "assigned":
            raise UserError(
                self.env._(
                    "No %(product)s in stock at %(location)s for the exchange.",
                    product=self.lot_id.product_id.display_name,
                    location=warehouse.lot_stock_id.display_name,
                )
            )
        self._sanbao_unit_back_from_service()
        faulty = self._sanbao_take_back(self._sanbao_delivery_line(required=False), "exchange_in", quarantine)
        self.env["aftersales.part.return"].sudo()._create_from_moves(faulty.move_ids)._write_facts(
            {"ticket_id": self.id, "lot_id": self.lot_id.id}
        )
        self._unit_validate(replacement)
        new_lot = replacement.move_ids.move_line_ids.lot_id[:1]
        self._sanbao_record("exchange", within, reason, sanbao_replacement_lot_id=new_lot.id)
        self._unit_log(
            self.env._(
                "Faulty unit %(serial)s received into quarantine by %(faulty)s; replacement %(new)s delivered by "
                "%(picking)s.",
                serial=self.lot_id.name,
                faulty=faulty.name,
                new=new_lot.name,
                picking=replacement.name,
            ),
            replacement,
        )
        return replacement

    # ------------------------------------------------------------------
    # Stock and invoicing
    # ------------------------------------------------------------------

    def _sanbao_delivery_line(self, required=True):
        """The done delivery of the unit to this customer (its sale)."""
        line = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("lot_id", "=", self.lot_id.id),
                    ("state", "=", "done"),
                    ("location_dest_id.usage", "=", "customer"),
                    ("location_id.usage", "=", "internal"),
                    ("owner_id", "=", False),
                    ("picking_id.partner_id", "child_of", self.commercial_partner_id.id),
                ],
                order="date desc, id desc",
                limit=1,
            )
        )
        if required and not line.move_id.sale_line_id:
            raise UserError(
                self.env._(
                    "Unit %(serial)s was not delivered to %(customer)s by a sale: there is no sale to refund.",
                    serial=self.lot_id.name,
                    customer=self.commercial_partner_id.display_name,
                )
            )
        return line

    def _sanbao_unit_back_from_service(self):
        """A unit at the service centre is still the customer's: hand it over
        before the company takes it back."""
        if self._unit_fresh_state() == "received":
            self._unit_hand_back(None, None)

    def _sanbao_take_back(self, delivery_line, role, destination=None):
        """The unit comes back from the customer: a return of its delivery
        when there is one (the sale's delivered quantity follows), else a
        receipt; into ``destination`` (default: the return's)."""
        if delivery_line:
            wizard = self.env["stock.return.picking"].sudo().create({"picking_id": delivery_line.picking_id.id})
            for line in wizard.product_return_moves:
                line.write({"quantity": 1.0 if line.move_id == delivery_line.move_id else 0.0, "to_refund": True})
            picking = wizard._create_return()
            if destination:
                picking.write({"location_dest_id": destination.id})
                picking.move_ids.write({"location_dest_id": destination.id})
            picking.write({"aftersales_ticket_id": self.id, "aftersales_unit_role": role})
            picking.move_ids.move_line_ids.unlink()
            move = picking.move_ids
            move.move_line_ids = [
                (
                    0,
                    0,
                    {
                        "product_id": move.product_id.id,
                        "lot_id": self.lot_id.id,
                        "quantity": 1.0,
                        "picking_id": picking.id,
                        "location_id": move.location_id.id,
                        "location_dest_id": move.location_dest_id.id,
                    },
                )
            ]
        else:
            warehouse = self.env["stock.warehouse"].sudo().search([("company_id", "=", self.company_id.id)], limit=1)
            picking = self._unit_picking(
                warehouse.in_type_id,
                self.partner_id.sudo().property_stock_customer or self.env.ref("stock.stock_location_customers"),
                destination or warehouse.lot_stock_id,
                role,
                owner=False,
            )
        self._unit_validate(picking)
        return picking

    def _sanbao_credit_note(self, invoice_line):
        """A credit note of one unit of the invoice line, linked to the sale."""
        invoice = invoice_line.move_id
        refund = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": invoice.partner_id.id,
                    "company_id": invoice.company_id.id,
                    "currency_id": invoice.currency_id.id,
                    "invoice_date": self.company_id._aftersales_today(),
                    "reversed_entry_id": invoice.id,
                    "ref": self.env._("三包 return %(ticket)s", ticket=self.number),
                    "invoice_origin": invoice.invoice_origin,
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": invoice_line.product_id.id,
                                "quantity": 1.0,
                                "price_unit": invoice_line.price_unit,
                                "discount": invoice_line.discount,
                                "tax_ids": [(6, 0, invoice_line.tax_ids.ids)],
                                "sale_line_ids": [(6, 0, invoice_line.sale_line_ids.ids)],
                            },
                        )
                    ],
                }
            )
        )
        refund.action_post()
        return refund
