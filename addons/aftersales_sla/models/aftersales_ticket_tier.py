from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import AGENT, FACT, MANAGER, OPEN_FIELD
from odoo.exceptions import ValidationError


class AftersalesTicket(models.Model):
    """Tier selection: the customer's contract covering the unit, else the
    first tier rule matching the product and price, else the company default;
    or the tier an agent sets by hand. The origin is stored as facts and
    written as a sentence when read."""

    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    purchase_price = fields.Float(
        string="Price at Purchase",
        digits="Product Price",
        compute="_compute_purchase_price",
        store=True,
        readonly=False,
        precompute=True,
        help="What the customer paid for the unit; tier rules compare it with their minimum price. "
        "Proposed from the product's sales price.",
    )
    sla_tier_id = fields.Many2one(
        "aftersales.sla.tier",
        string="Service Tier",
        compute="_compute_sla_tier_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        check_company=True,
        groups="base.group_user",
    )
    sla_contract_id = fields.Many2one(
        "aftersales.sla.contract",
        string="Contract",
        compute="_compute_sla_tier_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        groups="base.group_user",
    )
    # Where the tier comes from, stored as facts; the sentence is written when
    # read, in the reader's language.
    sla_tier_origin = fields.Selection(
        [("contract", "Contract"), ("rule", "Tier rule"), ("default", "Company default"), ("manual", "Set by hand")],
        string="Tier Source",
        compute="_compute_sla_tier_id",
        store=True,
        precompute=True,
    )
    sla_rule_id = fields.Many2one(
        "aftersales.sla.rule",
        string="Tier Rule",
        compute="_compute_sla_tier_id",
        store=True,
        precompute=True,
        groups="base.group_user",
    )
    sla_tier_reason = fields.Char(string="Tier Origin", compute="_compute_sla_tier_reason")

    @api.depends("product_id")
    def _compute_purchase_price(self):
        for ticket in self:
            ticket.purchase_price = ticket.product_id.lst_price

    @api.depends("partner_id", "product_id", "lot_id", "company_id", "date_reported", "purchase_price")
    def _compute_sla_tier_id(self):
        contracts = self.env["aftersales.sla.contract"]._find_for_tickets(self)
        rules = self.env["aftersales.sla.rule"].sudo().search([("company_id", "in", [False, *self.company_id.ids])])
        fallback = self.env["aftersales.sla.tier"].sudo().search([], limit=1)
        for ticket in self:
            contract = contracts.get(ticket.id)
            if contract:
                ticket.sla_contract_id = contract
                ticket.sla_tier_id = contract.tier_id
                ticket.sla_tier_origin = "contract"
                ticket.sla_rule_id = False
                continue
            ticket.sla_contract_id = False
            rule = ticket.product_id and next(
                (r for r in rules if r._matches(ticket.product_id, ticket.company_id, ticket.purchase_price)), None
            )
            if rule:
                ticket.sla_tier_id = rule.tier_id
                ticket.sla_tier_origin = "rule"
                ticket.sla_rule_id = rule
            else:
                ticket.sla_tier_id = ticket.company_id.aftersales_default_tier_id or fallback
                ticket.sla_tier_origin = "default"
                ticket.sla_rule_id = False

    @api.depends("sla_tier_origin", "sla_contract_id", "sla_rule_id")
    @api.depends_context("lang")
    def _compute_sla_tier_reason(self):
        origins = dict(self._fields["sla_tier_origin"]._description_selection(self.env))
        for ticket in self:
            data = ticket.sudo()
            if data.sla_tier_origin == "contract" and data.sla_contract_id:
                ticket.sla_tier_reason = self.env._("Contract %(contract)s", contract=data.sla_contract_id.name)
            elif data.sla_tier_origin == "rule" and data.sla_rule_id:
                ticket.sla_tier_reason = data.sla_rule_id._reason()
            else:
                ticket.sla_tier_reason = origins.get(data.sla_tier_origin, False)

    @api.constrains("purchase_price")
    def _check_purchase_price(self):
        if any(ticket.purchase_price < 0 for ticket in self):
            raise ValidationError(self.env._("The price paid at purchase cannot be negative."))

    @api.model
    def _field_write_rules(self):
        return {
            **super()._field_write_rules(),
            "purchase_price": OPEN_FIELD,
            "sla_tier_id": (AGENT, MANAGER),
            "sla_contract_id": FACT,
            "sla_tier_origin": FACT,
            "sla_rule_id": FACT,
        }

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        chosen = [ticket.id for ticket, vals in zip(tickets, vals_list, strict=True) if vals.get("sla_tier_id")]
        if chosen:
            self.browse(chosen).sudo()._sla_tier_set_by_hand()
        return tickets

    def write(self, vals):
        res = super().write(vals)
        if "sla_tier_id" in vals and "sla_tier_origin" not in vals:
            self.sudo()._sla_tier_set_by_hand()
        return res

    def _sla_tier_set_by_hand(self):
        """The tier was given by the caller, not chosen by contract or rule."""
        return self._write_facts({"sla_tier_origin": "manual", "sla_rule_id": False})

    def action_view_sla_contract(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.sla.contract",
            "view_mode": "form",
            "res_id": self.sla_contract_id.id,
        }
