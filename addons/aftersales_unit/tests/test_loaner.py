from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AftersalesUnitCommon


@tagged("post_install", "-at_install")
class TestLoaner(AftersalesUnitCommon):
    """A loaner lent from the company's loaner units location must come back
    before the ticket closes; lent and returned through stock transfers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sell(cls.lot_laptop, cls.d(2026, 1, 10))
        cls.loaners = cls.company._aftersales_loaner_location()
        cls.lot_loaner = cls.env["stock.lot"].create({"name": "LOAN-0001", "product_id": cls.laptop.id})
        cls.env["stock.quant"]._update_available_quantity(cls.laptop, cls.loaners, 1.0, lot_id=cls.lot_loaner)
        cls.closed = cls.env["aftersales.stage"].search(
            [("is_closed", "=", True), ("is_cancelled", "=", False)], limit=1
        )
        cls.cancelled = cls.env["aftersales.stage"].search([("is_cancelled", "=", True)], limit=1)
        cls.customers = cls.env.ref("stock.stock_location_customers")

    def ticket(self):
        # A consultation closes without the customer's acceptance: the loaner is the only rule at play.
        return self.create_ticket(lot_id=self.lot_laptop.id, service_mode="carry_in", category="consultation")

    def loaner_quant(self):
        return self.env["stock.quant"].search([("lot_id", "=", self.lot_loaner.id), ("quantity", ">", 0)])

    def test_lend_close_refused_return_close(self):
        ticket = self.ticket()
        value = self.company_value()
        picking = ticket.with_user(self.agent).action_loaner_lend(self.lot_loaner.id)
        self.assertEqual((picking.state, picking.aftersales_unit_role), ("done", "loan_out"))
        self.assertEqual((picking.location_id, picking.partner_id), (self.loaners, self.customer))
        self.assertEqual(
            (ticket.loaner_lot_id, ticket.loaner_state, ticket.loaner_lent_date),
            (self.lot_loaner, "lent", picking.date_done),
        )
        quant = self.loaner_quant()
        self.assertEqual((quant.location_id, quant.owner_id), (self.customers, self.env["res.partner"]))
        # Stock's own rule: goods at a customer are no longer the company's stock value.
        self.assertEqual(self.company_value(), value - 600.0)
        self.assertFalse(self.lot_loaner.aftersales_customer_id, "a loaner is not sold to the customer")
        self.assertEqual(ticket.unit_state, "with_customer", "the loaner is not the customer's unit")

        for path in (
            lambda: ticket.with_user(self.agent).write({"stage_id": self.closed.id}),
            lambda: ticket.sudo().write({"stage_id": self.cancelled.id}),
            lambda: ticket.with_user(self.agent).action_archive(),
        ):
            with self.refused(UserError, "LOAN-0001"):
                path()
            self.assertFalse(ticket.is_closed)
            self.assertTrue(ticket.active)

        back = ticket.with_user(self.agent).action_loaner_receive()
        self.assertEqual((back.state, back.aftersales_unit_role), ("done", "loan_back"))
        self.assertEqual(back.move_ids.origin_returned_move_id, picking.move_ids, "a stock return of the loan")
        self.assertEqual(ticket.loaner_state, "returned")
        # The moment stock moved the unit back (its move line's date; the
        # picking's date_done is stamped after its moves, a second later under load).
        self.assertEqual(ticket.loaner_returned_date, back.move_line_ids.date)
        self.assertLessEqual(back.date_done - ticket.loaner_returned_date, timedelta(seconds=5))
        quant = self.loaner_quant()
        self.assertEqual((quant.location_id, quant.quantity), (self.loaners, 1.0))
        self.assertEqual(self.company_value(), value, "the loaner is company stock again")
        self.assertFalse(self.lot_loaner.aftersales_customer_id)

        ticket.with_user(self.agent).write({"stage_id": self.closed.id})
        self.assertTrue(ticket.is_closed)

    def test_return_validated_in_inventory_marks_it_returned(self):
        """A stock user validating the return in Inventory counts too."""
        ticket = self.ticket()
        picking = ticket.with_user(self.agent).action_loaner_lend(self.lot_loaner.id)
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_ids=picking.ids, active_model="stock.picking")
            .create({"picking_id": picking.id})
        )
        wizard.product_return_moves.quantity = 1.0
        back = wizard._create_return()
        back.location_dest_id = self.loaners
        back.move_ids.location_dest_id = self.loaners
        back.move_ids.move_line_ids.unlink()
        back.move_ids.move_line_ids = [
            (
                0,
                0,
                {
                    "product_id": self.laptop.id,
                    "lot_id": self.lot_loaner.id,
                    "quantity": 1.0,
                    "picking_id": back.id,
                    "location_id": back.location_id.id,
                    "location_dest_id": self.loaners.id,
                },
            )
        ]
        back.move_ids.picked = True
        back.button_validate()
        self.assertEqual(ticket.loaner_state, "returned")

    def test_technician_and_portal_cannot_lend(self):
        ticket = self.ticket()
        for user in (self.tech_user_a, self.portal_user):
            with self.subTest(user=user.login), self.refused(AccessError, "Lending a loaner unit needs one of these"):
                ticket.with_user(user).action_loaner_lend(self.lot_loaner.id)
        self.assertFalse(ticket.loaner_state)
        self.assertEqual(self.loaner_quant().location_id, self.loaners)

    def test_loaner_lent_once(self):
        ticket = self.ticket()
        ticket.with_user(self.agent).action_loaner_lend(self.lot_loaner.id)
        other = self.create_ticket(partner_id=self.other_customer.id, category="consultation")
        with self.refused(UserError, r"Loaner LOAN-0001 is already lent on ticket"):
            other.with_user(self.agent).action_loaner_lend(self.lot_loaner.id)
        with self.refused(UserError, "already has loaner LOAN-0001 out"):
            ticket.with_user(self.agent).action_loaner_lend(self.lot_loaner.id)
        self.assertFalse(other.loaner_state)
        self.assertEqual(len(ticket.sudo().unit_picking_ids), 1)

    def test_only_loaner_stock_is_lent(self):
        ticket = self.ticket()
        with self.refused(UserError, "Serial PB14-0100 is not in"):
            ticket.with_user(self.agent).action_loaner_lend(self.lot_stock.id)
        with self.refused(UserError, "has no loaner out"):
            ticket.with_user(self.agent).action_loaner_receive()
        self.assertFalse(ticket.sudo().unit_picking_ids)
