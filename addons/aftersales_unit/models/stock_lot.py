from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import FACT

UNIT_STATES = [
    ("in_warranty", "In warranty"),
    ("extended", "Extended warranty"),
    ("contract", "Service contract"),
    ("out_of_warranty", "Out of warranty"),
    ("unknown", "Purchase date unknown"),
]
SANBAO_TODAY = [
    ("return", "May return"),
    ("exchange", "May exchange"),
    ("free_repair", "Free repair"),
    ("paid_repair", "Paid repair"),
    ("none", "None"),
]
# Facts of the installed base: written when a delivery, a 三包 return or a
# verified registration changes who owns the unit.
LOT_FACTS = ("aftersales_customer_id", "aftersales_purchase_date", "aftersales_owner_origin")


class StockLot(models.Model):
    """The installed base: who owns each serial, since when, and what covers
    it today (standard warranty, extended warranty or contract, 三包)."""

    _name = "stock.lot"
    _inherit = ["stock.lot", "aftersales.write.rules.mixin"]

    # Owner (facts)
    aftersales_customer_id = fields.Many2one(
        "res.partner",
        string="Owner",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The customer (company) the unit was delivered or registered to.",
    )
    aftersales_purchase_date = fields.Date(
        string="Purchase Date",
        copy=False,
        readonly=True,
        help="The delivery to the owner, or the purchase date of the verified registration.",
    )
    aftersales_owner_origin = fields.Selection(
        [("delivery", "Delivery"), ("registration", "Registration")], string="Owner From", copy=False, readonly=True
    )
    aftersales_registration_ids = fields.One2many(
        "aftersales.unit.registration", "lot_id", string="Registrations", groups="base.group_user"
    )

    # What covers the unit today
    aftersales_warranty_end = fields.Date(string="Standard Warranty Until", compute="_compute_aftersales_unit")
    aftersales_contract_id = fields.Many2one(
        "aftersales.sla.contract", string="Extended Warranty / Contract", compute="_compute_aftersales_unit"
    )
    aftersales_coverage_end = fields.Date(string="Covered Until", compute="_compute_aftersales_unit")
    aftersales_tier_id = fields.Many2one(
        "aftersales.sla.tier", string="Service Tier", compute="_compute_aftersales_unit"
    )
    aftersales_unit_state = fields.Selection(UNIT_STATES, string="Warranty", compute="_compute_aftersales_unit")
    aftersales_sanbao = fields.Selection(SANBAO_TODAY, string="三包 Today", compute="_compute_aftersales_unit")
    aftersales_warranty_summary = fields.Char(string="Warranty Status", compute="_compute_aftersales_unit")

    # History
    aftersales_repair_ids = fields.One2many("repair.order", "lot_id", string="Repairs")
    aftersales_part_move_ids = fields.Many2many(
        "stock.move", string="Parts Replaced", compute="_compute_aftersales_part_move_ids"
    )

    @api.depends("aftersales_customer_id", "aftersales_purchase_date", "product_id", "company_id")
    @api.depends_context("lang")
    def _compute_aftersales_unit(self):
        """One search for the contracts of all the serials; the rules are the
        tickets' (aftersales_sla): standard warranty end, contract coverage,
        三包 windows, judged on today in the company's timezone."""
        Ticket = self.env["aftersales.ticket"]
        day_of = {}
        units = []
        for lot in self:
            company = lot.company_id or self.env.company
            day_of[lot.id] = company._aftersales_today()
            if lot.aftersales_customer_id:
                units.append((lot.id, lot.aftersales_customer_id, lot, lot.product_id, company, day_of[lot.id]))
        contracts = self.env["aftersales.sla.contract"]._find_for_units(units)
        for lot in self:
            company = lot.company_id or self.env.company
            day = day_of[lot.id]
            purchase = lot.aftersales_purchase_date
            contract = contracts.get(lot.id, self.env["aftersales.sla.contract"])
            standard_end = Ticket._sla_warranty_end(lot.product_id, purchase)
            lot.aftersales_warranty_end = standard_end
            lot.aftersales_contract_id = contract
            lot.aftersales_tier_id = contract.tier_id or company.sudo().aftersales_default_tier_id
            ends = [end for end in (standard_end, contract.date_end) if end]
            lot.aftersales_coverage_end = max(ends) if ends else False
            if contract:
                state = "extended" if contract.contract_type == "extended_warranty" else "contract"
            elif not purchase:
                state = "unknown"
            elif day <= standard_end:
                state = "in_warranty"
            else:
                state = "out_of_warranty"
            lot.aftersales_unit_state = state
            window = purchase and Ticket._sla_sanbao_window(company, (day - purchase).days)
            if not purchase:
                lot.aftersales_sanbao = "none"
            elif window:
                lot.aftersales_sanbao = window
            else:
                lot.aftersales_sanbao = "paid_repair" if state == "out_of_warranty" else "free_repair"
            lot.aftersales_warranty_summary = lot._aftersales_summary(state, standard_end, contract)

    def _aftersales_summary(self, state, standard_end, contract):
        """The answer to "is it under warranty?", in the reader's language."""
        iso = fields.Date.to_string
        if state == "extended":
            return self.env._("Extended warranty until %(end)s", end=iso(contract.date_end))
        if state == "contract":
            return self.env._(
                "Service contract %(contract)s until %(end)s", contract=contract.name, end=iso(contract.date_end)
            )
        if state == "in_warranty":
            return self.env._("In warranty until %(end)s", end=iso(standard_end))
        if state == "out_of_warranty":
            return self.env._("Out of warranty since %(end)s", end=iso(standard_end))
        return self.env._("Purchase date unknown: register the product to check its warranty")

    def _compute_aftersales_part_move_ids(self):
        moves = self.env["stock.move"].search(
            [("repair_id.lot_id", "in", self.ids), ("repair_line_type", "=", "add"), ("state", "=", "done")]
        )
        for lot in self:
            lot.aftersales_part_move_ids = moves.filtered(lambda m, lot=lot: m.repair_id.lot_id == lot)

    @api.model
    def _field_write_rules(self):
        return {**super()._field_write_rules(), **dict.fromkeys(LOT_FACTS, FACT)}

    # ------------------------------------------------------------------
    # Owner
    # ------------------------------------------------------------------

    def _aftersales_set_owner(self, customer, day, origin):
        """Record the unit as ``customer``'s since ``day`` (False: back to the company)."""
        self._write_facts(
            {
                "aftersales_customer_id": customer.commercial_partner_id.id if customer else False,
                "aftersales_purchase_date": day if customer else False,
                "aftersales_owner_origin": origin if customer else False,
            }
        )

    def _aftersales_update_owner_from_deliveries(self):
        """Owners of serials delivered before this addon: the customer of the
        latest first delivery (the rule of aftersales_ticket)."""
        latest = {}
        for (lot_id, customer_id), date in self._aftersales_customer_deliveries().items():
            if lot_id not in latest or date > latest[lot_id][1]:
                latest[lot_id] = (customer_id, date)
        Partner = self.env["res.partner"]
        for lot in self.filtered(lambda lot: lot.id in latest and not lot.aftersales_customer_id):
            customer_id, date = latest[lot.id]
            lot._aftersales_set_owner(Partner.browse(customer_id), date.date(), "delivery")

    @api.model
    def _aftersales_owned_by(self, partner):
        """The domain of the units of ``partner``'s company."""
        return [("aftersales_customer_id", "=", partner.commercial_partner_id.id)]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_view_aftersales_registrations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_unit.aftersales_unit_registration_action")
        action["domain"] = [("lot_id", "=", self.id)]
        action["context"] = {"default_lot_id": self.id}
        return action
