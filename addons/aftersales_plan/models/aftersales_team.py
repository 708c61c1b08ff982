"""Partner service centres 授权服务网点: a service team run by an external
provider, whose staff work on its tickets from the portal, settled by
purchase order and vendor bill at the agreed rate."""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import MANAGER
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command

# Making a team an external centre opens its tickets to the centre's portal
# users, and the rate is what the company pays: managers only, whatever the
# access rights on teams let others write.
PROVIDER_WRITE_RULES = dict.fromkeys(
    ("provider_partner_id", "provider_rate", "provider_product_id"), (MANAGER, MANAGER)
)


class AftersalesTeam(models.Model):
    _inherit = "aftersales.team"

    provider_partner_id = fields.Many2one(
        "res.partner",
        string="Service Provider",
        index="btree_not_null",
        tracking=True,
        domain="[('is_company', '=', True)]",
        help="An external company running this service centre: its contacts with a portal login see and update "
        "the tickets of this team on the portal, and it is paid per ticket through purchase orders.",
    )
    provider_rate = fields.Monetary(
        string="Rate per Ticket", currency_field="provider_currency_id", help="Agreed price of one ticket done."
    )
    provider_currency_id = fields.Many2one(related="company_id.currency_id", string="Provider Currency")
    provider_product_id = fields.Many2one(
        "product.product",
        string="Settlement Product",
        default=lambda self: self.env.ref("aftersales_plan.product_provider_service", raise_if_not_found=False),
        domain="[('type', '=', 'service'), ('purchase_ok', '=', True)]",
        help="Service product of the purchase order lines that pay the centre.",
    )

    @api.model
    def _field_write_rules(self):
        return {**super()._field_write_rules(), **PROVIDER_WRITE_RULES}

    @api.onchange("provider_partner_id")
    def _onchange_provider_partner_id(self):
        if self.provider_partner_id:  # the centre assigns its own staff
            self.auto_dispatch = False

    def _provider_settle(self, date_from, date_to):
        """One confirmed purchase order per centre for the tickets it reported
        done between ``date_from`` and ``date_to`` (dates, included) and not
        yet settled, one line per ticket at the agreed rate, and its vendor
        bill in draft. Returns the bills."""
        Ticket = self.env["aftersales.ticket"].sudo()
        bills = self.env["account.move"]
        for team in self:
            if not team.provider_partner_id:
                raise UserError(self.env._("Team %(team)s is not a partner service centre.", team=team.display_name))
            if not team.provider_product_id:
                raise UserError(
                    self.env._("Choose the settlement product of service centre %(team)s.", team=team.display_name)
                )
            tickets = Ticket.search(
                [
                    ("provider_partner_id", "=", team.provider_partner_id.id),
                    ("company_id", "=", team.company_id.id),
                    ("provider_done_date", ">=", fields.Datetime.to_datetime(date_from)),
                    ("provider_done_date", "<", fields.Datetime.to_datetime(date_to + relativedelta(days=1))),
                    ("provider_po_line_id", "=", False),
                ],
                order="provider_done_date, id",
            )
            if not tickets:
                continue
            order = (
                self.env["purchase.order"]
                .sudo()
                .create(
                    {
                        "partner_id": team.provider_partner_id.id,
                        "company_id": team.company_id.id,
                        "currency_id": team.provider_currency_id.id,
                        "origin": self.env._(
                            "%(team)s: tickets from %(start)s to %(end)s",
                            team=team.name,
                            start=date_from,
                            end=date_to,
                        ),
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": team.provider_product_id.id,
                                    "name": ticket.display_name,
                                    "product_qty": 1.0,
                                    "price_unit": team.provider_rate,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                            for ticket in tickets
                        ],
                    }
                )
            )
            order.button_confirm()
            for ticket, line in zip(tickets, order.order_line, strict=True):
                ticket._write_facts({"provider_po_line_id": line.id})
            order.action_create_invoice()
            bills |= order.invoice_ids
        return bills

    def action_provider_settle_last_month(self):
        """Settle last month's tickets of these centres; open the bills."""
        self.check_access("read")
        if not self.env.user.has_group("purchase.group_purchase_user"):
            raise AccessError(self.env._("Settling a service centre takes the right to create purchase orders."))
        first = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        bills = self._provider_settle(first, first + relativedelta(months=1, days=-1))
        if not bills:
            raise UserError(self.env._("No ticket of these service centres is left to settle for last month."))
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_in_invoice_type")
        action["domain"] = [("id", "in", bills.ids)]
        return action
