import logging
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import mute_logger

_logger = logging.getLogger(__name__)


class AftersalesSlaContract(models.Model):
    _name = "aftersales.sla.contract"
    _description = "After-sales Service Contract"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_end desc, id desc"

    name = fields.Char(string="Reference", required=True, copy=False, default="/", tracking=True)
    contract_type = fields.Selection(
        [("service", "Service contract"), ("extended_warranty", "Extended warranty")],
        string="Type",
        required=True,
        default="service",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True, check_company=True
    )
    user_id = fields.Many2one(
        "res.users", string="Account Manager", default=lambda self: self.env.user, domain="[('share', '=', False)]"
    )
    tier_id = fields.Many2one("aftersales.sla.tier", string="Tier", required=True, tracking=True, check_company=True)
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Active"), ("expired", "Expired"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    date_start = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    date_end = fields.Date(required=True, tracking=True, index=True)

    # Coverage: serials first, else every unit of the products
    lot_ids = fields.Many2many("stock.lot", string="Serial Numbers", check_company=True)
    product_ids = fields.Many2many(
        "product.product", string="Products", help="Every unit of these products the customer owns is covered."
    )

    # Origin
    invoice_line_id = fields.Many2one(
        "account.move.line", string="Invoice Line", readonly=True, copy=False, index="btree_not_null"
    )
    invoice_id = fields.Many2one(related="invoice_line_id.move_id", string="Invoice", store=True)
    renewal_reminded = fields.Boolean(copy=False, readonly=True)
    note = fields.Html()
    ticket_count = fields.Integer(compute="_compute_ticket_count")

    def _compute_ticket_count(self):
        counts = dict(
            self.env["aftersales.ticket"]._read_group(
                [("sla_contract_id", "in", self.ids)], ["sla_contract_id"], ["__count"]
            )
        )
        for contract in self:
            contract.ticket_count = counts.get(contract, 0)

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for contract in self:
            if contract.date_start and contract.date_end and contract.date_end < contract.date_start:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s ends on %(end)s, before it starts on %(start)s.",
                        contract=contract.name,
                        end=contract.date_end,
                        start=contract.date_start,
                    )
                )

    @api.constrains("state", "lot_ids", "date_start", "date_end")
    def _check_overlap(self):
        active = self.filtered(lambda c: c.state == "active" and c.lot_ids)
        if not active:
            return
        others = self.search(
            [
                ("state", "=", "active"),
                ("lot_ids", "in", active.lot_ids.ids),
                ("date_start", "<=", max(active.mapped("date_end"))),
                ("date_end", ">=", min(active.mapped("date_start"))),
            ]
        )
        for contract in active:
            for other in others:
                if other == contract or other.date_start > contract.date_end or other.date_end < contract.date_start:
                    continue
                shared = contract.lot_ids & other.lot_ids
                if shared:
                    raise ValidationError(
                        self.env._(
                            "Serial %(serial)s is already covered by active contract %(other)s from %(start)s to "
                            "%(end)s: contract %(contract)s would overlap it.",
                            serial=shared[0].name,
                            other=other.name,
                            start=other.date_start,
                            end=other.date_end,
                            contract=contract.name,
                        )
                    )

    @api.constrains("tier_id")
    def _check_tier_calendar(self):
        for contract in self:
            if not contract.tier_id.resource_calendar_id:
                raise ValidationError(self.env._("Tier %(tier)s has no working hours.", tier=contract.tier_id.name))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("aftersales.sla.contract") or "/"
        return super().create(vals_list)

    def action_activate(self):
        for contract in self:
            if contract.state != "draft":
                raise UserError(self.env._("Only draft contracts can be activated."))
        self.state = "active"
        return True

    def action_cancel(self):
        self.state = "cancelled"
        return True

    def action_reset_draft(self):
        self.state = "draft"
        return True

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_ticket.aftersales_ticket_action")
        action["domain"] = [("sla_contract_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.partner_id.id}
        return action

    @api.model
    def _find_for_tickets(self, tickets):
        """Return {ticket id: contract} for the active contracts covering each
        ticket's serial (or product) on its report date. One search."""
        tickets = tickets.filtered(lambda t: t.partner_id and (t.lot_id or t.product_id))
        return self._find_for_units(
            [
                (
                    ticket.id,
                    ticket.commercial_partner_id,
                    ticket.lot_id,
                    ticket.product_id,
                    ticket.company_id,
                    ticket._sla_report_day(),
                )
                for ticket in tickets
            ]
        )

    @api.model
    def _find_for_units(self, units):
        """Return {key: contract} for the active contracts covering each unit
        on its day; ``units`` is a list of (key, commercial partner, serial,
        product, company, day). One search."""
        if not units:
            return {}
        days = [unit[5] for unit in units]
        contracts = self.sudo().search_fetch(
            Domain("state", "=", "active")
            & Domain("partner_id", "in", list({unit[1].id for unit in units}))
            & Domain("date_start", "<=", max(days))
            & Domain("date_end", ">=", min(days)),
            ["partner_id", "tier_id", "date_start", "date_end", "lot_ids", "product_ids", "company_id"],
            order="date_start desc, id desc",
        )
        result = {}
        for key, partner, lot, product, company, day in units:
            for contract in contracts:
                if contract.partner_id != partner or not (contract.date_start <= day <= contract.date_end):
                    continue
                if contract.company_id != company:
                    continue
                if (lot and lot in contract.lot_ids) or (product in contract.product_ids):
                    result[key] = contract
                    break
        return result

    @api.model
    def _cron_contract_lifecycle(self):
        """Expire ended contracts and remind the account manager before expiry.
        The contracts are claimed with try_lock_for_update() (rows another
        worker holds are skipped), so two cron workers running the job at
        once expire each contract once and remind once."""
        today = fields.Date.context_today(self)
        expired = self._lifecycle_claim(Domain("state", "=", "active") & Domain("date_end", "<", today))
        if expired is None:
            return
        expired.state = "expired"
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        if in_cron:
            self.env["ir.cron"]._commit_progress(len(expired))
        renewal_domain = Domain.OR(
            Domain("company_id", "=", company.id)
            & Domain("date_end", "<=", today + timedelta(days=company.aftersales_renewal_days))
            for company in self.env["res.company"].search([])
        )
        todo = self._lifecycle_claim(
            renewal_domain & Domain("state", "=", "active") & Domain("renewal_reminded", "=", False)
        )
        if todo is None:
            return
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        vals_list = [
            {
                "res_model_id": self.env["ir.model"]._get_id(self._name),
                "res_id": contract.id,
                "activity_type_id": activity_type.id,
                "user_id": (contract.user_id or self.env.user).id,
                "date_deadline": max(contract.date_end - timedelta(days=7), today),
                "summary": self.env._("Renew contract %(contract)s", contract=contract.name),
                "note": self.env._(
                    "Contract %(contract)s of %(partner)s ends on %(end)s: propose the renewal.",
                    contract=contract.name,
                    partner=contract.partner_id.display_name,
                    end=contract.date_end,
                ),
            }
            for contract in todo
        ]
        if vals_list:
            self.env["mail.activity"].create(vals_list)
            todo.renewal_reminded = True
        if in_cron:
            self.env["ir.cron"]._commit_progress(len(todo))

    @api.model
    def _lifecycle_claim(self, domain):
        """Lock the contracts of ``domain`` no other worker holds; None when
        another worker changed them after this transaction started (it
        handled them: this run stops, the next one starts afresh)."""
        try:
            # The expected conflict is not an error: muted, handled below.
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                return self.search(domain, order="id").try_lock_for_update()
        except psycopg2.errors.SerializationFailure:
            _logger.info("Contract lifecycle: contracts taken by another worker, stopping this run")
            return None
