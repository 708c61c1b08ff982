from odoo import api, fields, models
from odoo.addons.aftersales_ticket.write_rules import FACT
from odoo.exceptions import UserError

LOANER_STATES = [("lent", "Lent"), ("returned", "Returned")]
# What the ticket records of its loaner: facts of the stock transfers.
LOANER_FACTS = ("loaner_lot_id", "loaner_state", "loaner_lent_date", "loaner_returned_date")


class AftersalesTicket(models.Model):
    """A company loaner lent to the customer while their unit is repaired:
    delivered from the loaner units location and received back into it by
    stock transfers; the ticket cannot close while it is out."""

    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    loaner_lot_id = fields.Many2one(
        "stock.lot", string="Loaner Serial", readonly=True, copy=False, groups="base.group_user"
    )
    loaner_state = fields.Selection(LOANER_STATES, string="Loaner", readonly=True, copy=False, tracking=True)
    loaner_lent_date = fields.Datetime(string="Loaner Lent Since", readonly=True, copy=False)
    loaner_returned_date = fields.Datetime(string="Loaner Returned On", readonly=True, copy=False)

    @api.model
    def _field_write_rules(self):
        return {**super()._field_write_rules(), **dict.fromkeys(LOANER_FACTS, FACT)}

    def action_loaner_lend(self, lot_id):
        """Lend the loaner serial ``lot_id``, waiting in the company's loaner
        units location, to the ticket's customer: a delivery, validated."""
        self._unit_check_open(self.env._("Lending a loaner unit"))
        if self.loaner_state == "lent":
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s already has loaner %(serial)s out: receive it back first.",
                    ticket=self.display_name,
                    serial=self.sudo().loaner_lot_id.name,
                )
            )
        lot = self.env["stock.lot"].sudo().browse(int(lot_id)).exists()
        if not lot:
            raise UserError(self.env._("Choose the serial number of the loaner to lend."))
        # One lend of a serial at a time, whoever else tries it now.
        lot.lock_for_update(allow_referencing=True)
        other = self.sudo().search([("loaner_lot_id", "=", lot.id), ("loaner_state", "=", "lent")], limit=1)
        if other:
            raise UserError(
                self.env._(
                    "Loaner %(serial)s is already lent on ticket %(ticket)s.",
                    serial=lot.name,
                    ticket=other.display_name,
                )
            )
        location = self.company_id.sudo()._aftersales_loaner_location()
        quant = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("lot_id", "=", lot.id),
                    ("location_id", "=", location.id),
                    ("quantity", ">", 0),
                    ("owner_id", "=", False),
                ],
                limit=1,
            )
        )
        if not quant:
            raise UserError(
                self.env._(
                    "Serial %(serial)s is not in %(location)s: only the company's loaner units may be lent.",
                    serial=lot.name,
                    location=location.display_name or self.env._("Loaner Units"),
                )
            )
        warehouse = self.env["stock.warehouse"].sudo().search([("company_id", "=", self.company_id.id)], limit=1)
        customer = self.partner_id.sudo().property_stock_customer or self.env.ref("stock.stock_location_customers")
        picking = self._unit_picking(
            warehouse.out_type_id, quant.location_id, customer, "loan_out", lot=lot, owner=False
        )
        self._unit_validate(picking)
        self._write_facts(
            {
                "loaner_lot_id": lot.id,
                "loaner_state": "lent",
                "loaner_lent_date": picking.date_done,
                "loaner_returned_date": False,
            }
        )
        self._unit_log(
            self.env._(
                "Loaner %(serial)s lent to the customer: delivery %(picking)s.", serial=lot.name, picking=picking.name
            ),
            picking,
        )
        return picking

    def action_loaner_receive(self):
        """The customer brings the loaner back: a return of its delivery into
        the loaner units location, validated (which marks it returned)."""
        self._unit_check_open(self.env._("Receiving a loaner unit back"))
        if self.loaner_state != "lent":
            raise UserError(self.env._("Ticket %(ticket)s has no loaner out.", ticket=self.display_name))
        ticket = self.sudo()
        lent = ticket.unit_picking_ids.filtered(
            lambda p: (
                p.aftersales_unit_role == "loan_out"
                and p.state == "done"
                and p.move_ids.lot_ids == ticket.loaner_lot_id
            )
        ).sorted("id")[-1:]
        wizard = (
            self.env["stock.return.picking"]
            .sudo()
            .with_context(active_id=lent.id, active_ids=lent.ids, active_model="stock.picking")
            .create({"picking_id": lent.id})
        )
        wizard.product_return_moves.quantity = 1.0
        picking = wizard._create_return()
        location = lent.location_id
        picking.write(
            {
                "location_dest_id": location.id,
                "aftersales_ticket_id": ticket.id,
                "aftersales_unit_role": "loan_back",
            }
        )
        picking.move_ids.location_dest_id = location
        picking.move_ids.move_line_ids.unlink()
        picking.move_ids.move_line_ids = [
            (
                0,
                0,
                {
                    "product_id": ticket.loaner_lot_id.product_id.id,
                    "lot_id": ticket.loaner_lot_id.id,
                    "quantity": 1.0,
                    "picking_id": picking.id,
                    "location_id": picking.location_id.id,
                    "location_dest_id": location.id,
                },
            )
        ]
        self._unit_validate(picking)
        return picking

    @api.model
    def _loaner_returned(self, move_lines):
        """Loaners whose done ``move_lines`` brought them from a customer back
        into a loaner units location are returned on the ticket that lent them."""
        back = move_lines.filtered(
            lambda ml: (
                ml.location_id.usage == "customer"
                and ml.location_dest_id == ml.company_id.sudo().aftersales_loaner_location_id
            )
        )
        if not back:
            return
        tickets = self.sudo().search([("loaner_lot_id", "in", back.lot_id.ids), ("loaner_state", "=", "lent")])
        for ticket in tickets:
            line = back.filtered(lambda ml, t=ticket: ml.lot_id == t.loaner_lot_id)[:1]
            ticket._write_facts({"loaner_state": "returned", "loaner_returned_date": line.date})
            ticket._unit_log(
                self.env._(
                    "Loaner %(serial)s returned into %(location)s: %(picking)s.",
                    serial=line.lot_id.name,
                    location=line.location_dest_id.display_name,
                    picking=line.picking_id.name or "-",
                ),
                line.picking_id,
            )

    def _aftersales_check_loaner_back(self):
        """A ticket whose loaner is still with the customer cannot close."""
        out = self.sudo().filtered(lambda t: t.loaner_state == "lent")
        if out:
            raise UserError(
                self.env._(
                    "A loaner is still with the customer: receive it back before closing the ticket. %(loaners)s",
                    loaners=", ".join(f"{t.display_name}: {t.loaner_lot_id.name}" for t in out),
                )
            )
