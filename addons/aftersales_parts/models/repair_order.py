from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

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

# Facts the system writes (with sudo) and nobody else may.
REPAIR_SYSTEM_FIELDS = {
    "aftersales_coverage",
    "aftersales_labour_sale_line_id",
    "aftersales_labour_cost",
    "aftersales_date_repaired",
}
# Fields an agent or warehouse user may set but a technician may not.
REPAIR_OFFICE_FIELDS = {"aftersales_ticket_id", "aftersales_labour_product_id"}


class RepairOrder(models.Model):
    _inherit = "repair.order"

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
        [("workshop", "Workshop"), ("onsite", "On site")], default="workshop", required=True
    )

    # Coverage and price
    aftersales_coverage = fields.Selection(
        COVERAGES,
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
    aftersales_approval_state = fields.Selection(APPROVAL_STATES, compute="_compute_approval_state")

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
        readonly=True, copy=False, digits="Product Price", help="Labour hours at their cost."
    )
    aftersales_date_repaired = fields.Datetime(readonly=True, copy=False)

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

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._aftersales_check_writable(vals, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._aftersales_check_writable(vals)
        res = super().write(vals)
        if "aftersales_damage_reason" in vals:
            self._update_sale_order_line_price()
        if {"aftersales_labour_hours", "aftersales_labour_product_id", "aftersales_damage_reason"} & set(vals):
            self._aftersales_sync_labour_lines()
        return res

    def _aftersales_check_writable(self, vals, creating=False):
        fnames = set(vals)
        denied = fnames & REPAIR_SYSTEM_FIELDS
        if "under_warranty" in fnames and (
            (creating and vals.get("aftersales_ticket_id"))
            or (not creating and any(self.mapped("aftersales_ticket_id")))
        ):
            denied.add("under_warranty")
        if not creating and fnames & REPAIR_OFFICE_FIELDS and not self._aftersales_is_office():
            denied |= fnames & REPAIR_OFFICE_FIELDS
        if denied:
            raise AccessError(
                self.env._(
                    "You cannot change these fields of a repair order: %(fields)s.",
                    fields=", ".join(sorted(self._fields[f]._description_string(self.env) for f in denied)),
                )
            )

    def _aftersales_is_office(self):
        user = self.env.user
        return user.has_group("aftersales_ticket.group_aftersales_user") or user.has_group("stock.group_stock_user")

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
                repair.sudo().aftersales_labour_sale_line_id = line

    def action_aftersales_send_quotation(self):
        """Create the quotation of a chargeable repair and open the e-mail composer."""
        self.ensure_one()
        if self.aftersales_coverage != "chargeable":
            raise UserError(self.env._("Repair %(repair)s is covered: there is nothing to quote.", repair=self.name))
        if not self.sale_order_id:
            # Linking the repair needs the warehouse's field rights on the
            # order: the agent's right to quote is checked on the repair.
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

    def action_repair_done(self):
        self._aftersales_check_approved()
        now = fields.Datetime.now()
        # Parts issued beforehand are picked; the removed and recycled parts
        # leave the unit now.
        self.filtered("aftersales_ticket_id").move_ids.filtered(
            lambda m: m.repair_line_type in ("remove", "recycle") and m.state not in ("done", "cancel")
        ).picked = True
        res = super().action_repair_done()
        ticket_repairs = self.filtered("aftersales_ticket_id")
        by_cost = {}
        for repair in ticket_repairs:
            cost = repair.aftersales_labour_hours * repair.aftersales_labour_product_id.standard_price
            by_cost.setdefault(cost, []).append(repair.id)
        for cost, ids in by_cost.items():
            self.browse(ids).sudo().write({"aftersales_labour_cost": cost, "aftersales_date_repaired": now})
        return res

    def action_aftersales_issue_parts(self):
        """Issue the parts of the repairs from their source location (the
        technician's van by default): lock the stock rows first so that two
        issues of the last unit cannot both succeed, reserve, and refuse with a
        shortage message when anything is missing."""
        self._aftersales_check_approved()
        self.filtered(lambda r: r.state == "draft")._action_repair_confirm()
        moves = self.move_ids.filtered(
            lambda m: m.repair_line_type == "add" and m.state not in ("done", "cancel") and m.product_id.is_storable
        )
        if not moves:
            return True
        moves._aftersales_lock_quants()
        moves._action_assign()
        short = moves.filtered(lambda m: m.product_uom.compare(m.quantity, m.product_uom_qty) < 0)
        if short:
            raise UserError(
                self.env._(
                    "Shortage: these parts are not available at the issuing location: %(parts)s",
                    parts="; ".join(
                        self.env._(
                            "%(product)s at %(location)s for %(repair)s: %(available)s of %(needed)s",
                            product=m.product_id.display_name,
                            location=m.location_id.display_name,
                            repair=m.repair_id.aftersales_ticket_id.display_name or m.repair_id.name,
                            available=m.quantity,
                            needed=m.product_uom_qty,
                        )
                        for m in short
                    ),
                )
            )
        moves.picked = True
        return True
