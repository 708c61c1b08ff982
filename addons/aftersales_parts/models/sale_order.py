from odoo import Command, api, fields, models
from odoo.addons.aftersales_ticket.models.aftersales_job import JOB_THRESHOLD
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount

from ..rights import AGENT, BILLING, MANAGER, STOCK, check_right, has_right


class SaleOrder(models.Model):
    _inherit = "sale.order"

    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket", string="Service Ticket", index="btree_not_null", copy=False, readonly=True
    )
    aftersales_team_id = fields.Many2one(
        related="aftersales_ticket_id.team_id", string="Service Team", store=True, index="btree_not_null"
    )

    def write(self, vals):
        signature = {"signature", "signed_by", "signed_on"} & set(vals)
        if signature and not self.env.su and self.filtered("aftersales_ticket_id"):
            raise AccessError(
                self.env._(
                    "The customer signs a repair quotation on the portal: %(fields)s cannot be written here.",
                    fields=", ".join(sorted(self._fields[f]._description_string(self.env) for f in signature)),
                )
            )
        return super().write(vals)

    def action_confirm(self):
        """An agent confirms the quotation of a ticket the customer signed; a
        manager one approved otherwise (by phone). Checked here, the stock
        side of the approval (reserving the parts) then runs as superuser for
        an agent, who has no right on stock."""
        expired = self.filtered(lambda o: o.aftersales_ticket_id and o.is_expired)
        if expired:
            raise UserError(
                self.env._(
                    "These repair quotations expired and can no longer be approved; send the customer a new "
                    "one: %(orders)s",
                    orders=", ".join(f"{o.name} ({o.validity_date})" for o in expired),
                )
            )
        tickets = self.filtered("aftersales_ticket_id")
        if tickets and not self.env.su:
            check_right(self.env, AGENT, self.env._("Confirming a repair quotation"))
            unsigned = tickets.filtered(lambda o: o.require_signature and not o.signature)
            if unsigned:
                check_right(
                    self.env,
                    MANAGER,
                    self.env._(
                        "Confirming a repair quotation the customer has not signed (%(orders)s)",
                        orders=", ".join(unsigned.mapped("name")),
                    ),
                )
            tickets.check_access("write")
        if tickets == self and not has_right(self.env, STOCK):
            return super(SaleOrder, self.sudo()).action_confirm()
        return super().action_confirm()

    def _action_confirm(self):
        res = super()._action_confirm()
        # The quotations of repairs are what the customer approves; an
        # inspection fee order is confirmed by the refusal itself.
        for order in self.filtered(lambda o: o.aftersales_ticket_id and o.sudo().repair_order_ids):
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
        if self.filtered("aftersales_ticket_id") and not self.env.su:
            # A refusal may charge the inspection fee.
            check_right(self.env, AGENT, self.env._("Cancelling a repair quotation"))
        if refused and refused == self and not self.env.su:
            # A quotation the customer has not approved has no invoice to
            # cancel: the agent's right to record the refusal is their right
            # to write the order, not a right on journal entries.
            self.check_access("write")
            res = super(SaleOrder, self.sudo())._action_cancel()
        else:
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
        # One inspection fee per ticket, even when two of its quotations are
        # refused at once: the second refusal waits for the first, then sees
        # its fee order (the ticket's row changed: retried by Odoo).
        ticket.sudo().lock_for_update()
        repairs = self.sudo().repair_order_ids.filtered(lambda r: r.state not in ("done", "cancel"))
        repairs.action_repair_cancel()
        fee = self.company_id.aftersales_inspection_product_id
        body = self.env._(
            "Quotation %(order)s refused: the unit goes back unrepaired.",
            order=self.name,
        )
        if fee and (
            ticket.sudo().aftersales_inspection_order_id
            or ticket.sudo().aftersales_sale_order_ids.filtered(
                lambda o: o.state == "sale" and not o.repair_order_ids and fee in o.order_line.product_id
            )
        ):
            fee = False  # one inspection per ticket, however many of its quotations are refused
        if fee:
            invoice = self._aftersales_invoice_inspection_fee(fee)
            ticket._write_facts({"aftersales_inspection_order_id": invoice.line_ids.sale_line_ids.order_id.id})
            body = self.env._(
                "Quotation %(order)s refused: the unit goes back unrepaired; inspection fee of %(amount)s invoiced on "
                "%(invoice)s.",
                order=self.name,
                amount=format_amount(self.env, invoice.amount_total, invoice.currency_id),
                invoice=invoice.name,
            )
        ticket._aftersales_log(body)

    def _aftersales_invoice_inspection_fee(self, fee):
        """Order, confirm and invoice the inspection fee of a refused
        quotation at the fee product's sales price (no tier ratio: it is not
        repair work), through the sale order like any repair fee."""
        self.ensure_one()
        price = fee.currency_id._convert(fee.lst_price, self.currency_id, self.company_id, self.date_order.date())
        order = self.sudo().create(
            {
                "partner_id": self.partner_id.id,
                "partner_invoice_id": self.partner_invoice_id.id,
                "company_id": self.company_id.id,
                "aftersales_ticket_id": self.aftersales_ticket_id.id,
                "pricelist_id": self.pricelist_id.id,
                "origin": self.name,
                "order_line": [
                    Command.create({"product_id": fee.id, "product_uom_qty": 1.0, "price_unit": price, "discount": 0.0})
                ],
            }
        )
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice

    def action_aftersales_invoice_batch(self):
        """Month-end run: invoice every selected repair order that has
        something to invoice, in one batch, and post the invoices. Finance's
        job: the billing right, on quotations of tickets."""
        check_right(self.env, BILLING, self.env._("Invoicing repairs"))
        others = self.filtered(lambda o: not o.aftersales_ticket_id)
        if others:
            raise UserError(
                self.env._(
                    "Only the quotations of service tickets are invoiced here: %(orders)s",
                    orders=", ".join(others.mapped("name")),
                )
            )
        self.check_access("write")
        orders = self.filtered(lambda o: o.invoice_status == "to invoice")
        if not orders:
            raise UserError(self.env._("None of the selected orders has anything left to invoice."))
        if len(orders) >= JOB_THRESHOLD:
            # A month of repairs: in the background, batch by batch, as this user.
            return self.env["aftersales.job"]._enqueue(
                self.env._("Invoice %(count)s repairs", count=len(orders)),
                orders,
                "_aftersales_invoice_batch_job",
                result_model="account.move",
            )
        invoices = orders._aftersales_invoice_and_post()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Repair Invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", invoices.ids)],
        }

    def _aftersales_invoice_and_post(self):
        invoices = self._aftersales_create_invoices_batch()
        invoices._aftersales_prefetch_for_posting()
        invoices.action_post()
        return invoices

    def _aftersales_invoice_batch_job(self):
        """One batch of a queued invoicing job, run as the user who started it:
        the same checks as the button, on the orders still to invoice."""
        check_right(self.env, BILLING, self.env._("Invoicing repairs"))
        self.check_access("write")
        orders = self.filtered(lambda o: o.aftersales_ticket_id and o.invoice_status == "to invoice")
        return orders._aftersales_invoice_and_post() if orders else self.env["account.move"]

    def _create_invoices(self, grouped=False, final=False, date=None):
        """Whichever path invoices a ticket's order (the batch, Odoo's
        invoicing wizard), it is finance's job."""
        if self.filtered("aftersales_ticket_id"):
            check_right(self.env, BILLING, self.env._("Invoicing repairs"))
        return super()._create_invoices(grouped=grouped, final=final, date=date)

    def _aftersales_create_invoices_batch(self):
        """``_create_invoices()`` over the whole batch, with what it reads line
        by line fetched once for the batch beforehand."""
        lines = self.order_line
        lines.fetch(["tax_ids", "invoice_lines", "product_id", "product_uom_id", "analytic_distribution"])
        lines.invoice_lines.fetch(["move_id", "is_downpayment"])
        # Account looks the analytic distribution models up for each invoice
        # line; when there is none at all (one query for the batch), each line
        # keeps its order line's distribution, which is what it would find.
        no_model = not self.env["account.analytic.distribution.model"].sudo().search_count([], limit=1)
        return self.with_context(aftersales_batch_no_distribution_model=no_model)._create_invoices()


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        priced = {
            vals["order_id"] for vals in vals_list if {"price_unit", "discount"} & set(vals) and vals.get("order_id")
        }
        if priced and not self.env.su and self.env["sale.order"].browse(priced).sudo().filtered("aftersales_ticket_id"):
            check_right(self.env, MANAGER, self.env._("Pricing a repair quotation by hand"))
        return super().create(vals_list)

    def write(self, vals):
        """A ticket's quotation is priced by the tier's pricelist: a manager
        may discount it, and the change is logged on the quotation."""
        fnames = {"price_unit", "technical_price_unit", "discount"} & set(vals)
        ticket_lines = self.sudo().filtered(lambda line: line.order_id.aftersales_ticket_id) if fnames else self
        if not fnames or not ticket_lines or self.env.su:
            return super().write(vals)
        check_right(self.env, MANAGER, self.env._("Changing the price of a repair quotation"))
        before = {line: (line.price_unit, line.discount) for line in ticket_lines}
        res = super().write(vals)
        for line, (price, discount) in before.items():
            line.order_id.message_post(
                body=self.env._(
                    "%(product)s: price %(old_price)s, discount %(old_discount)s %% changed to price %(price)s, "
                    "discount %(discount)s %% by %(user)s. Reason: %(reason)s",
                    product=line.product_id.display_name,
                    old_price=price,
                    old_discount=discount,
                    price=line.price_unit,
                    discount=line.discount,
                    user=self.env.user.name,
                    reason=self.env.context.get("aftersales_price_reason") or self.env._("none given"),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return res

    def _prepare_invoice_line(self, **optional_values):
        res = super()._prepare_invoice_line(**optional_values)
        if self.env.context.get("aftersales_batch_no_distribution_model") and not self.display_type:
            res.setdefault("analytic_distribution", self.analytic_distribution or False)
        return res


class AccountMove(models.Model):
    _inherit = "account.move"

    def _aftersales_prefetch_for_posting(self):
        """Posting checks each invoice line's stock moves (dropship or not)
        one by one: read them for the whole batch at once."""
        moves = self.sudo().invoice_line_ids.sale_line_ids.move_ids
        moves.fetch(["location_id", "location_dest_id", "company_id", "product_id", "state"])
        moves.location_id.fetch(["usage", "company_id"])
        moves.location_dest_id.fetch(["usage", "company_id"])
