from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import FACT
from odoo.exceptions import UserError

from ..rights import BILLING, check_right

SETTLEMENT_STATES = [
    ("nothing", "Nothing to invoice"),
    ("to_quote", "To quote"),
    ("awaiting_approval", "Awaiting approval"),
    ("to_invoice", "To invoice"),
    ("invoiced", "Invoiced"),
    ("paid", "Paid"),
    ("waived", "Waived by finance"),
]
OPEN_SETTLEMENTS = ("to_quote", "awaiting_approval", "to_invoice", "invoiced")


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    repair_ids = fields.One2many(
        "repair.order", "aftersales_ticket_id", string="Repair Orders", groups="base.group_user"
    )
    repair_count = fields.Integer(compute="_compute_repair_count")
    aftersales_sale_order_ids = fields.One2many("sale.order", "aftersales_ticket_id", string="Quotations")
    part_return_ids = fields.One2many(
        "aftersales.part.return", "ticket_id", string="Returned Parts", groups="base.group_user"
    )
    settlement_state = fields.Selection(
        SETTLEMENT_STATES,
        string="Settlement",
        compute="_compute_settlement_state",
        help="Where the repair fees of the ticket stand, from its repair orders, quotations and invoices.",
    )
    aftersales_parts_state = fields.Selection(
        [("waiting", "Waiting for parts"), ("ready", "Parts ready")],
        string="Parts Status",
        compute="_compute_aftersales_parts_state",
        help="Whether the parts of the open repairs are all reserved for them (ready) or some wait for stock.",
    )
    settlement_waived = fields.Boolean(
        string="Fees Waived",
        readonly=True,
        copy=False,
        help="Finance waived the open repair fees: the ticket may be archived.",
    )
    aftersales_inspection_order_id = fields.Many2one(
        "sale.order",
        string="Inspection Fee Order",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The order of the inspection fee charged when a quotation was refused: one per ticket.",
    )

    @api.depends("repair_ids")
    def _compute_repair_count(self):
        counts = dict(
            self.env["repair.order"]._read_group(
                [("aftersales_ticket_id", "in", self.ids)], ["aftersales_ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.repair_count = counts.get(ticket, 0)

    @api.depends("repair_ids.state", "repair_ids.move_ids.state")
    def _compute_aftersales_parts_state(self):
        for ticket in self:
            moves = (
                ticket.sudo()
                .repair_ids.filtered(lambda r: r.state in ("confirmed", "under_repair"))
                .move_ids.filtered(
                    lambda m: (
                        m.repair_line_type == "add"
                        and m.product_id.is_storable
                        and m.state not in ("draft", "done", "cancel")
                    )
                )
            )
            if not moves:
                ticket.aftersales_parts_state = False
            elif all(m.state == "assigned" for m in moves):
                ticket.aftersales_parts_state = "ready"
            else:
                ticket.aftersales_parts_state = "waiting"

    @api.depends(
        "settlement_waived",
        "repair_ids.state",
        "repair_ids.aftersales_coverage",
        "repair_ids.sale_order_id",
        "aftersales_sale_order_ids.state",
        "aftersales_sale_order_ids.invoice_status",
    )
    def _compute_settlement_state(self):
        for ticket in self:
            ticket.settlement_state = ticket._aftersales_settlement()

    def _aftersales_settlement(self):
        self.ensure_one()
        repairs = self.sudo().repair_ids.filtered(lambda r: r.state != "cancel")
        orders = self.sudo().aftersales_sale_order_ids.filtered(lambda o: o.state != "cancel")
        if self.settlement_waived:
            state = "waived"
        elif any(r.aftersales_coverage == "chargeable" and not r.sale_order_id for r in repairs):
            state = "to_quote"
        elif not orders:
            state = "nothing"
        elif any(o.state in ("draft", "sent") for o in orders):
            state = "awaiting_approval"
        elif any(o.invoice_status != "invoiced" for o in orders):
            state = "to_invoice"
        else:
            invoices = orders.invoice_ids.filtered(lambda m: m.state == "posted" and m.move_type == "out_invoice")
            paid = invoices and all(m.payment_state in ("paid", "in_payment", "reversed") for m in invoices)
            state = "paid" if paid else "invoiced"
        return state

    @api.model
    def _field_write_rules(self):
        # Repairs, quotations and returns are opened by their own actions;
        # finance waives the fees with the ticket's button (sudo after its check).
        return {
            **super()._field_write_rules(),
            "repair_ids": FACT,
            "aftersales_sale_order_ids": FACT,
            "part_return_ids": FACT,
            "settlement_waived": FACT,
            "aftersales_inspection_order_id": FACT,
        }

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def write(self, vals):
        archiving = vals.get("active") is False
        if "stage_id" in vals:
            stage = self.env["aftersales.stage"].browse(vals["stage_id"])
            archiving = archiving or stage.milestone == "archive"
        if archiving:
            self._aftersales_check_settled()
        return super().write(vals)

    def _aftersales_check_settled(self):
        open_tickets = self.filtered(lambda t: t.settlement_state in OPEN_SETTLEMENTS)
        if open_tickets:
            labels = dict(self._fields["settlement_state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "These tickets still have repair fees open and cannot be archived until they are settled or "
                    "finance waives them: %(tickets)s",
                    tickets=", ".join(f"{t.display_name} ({labels[t.settlement_state]})" for t in open_tickets),
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_create_repair(self):
        """Open a repair order for the ticket's unit, issuing parts from the
        technician's van when they have one."""
        self.ensure_one()
        if self.is_closed:
            raise UserError(self.env._("Ticket %(ticket)s is closed: reopen it first.", ticket=self.display_name))
        vals = self._aftersales_repair_values()
        vals["user_id"] = vals["user_id"] or self.env.uid
        # The ticket's facts (its unit, customer) are copied as they are: our
        # check is the user's right to work on the ticket and open repairs.
        self.check_access("write")
        self.env["repair.order"].check_access("create")
        repair = self.env["repair.order"]._create_facts([vals])
        return {
            "type": "ir.actions.act_window",
            "res_model": "repair.order",
            "view_mode": "form",
            "res_id": repair.id,
        }

    def _aftersales_repair_values(self):
        """The values of a new repair order of the ticket: its customer and
        unit, on site or in the workshop, for its technician, whose van the
        parts are issued from when they have one."""
        self.ensure_one()
        vals = {
            "aftersales_ticket_id": self.id,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "aftersales_service_location": "onsite" if self.service_mode == "on_site" else "workshop",
            "user_id": self.user_id.id,
            "internal_notes": self.description,
        }
        if self.product_id.type == "consu":
            vals["product_id"] = self.product_id.id
            vals["lot_id"] = self.lot_id.id
        van = self.technician_id.van_location_id
        if van:
            vals["location_id"] = van.id
        return vals

    def action_view_repairs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("repair.action_repair_order_tree")
        action["domain"] = [("aftersales_ticket_id", "=", self.id)]
        action["context"] = {"default_aftersales_ticket_id": self.id, "default_partner_id": self.partner_id.id}
        return action

    def action_view_part_returns(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_parts.aftersales_part_return_action")
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_waive_settlement(self):
        check_right(self.env, BILLING, self.env._("Waiving repair fees"))
        for ticket in self:
            ticket.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Repair fees waived by %(user)s (settlement was: %(state)s).",
                    user=self.env.user.name,
                    state=dict(self._fields["settlement_state"]._description_selection(self.env))[
                        ticket.settlement_state
                    ],
                ),
                subtype_xmlid="mail.mt_note",
            )
        self._write_facts({"settlement_waived": True})
        return True

    def _aftersales_log(self, body):
        """A note on the ticket's chatter, written as the system."""
        for ticket in self:
            ticket.sudo()._message_log(body=Markup("<p>%s</p>") % body)
