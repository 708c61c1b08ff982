from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.aftersales_parts.rights import MANAGER, OFFICE, check_right, has_right
from odoo.addons.aftersales_ticket.write_rules import FACT
from odoo.exceptions import UserError

UNIT_STATES = [
    ("with_customer", "With the customer"),
    ("in_transit", "On its way to the service centre"),
    ("received", "At the service centre"),
    ("shipped_back", "Shipped back to the customer"),
    ("taken_back", "Taken back (三包)"),
]
UNIT_OWN_ROLES = ("receipt", "ship_back", "sanbao_return", "exchange_in")
# Service modes in which the customer's unit comes to the service centre.
UNIT_MODES = ("carry_in", "pickup", "mail_in")


class AftersalesTicket(models.Model):
    """The customer's unit on the ticket: where it is, its receipt into the
    customer units location and its return, through stock pickings."""

    _inherit = "aftersales.ticket"

    service_mode = fields.Selection(selection_add=[("mail_in", "Mail-in")], ondelete={"mail_in": "set default"})
    unit_picking_ids = fields.One2many(
        "stock.picking", "aftersales_ticket_id", string="Unit Transfers", groups="stock.group_stock_user"
    )
    unit_state = fields.Selection(UNIT_STATES, string="Unit", compute="_compute_unit_state")
    unit_location_id = fields.Many2one("stock.location", string="Unit Location", compute="_compute_unit_state")
    unit_tracking_note = fields.Char(string="Unit Tracking", compute="_compute_unit_state")

    @api.depends("lot_id", "partner_id")
    def _compute_purchase_date(self):
        """Core's rule (the delivery to the customer), else the purchase date
        of the unit's verified registration to the same customer."""
        res = super()._compute_purchase_date()
        for ticket in self:
            lot = ticket.lot_id.sudo()
            if (
                not ticket.purchase_date
                and lot.aftersales_purchase_date
                and lot.aftersales_customer_id == ticket.partner_id.commercial_partner_id
            ):
                ticket.purchase_date = lot.aftersales_purchase_date
        return res

    @api.depends("unit_picking_ids.state", "lot_id")
    def _compute_unit_state(self):
        for ticket in self:
            # The transfers of the ticket's own unit (a replacement is another unit).
            pickings = (
                ticket.sudo()
                .unit_picking_ids.filtered(lambda p: p.state != "cancel" and p.aftersales_unit_role in UNIT_OWN_ROLES)
                .sorted("id")
            )
            last = pickings[-1:] if pickings else pickings
            location = ticket._unit_current_location()
            state = "with_customer"
            note = False
            if last.aftersales_unit_role == "receipt":
                state = "received" if last.state == "done" else "in_transit"
            elif last.aftersales_unit_role == "ship_back" and last.state == "done":
                state = "shipped_back"
            elif last.aftersales_unit_role in ("sanbao_return", "exchange_in") and last.state == "done":
                state = "taken_back"
            if last.aftersales_tracking_ref:
                note = self.env._(
                    "%(courier)s tracking %(ref)s",
                    courier=last.aftersales_courier or self.env._("Courier"),
                    ref=last.aftersales_tracking_ref,
                )
            ticket.unit_state = state
            ticket.unit_location_id = location
            ticket.unit_tracking_note = note

    def _unit_fresh_state(self):
        """The unit's state after the transfers just done in this transaction."""
        self.invalidate_recordset(["unit_state", "unit_location_id", "unit_tracking_note"])
        return self.unit_state

    def _unit_current_location(self):
        """Where the ticket's unit is, from the stock: the internal location
        holding its serial, else the customer's."""
        self.ensure_one()
        if not self.lot_id:
            return self.env["stock.location"]
        quant = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [("lot_id", "=", self.lot_id.id), ("quantity", ">", 0), ("location_id.usage", "=", "internal")], limit=1
            )
        )
        return quant.location_id or self.env.ref("stock.stock_location_customers")

    @api.model
    def _field_write_rules(self):
        return {**super()._field_write_rules(), "unit_picking_ids": FACT}

    # ------------------------------------------------------------------
    # Receipt and return of the customer's unit
    # ------------------------------------------------------------------

    def _unit_check(self, action):
        self._unit_check_open(action)
        if not self.lot_id:
            raise UserError(
                self.env._(
                    "%(ticket)s names no serial number: enter the unit's serial first.", ticket=self.display_name
                )
            )

    def _unit_check_open(self, action):
        """The user may do ``action`` (unit logistics) on this open ticket."""
        check_right(self.env, OFFICE, action)
        self.check_access("write")
        self.ensure_one()
        if self.is_closed:
            raise UserError(self.env._("Ticket %(ticket)s is closed: reopen it first.", ticket=self.display_name))

    def _unit_open_receipt(self):
        return self.sudo().unit_picking_ids.filtered(
            lambda p: p.aftersales_unit_role == "receipt" and p.state not in ("done", "cancel")
        )[:1]

    def action_unit_expect(self, courier=None, tracking_ref=None):
        """The unit is on its way (mail-in) or booked for pickup: a receipt
        into the customer units location, ready to be validated on arrival."""
        self._unit_check(self.env._("Receiving a customer's unit"))
        return self._unit_expect(courier, tracking_ref)

    def _unit_expect(self, courier, tracking_ref):
        self.ensure_one()
        if self.service_mode not in UNIT_MODES:
            labels = dict(self._fields["service_mode"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "A %(mode)s ticket does not bring the unit to the service centre.",
                    mode=labels[self.service_mode],
                )
            )
        if self._unit_open_receipt() or self._unit_fresh_state() == "received":
            raise UserError(
                self.env._("The unit of %(ticket)s is already expected or received.", ticket=self.display_name)
            )
        if self.service_mode == "mail_in" and not (tracking_ref or "").strip():
            raise UserError(self.env._("Enter the courier's tracking reference of the parcel."))
        scheduled = fields.Datetime.now()
        if self.service_mode == "pickup":
            tier = self.sudo().sla_tier_id
            if not tier.perk_pickup_delivery and not has_right(self.env, MANAGER):
                raise UserError(
                    self.env._(
                        "Pickup and delivery is a perk of the tiers that include it; tier %(tier)s does not. "
                        "A manager may grant it.",
                        tier=tier.name or "-",
                    )
                )
            # Booked within the tier's promise: by the response deadline.
            scheduled = self.sudo().sla_response_deadline or scheduled
        company = self.company_id.sudo()
        warehouse = self.env["stock.warehouse"].sudo().search([("company_id", "=", company.id)], limit=1)
        source = self.partner_id.sudo().property_stock_customer or self.env.ref("stock.stock_location_customers")
        picking = self._unit_picking(
            warehouse.in_type_id,
            source,
            company._aftersales_customer_unit_location(),
            "receipt",
            courier=courier,
            tracking_ref=tracking_ref,
            scheduled=scheduled,
        )
        self._unit_log(self.env._("Unit expected: receipt %(picking)s.", picking=picking.name), picking)
        return picking

    def _unit_owner(self):
        return self.partner_id.commercial_partner_id

    def _unit_picking(
        self,
        picking_type,
        source,
        destination,
        role,
        *,
        courier=None,
        tracking_ref=None,
        scheduled=None,
        lot=None,
        owner=True,
        product=None,
    ):
        """A confirmed and reserved transfer of one unit: the serial ``lot``
        (the ticket's by default), or any serial of ``product`` from stock."""
        lot = lot if lot is not None else self.lot_id
        product = product or lot.product_id
        picking = (
            self.env["stock.picking"]
            .sudo()
            .create(
                {
                    "picking_type_id": picking_type.id,
                    "partner_id": self.partner_id.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "origin": self.number,
                    "company_id": self.company_id.id,
                    "owner_id": self._unit_owner().id if owner else False,
                    "scheduled_date": scheduled or fields.Datetime.now(),
                    "aftersales_ticket_id": self.id,
                    "aftersales_unit_role": role,
                    "aftersales_courier": courier,
                    "aftersales_tracking_ref": tracking_ref,
                    "move_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": product.id,
                                "product_uom": product.uom_id.id,
                                "product_uom_qty": 1.0,
                                "location_id": source.id,
                                "location_dest_id": destination.id,
                                "restrict_partner_id": self._unit_owner().id if owner else False,
                            },
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        if lot:
            # This very unit, whatever the reservation would choose.
            picking.move_ids.move_line_ids.unlink()
            picking.move_ids.move_line_ids = [
                (
                    0,
                    0,
                    {
                        "product_id": product.id,
                        "lot_id": lot.id,
                        "quantity": 1.0,
                        "owner_id": self._unit_owner().id if owner else False,
                        "picking_id": picking.id,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                    },
                )
            ]
        else:
            picking.action_assign()
        return picking

    def action_unit_receive(self):
        """The unit arrived (or the customer hands it in): the receipt is
        validated; one is made on the spot for a carry-in."""
        self._unit_check(self.env._("Receiving a customer's unit"))
        picking = self._unit_open_receipt() or self._unit_expect(None, None)
        self._unit_validate(picking)
        self._unit_log(
            self.env._(
                "Unit %(serial)s received into %(location)s.",
                serial=self.lot_id.name,
                location=picking.location_dest_id.display_name,
            ),
            picking,
        )
        return True

    def action_unit_ship_back(self, courier=None, tracking_ref=None):
        """Ship the unit back from the customer units location: a delivery
        with its tracking reference, and a notice to the customer."""
        self._unit_check(self.env._("Shipping a customer's unit back"))
        if self._unit_fresh_state() != "received":
            raise UserError(
                self.env._("The unit of %(ticket)s is not at the service centre.", ticket=self.display_name)
            )
        if self.service_mode in ("mail_in", "pickup") and not (tracking_ref or "").strip():
            raise UserError(self.env._("Enter the courier's tracking reference of the parcel."))
        picking = self._unit_hand_back(courier, tracking_ref)
        body = (
            self.env._(
                "Your unit %(serial)s is on its way back to you: %(courier)s, tracking reference %(ref)s.",
                serial=self.lot_id.name,
                courier=courier or "-",
                ref=tracking_ref or "-",
            )
            if tracking_ref
            else self.env._("Your unit %(serial)s is ready: it was handed back to you.", serial=self.lot_id.name)
        )
        self._unit_notify_customer(body)
        return picking

    def _unit_hand_back(self, courier, tracking_ref):
        company = self.company_id.sudo()
        warehouse = self.env["stock.warehouse"].sudo().search([("company_id", "=", company.id)], limit=1)
        destination = self.partner_id.sudo().property_stock_customer or self.env.ref("stock.stock_location_customers")
        picking = self._unit_picking(
            warehouse.out_type_id,
            self._unit_current_location(),
            destination,
            "ship_back",
            courier=courier,
            tracking_ref=tracking_ref,
        )
        self._unit_validate(picking)
        return picking

    def _unit_validate(self, picking):
        """Validate a transfer of the unit with its serial (and owner)."""
        for move in picking.move_ids:
            if not move.move_line_ids:
                raise UserError(
                    self.env._(
                        "%(product)s is not available at %(location)s.",
                        product=move.product_id.display_name,
                        location=move.location_id.display_name,
                    )
                )
            move.move_line_ids.write({"quantity": 1.0, "picked": True})
        picking.move_ids.picked = True
        picking._action_done()

    def _unit_notify_customer(self, body):
        """A message to the customer, or a note when they opted out."""
        for ticket in self:
            if ticket.partner_id and not ticket.partner_id._aftersales_opted_out():
                ticket.sudo().message_post(
                    body=body,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    partner_ids=ticket.partner_id.ids,
                )
            else:
                ticket.sudo()._message_log(body=Markup("<p>%s</p>") % body)

    def _unit_log(self, sentence, picking):
        self.sudo()._message_log(body=Markup("<p>%s</p>") % sentence)

    def action_view_unit_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("aftersales_ticket_id", "=", self.id)]
        action["context"] = {}
        return action

    def _aftersales_check_unit_back(self):
        """A ticket whose unit is still at the service centre cannot close."""
        waiting = self.filtered(lambda t: t._unit_fresh_state() in ("received", "in_transit"))
        if waiting:
            raise UserError(
                self.env._(
                    "The unit of these tickets is still with the service centre: ship it back first. %(tickets)s",
                    tickets=", ".join(waiting.mapped("display_name")),
                )
            )

    def write(self, vals):
        if "stage_id" in vals:
            stage = self.env["aftersales.stage"].browse(vals["stage_id"])
            if stage.is_closed and not stage.is_cancelled:
                self._aftersales_check_unit_back()
            if stage.is_closed:
                self._aftersales_check_loaner_back()
        if "active" in vals and not vals["active"]:
            self._aftersales_check_loaner_back()
        return super().write(vals)

    # ------------------------------------------------------------------
    # Repairs of the received unit, and their report
    # ------------------------------------------------------------------

    def action_create_repair(self):
        """The repair of a received unit works on it where it is: the
        customer units location."""
        action = super().action_create_repair()
        if self._unit_fresh_state() == "received":
            location = self.unit_location_id
            self.env["repair.order"].sudo().browse(action["res_id"]).write(
                {"product_location_src_id": location.id, "product_location_dest_id": location.id}
            )
        return action

    def _aftersales_repair_report(self):
        """What the repair report shows of each repair: coverage, tier ratio,
        parts issued and removed, labour, amounts (zero when covered) and the
        quotation's signature. Read as the system: the report is the ticket's
        and whoever may print the ticket reads it whole."""
        self.ensure_one()
        coverages = dict(self.env["repair.order"]._fields["aftersales_coverage"]._description_selection(self.env))
        result = []
        for repair in self.sudo().repair_ids.filtered(lambda r: r.state != "cancel").sorted("id"):
            chargeable = repair.aftersales_coverage == "chargeable"
            parts, removed = [], []
            for move in repair.move_ids.filtered(lambda m: m.state != "cancel"):
                row = {
                    "product": move.product_id.display_name,
                    "quantity": move.quantity or move.product_uom_qty,
                    "uom": move.product_uom.name,
                    "amount": move.sale_line_id.price_subtotal if chargeable else 0.0,
                }
                if move.repair_line_type == "add":
                    parts.append(row)
                elif move.repair_line_type in ("remove", "recycle"):
                    removed.append(row)
            labour_line = repair.aftersales_labour_sale_line_id
            labour = labour_line.price_subtotal if chargeable and labour_line else 0.0
            order = repair.sale_order_id
            result.append(
                {
                    "repair": repair,
                    "chargeable": chargeable,
                    "coverage": coverages.get(repair.aftersales_coverage, ""),
                    "ratio": f"{self.sudo().sla_tier_id.out_of_warranty_ratio:g} %" if chargeable else False,
                    "tier": self.sudo().sla_tier_id.name,
                    "parts": parts,
                    "removed": removed,
                    "hours": repair.aftersales_labour_hours,
                    "labour": labour,
                    "total": sum(row["amount"] for row in parts) + labour,
                    "currency": order.currency_id or repair.company_id.currency_id,
                    "order": order if order.signature else order.browse(),
                }
            )
        return result
