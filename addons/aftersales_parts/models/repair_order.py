from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import FACT, OPEN
from odoo.exceptions import AccessError, UserError, ValidationError

from ..rights import AGENT, MANAGER, OFFICE, STOCK, check_right, has_right

COVERAGES = [
    ("warranty", "Standard warranty"),
    ("extended", "Extended warranty"),
    ("contract", "Service contract"),
    ("chargeable", "Chargeable"),
]
DAMAGES = [
    ("drop", "Dropped"),
    ("water", "Water damage"),
    ("misuse", "Damaged by the user"),
]
APPROVAL_STATES = [
    ("not_needed", "Covered: no approval needed"),
    ("to_quote", "To quote"),
    ("awaiting", "Awaiting approval"),
    ("expired", "Quotation expired"),
    ("approved", "Approved"),
    ("refused", "Refused"),
]

# On a ticket's repair, the fields that decide whether the customer pays.
PAID_OR_FREE_FIELDS = ("aftersales_damage_reason", "product_id", "lot_id")


class RepairOrder(models.Model):
    _name = "repair.order"
    _inherit = ["repair.order", "aftersales.write.rules.mixin"]

    # After-sales ticket
    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Service Ticket",
        index="btree_not_null",
        check_company=True,
        copy=False,
        tracking=True,
    )
    aftersales_service_location = fields.Selection(
        [("workshop", "Workshop"), ("onsite", "On site")], string="Service Location", default="workshop", required=True
    )

    # Coverage and price
    aftersales_coverage = fields.Selection(
        COVERAGES,
        string="Coverage",
        compute="_compute_coverage",
        store=True,
        precompute=True,
        index="btree_not_null",
        help="From the ticket's warranty status and contract; damage caused by the user makes it chargeable.",
    )
    aftersales_damage_reason = fields.Selection(
        DAMAGES,
        string="Damage by the User",
        tracking=True,
        help="Damage caused by the user makes the repair chargeable even under warranty.",
    )
    aftersales_damage_note = fields.Text(string="Damage Details")
    under_warranty = fields.Boolean(compute="_compute_under_warranty", store=True, readonly=False, precompute=True)
    aftersales_approval_state = fields.Selection(
        APPROVAL_STATES, string="Approval State", compute="_compute_approval_state"
    )

    # Labour
    aftersales_labour_hours = fields.Float(string="Labour Hours", digits=(16, 2), tracking=True)
    aftersales_labour_product_id = fields.Many2one(
        "product.product",
        string="Labour Product",
        compute="_compute_labour_product_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('type', '=', 'service')]",
    )
    aftersales_labour_sale_line_id = fields.Many2one("sale.order.line", string="Labour Line", readonly=True, copy=False)
    aftersales_labour_cost = fields.Float(
        string="Labour Cost", readonly=True, copy=False, digits="Product Price", help="Labour hours at their cost."
    )
    aftersales_date_repaired = fields.Datetime(string="Date Repaired", readonly=True, copy=False)

    # Reverse logistics
    aftersales_part_return_ids = fields.One2many("aftersales.part.return", "repair_id", string="Returned Parts")

    @api.depends(
        "aftersales_ticket_id.warranty_state",
        "aftersales_ticket_id.sla_contract_id.contract_type",
        "aftersales_damage_reason",
    )
    def _compute_coverage(self):
        for repair in self:
            ticket = repair.aftersales_ticket_id
            if not ticket:
                repair.aftersales_coverage = False
            elif repair.aftersales_damage_reason or ticket.warranty_state not in ("in_warranty", "under_contract"):
                repair.aftersales_coverage = "chargeable"
            elif ticket.warranty_state == "in_warranty":
                repair.aftersales_coverage = "warranty"
            elif ticket.sla_contract_id.contract_type == "extended_warranty":
                repair.aftersales_coverage = "extended"
            else:
                repair.aftersales_coverage = "contract"

    @api.depends("aftersales_coverage")
    def _compute_under_warranty(self):
        for repair in self:
            if repair.aftersales_coverage:
                repair.under_warranty = repair.aftersales_coverage != "chargeable"
            else:
                repair.under_warranty = repair.under_warranty

    @api.depends("company_id")
    def _compute_labour_product_id(self):
        for repair in self:
            if not repair.aftersales_labour_product_id:
                repair.aftersales_labour_product_id = repair.company_id.aftersales_labour_product_id

    @api.depends("aftersales_coverage", "sale_order_id.state", "sale_order_id.validity_date")
    def _compute_approval_state(self):
        for repair in self:
            order = repair.sale_order_id
            if repair.aftersales_coverage != "chargeable":
                repair.aftersales_approval_state = "not_needed" if repair.aftersales_coverage else False
            elif not order:
                repair.aftersales_approval_state = "to_quote"
            elif order.state == "sale":
                repair.aftersales_approval_state = "approved"
            elif order.state == "cancel":
                repair.aftersales_approval_state = "refused"
            elif order.is_expired:
                repair.aftersales_approval_state = "expired"
            else:
                repair.aftersales_approval_state = "awaiting"

    @api.constrains("aftersales_labour_hours")
    def _check_labour_hours(self):
        for repair in self:
            if repair.aftersales_labour_hours < 0:
                raise ValidationError(
                    self.env._("Repair %(repair)s: labour hours cannot be negative.", repair=repair.name)
                )

    @api.constrains("aftersales_damage_reason", "aftersales_damage_note")
    def _check_damage_note(self):
        for repair in self:
            if repair.aftersales_damage_reason and not (repair.aftersales_damage_note or "").strip():
                raise ValidationError(
                    self.env._(
                        "Repair %(repair)s: describe the damage caused by the user before charging it.",
                        repair=repair.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model
    def _field_write_rules(self):
        """Our fields on every repair; on a ticket's repair also Odoo's fields
        that decide paid or free: agents set them while the repair is a draft
        (intake), managers afterwards, never the technician on the job."""
        rules = {
            **super()._field_write_rules(),
            "aftersales_ticket_id": (OFFICE, OFFICE),
            "aftersales_coverage": FACT,
            "aftersales_damage_reason": (AGENT, AGENT),
            "aftersales_labour_product_id": (OPEN, OFFICE),
            "aftersales_labour_sale_line_id": FACT,
            "aftersales_labour_cost": FACT,
            "aftersales_date_repaired": FACT,
        }
        if self.filtered("aftersales_ticket_id") or self.env.context.get("aftersales_ticket_repair"):
            after_intake = MANAGER if self.filtered(lambda r: r.state != "draft") else AGENT
            rules.update(dict.fromkeys(PAID_OR_FREE_FIELDS, (OPEN, after_intake)))
            rules["aftersales_damage_reason"] = (AGENT, after_intake)
            rules["under_warranty"] = FACT  # follows the coverage
        return rules

    @api.model_create_multi
    def create(self, vals_list):
        if not self._writing_facts() and any(
            v.get("aftersales_ticket_id") and "under_warranty" in v for v in vals_list
        ):
            # A ticket's repair: the warranty follows the coverage.
            self.with_context(aftersales_ticket_repair=True)._check_field_write_rules(["under_warranty"], creating=True)
        return super().create(vals_list)

    def write(self, vals):
        if "aftersales_ticket_id" in vals and not self._writing_facts():
            moved = self.filtered(
                lambda r: r.state != "draft" and r.aftersales_ticket_id.id != vals["aftersales_ticket_id"]
            )
            if moved:
                raise UserError(
                    self.env._(
                        "A repair changes ticket only while it is a draft: %(repairs)s.",
                        repairs=", ".join(moved.mapped("name")),
                    )
                )
        res = super().write(vals)
        # The quotation follows, as the system: its prices are nobody's input.
        if "aftersales_damage_reason" in vals:
            self.sudo()._update_sale_order_line_price()
        if {"aftersales_labour_hours", "aftersales_labour_product_id", "aftersales_damage_reason"} & set(vals):
            self.sudo()._aftersales_sync_labour_lines()
        return res

    def _update_sale_order_line_price(self):
        res = super()._update_sale_order_line_price()
        for repair in self.filtered(
            lambda r: r.aftersales_labour_sale_line_id and r.aftersales_labour_sale_line_id.state != "cancel"
        ):
            line = repair.aftersales_labour_sale_line_id
            if repair.under_warranty:
                line.write({"price_unit": 0.0, "technical_price_unit": 0.0})
            else:
                line._compute_price_unit()
        return res

    # ------------------------------------------------------------------
    # Quotation
    # ------------------------------------------------------------------

    def _get_sale_order_values(self):
        vals = super()._get_sale_order_values()
        if self.aftersales_ticket_id:
            vals["aftersales_ticket_id"] = self.aftersales_ticket_id.id
            vals["require_signature"] = True
            tier = self.aftersales_ticket_id.sla_tier_id
            # Signing approves the repair; the invoice is paid after it, unless a deposit is asked
            # (sale's online payment of quotations would otherwise ask for its prepayment).
            deposit = tier.aftersales_deposit_percent or self.company_id.aftersales_deposit_percent
            vals["require_payment"] = bool(deposit)
            if deposit:
                vals["prepayment_percent"] = deposit
            if tier and self.aftersales_coverage == "chargeable":
                vals["pricelist_id"] = tier._aftersales_pricelist().id
        return vals

    def _create_sale_order(self):
        """Odoo's quotations, with the labour line of each ticket repair."""
        orders = super()._create_sale_order()
        self.filtered("aftersales_ticket_id")._aftersales_sync_labour_lines()
        return orders

    def _aftersales_sync_labour_lines(self):
        """One service line per repair for the logged labour hours."""
        to_create = []
        for repair in self:
            order = repair.sale_order_id
            if not order or order.state == "cancel":
                continue
            line = repair.aftersales_labour_sale_line_id
            if line and line.state != "cancel":
                if line.product_uom_qty != repair.aftersales_labour_hours:
                    line.product_uom_qty = repair.aftersales_labour_hours
            elif repair.aftersales_labour_hours and repair.aftersales_labour_product_id:
                vals = {
                    "order_id": order.id,
                    "product_id": repair.aftersales_labour_product_id.id,
                    "product_uom_qty": repair.aftersales_labour_hours,
                }
                if repair.under_warranty:
                    vals["price_unit"] = 0.0
                to_create.append((repair, vals))
        if to_create:
            lines = self.env["sale.order.line"].create([vals for _repair, vals in to_create])
            for (repair, _vals), line in zip(to_create, lines, strict=True):
                repair._write_facts({"aftersales_labour_sale_line_id": line.id})

    def _aftersales_check_part_price_right(self):
        """The price of a ticket's part is the tier pricelist's: nobody on the
        job types one (a manager discounts on the quotation)."""
        if self.sudo().filtered("aftersales_ticket_id"):
            check_right(self.env, (MANAGER, STOCK), self.env._("Setting the price of a repair's part"))

    def action_aftersales_send_quotation(self):
        """Create the quotation of a chargeable repair and open the e-mail composer."""
        self.ensure_one()
        if self.aftersales_coverage != "chargeable":
            raise UserError(self.env._("Repair %(repair)s is covered: there is nothing to quote.", repair=self.name))
        if not self.sale_order_id:
            # Linking the repair needs the warehouse's field rights on the
            # order: the agent's right to quote is checked on the repair.
            check_right(self.env, AGENT, self.env._("Quoting a repair"))
            self.check_access("write")
            self.sudo()._create_sale_order()
        return self.sale_order_id.action_quotation_send()

    # ------------------------------------------------------------------
    # Approval gate, parts issue, completion
    # ------------------------------------------------------------------

    def _aftersales_check_approved(self):
        pending = self.filtered(
            lambda r: r.aftersales_coverage == "chargeable" and r.aftersales_approval_state != "approved"
        )
        if pending:
            labels = dict(self._fields["aftersales_approval_state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "The customer has not approved the quotation of these chargeable repairs yet: no part may be "
                    "issued and no paid work may start. %(repairs)s",
                    repairs=", ".join(f"{r.name} ({labels[r.aftersales_approval_state]})" for r in pending),
                )
            )

    def action_repair_start(self):
        self._aftersales_check_approved()
        return super().action_repair_start()

    def _aftersales_check_stock_rights(self, action):
        """Warehouse staff move the parts of any repair. Without the warehouse's
        right, only the technician assigned to the ticket does, for its
        repairs, taking parts from their own van or from a location the
        warehouse opened to technicians, and sending removed parts to the
        quarantine. Returns the repairs to work on: as superuser once checked
        for a technician, who has no right on stock of their own."""
        if has_right(self.env, STOCK):
            return self
        refused = self.filtered(lambda r: r.aftersales_ticket_id.sudo().user_id != self.env.user)
        if refused:
            raise AccessError(
                self.env._(
                    "%(action)s of %(repairs)s needs the right %(group)s, or being the technician assigned to the "
                    "ticket.",
                    action=action,
                    repairs=", ".join(refused.mapped("name")),
                    group=self.env.ref(STOCK).sudo().full_name,
                )
            )
        repairs = self.sudo()
        vans = self.env["aftersales.technician"].sudo().search([("user_id", "=", self.env.uid)]).van_location_id
        moves = repairs.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
        sources = moves.filtered(lambda m: m.repair_line_type == "add").location_id
        wrong = sources.filtered(
            lambda loc: (
                not loc.aftersales_technician_issue
                and not any(loc.parent_path.startswith(van.parent_path) for van in vans)
            )
        )
        for move in moves.filtered(lambda m: m.repair_line_type == "remove"):
            quarantine = move.company_id.aftersales_quarantine_location_id
            if quarantine and move.location_dest_id != quarantine:
                wrong |= move.location_dest_id
        if wrong:
            raise AccessError(
                self.env._(
                    "%(action)s: a technician takes parts from their own van or a location the warehouse opened to "
                    "technicians, and sends removed parts to the quarantine; %(locations)s needs the right "
                    "%(group)s.",
                    action=action,
                    locations=", ".join(wrong.mapped("display_name")),
                    group=self.env.ref(STOCK).sudo().full_name,
                )
            )
        return repairs

    def action_repair_done(self):
        """Core's rule, kept for every repair: when none of a repair's parts
        is picked, all are. On a ticket's repair the parts are issued
        (picked) beforehand, so the removed and recycled parts, which core
        would then leave behind, are picked here: they leave the unit too."""
        self._aftersales_check_approved()
        repairs = self._aftersales_check_stock_rights(self.env._("Ending a repair"))
        now = fields.Datetime.now()
        repairs.filtered("aftersales_ticket_id").move_ids.filtered(
            lambda m: m.repair_line_type in ("remove", "recycle") and m.state not in ("done", "cancel")
        ).picked = True
        res = super(RepairOrder, repairs).action_repair_done()
        by_cost = {}
        for repair in repairs.filtered("aftersales_ticket_id"):
            cost = repair.aftersales_labour_hours * repair.aftersales_labour_product_id.standard_price
            by_cost.setdefault(cost, []).append(repair.id)
        for cost, ids in by_cost.items():
            self.browse(ids)._write_facts({"aftersales_labour_cost": cost, "aftersales_date_repaired": now})
        return res

    def action_aftersales_issue_parts(self):
        """Issue the parts of the repairs from their source location (the
        technician's van by default): lock the stock rows first so that two
        issues of the last unit cannot both succeed, reserve, and issue the
        parts reserved in full. Parts short keep their reservation and wait
        in stock for the rest (their move stays waiting): the receipt of the
        missing quantity at that location reserves them and the repair is
        ready. Refused with a shortage message when nothing can be issued."""
        self._aftersales_check_approved()
        repairs = self._aftersales_check_stock_rights(self.env._("Issuing parts"))
        repairs.filtered(lambda r: r.state == "draft")._action_repair_confirm()
        moves = repairs.move_ids.filtered(
            lambda m: m.repair_line_type == "add" and m.state not in ("done", "cancel") and m.product_id.is_storable
        )
        if not moves:
            return True
        moves._aftersales_lock_quants()
        moves._action_assign()
        short = moves.filtered(lambda m: m.product_uom.compare(m.quantity, m.product_uom_qty) < 0)
        shortage = "; ".join(
            self.env._(
                "%(product)s at %(location)s for %(repair)s: %(available)s of %(needed)s",
                product=m.product_id.display_name,
                location=m.location_id.display_name,
                repair=m.repair_id.aftersales_ticket_id.display_name or m.repair_id.name,
                available=m.quantity,
                needed=m.product_uom_qty,
            )
            for m in short
        )
        issued = moves - short
        if not issued.filtered(lambda m: not m.picked):
            if short:
                raise UserError(
                    self.env._(
                        "Shortage: these parts are not available at the issuing location: %(parts)s",
                        parts=shortage,
                    )
                )
            return True
        issued.picked = True
        if not short:
            return True
        for repair in short.repair_id:
            repair.aftersales_ticket_id._aftersales_log(
                self.env._(
                    "Parts issued for %(repair)s: %(issued)s. Waiting for the rest: %(parts)s",
                    repair=repair.name,
                    issued=", ".join(
                        issued.filtered(lambda m, r=repair: m.repair_id == r).product_id.mapped("display_name")
                    ),
                    parts=shortage,
                )
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "title": self.env._("Parts issued in part"),
                "message": self.env._(
                    "The available parts were issued; these wait for stock: %(parts)s", parts=shortage
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
