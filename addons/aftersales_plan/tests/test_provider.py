from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import AftersalesProviderCommon


@tagged("post_install", "-at_install")
class TestProvider(AftersalesProviderCommon):
    def test_subcontracted_ticket_belongs_to_the_centre(self):
        ticket = self.subcontracted_ticket()
        self.assertEqual(ticket.provider_partner_id, self.centre)
        self.assertFalse(ticket.technician_id)
        self.assertIn("Subcontracted to service centre Fixit Services", ticket.message_ids[0].body)
        # The centre's user reads it (RPC read = with_user), another centre's does not.
        self.assertEqual(ticket.with_user(self.centre_user).read(["name"])[0]["name"], ticket.name)
        self.assertEqual(self.Ticket.with_user(self.centre_user).search([]), ticket)
        with self.assertRaises(AccessError) as caught:
            ticket.with_user(self.other_centre_user).read(["name"])
        self.assertIn("aftersales.ticket", str(caught.exception))
        self.assertFalse(self.Ticket.with_user(self.other_centre_user).search([("id", "=", ticket.id)]))

    def test_portal_users_cannot_write_directly(self):
        ticket = self.subcontracted_ticket()
        with self.assertRaises(AccessError) as caught:
            ticket.with_user(self.centre_user).write({"diagnosis": "<p>Fuser worn</p>"})
        self.assertIn("aftersales.ticket", str(caught.exception))

    def test_subcontract_needs_a_centre(self):
        ticket = self.create_ticket()
        with self.assertRaises(UserError) as caught:
            ticket.with_user(self.agent).action_subcontract(self.team_hz)
        self.assertIn("is not a partner service centre", str(caught.exception))

    def test_centre_update_then_locked(self):
        ticket = self.subcontracted_ticket()
        ticket.with_user(self.centre_user)._provider_update(
            {"diagnosis": "<p>Fuser worn</p>", "provider_parts_used": "Fuser unit x1", "stage_id": 1}, done=True
        )
        self.assertIn("Fuser worn", ticket.diagnosis)
        self.assertEqual(ticket.provider_parts_used, "Fuser unit x1")
        self.assertTrue(ticket.provider_done_date)
        self.assertEqual(ticket.stage_id, self.env.ref("aftersales_ticket.stage_acceptance"))
        with self.assertRaises(UserError) as caught:
            ticket.with_user(self.centre_user)._provider_update({"diagnosis": "<p>other</p>"})
        self.assertIn("already reported done", str(caught.exception))

    def test_monthly_vendor_bill_at_the_agreed_rate(self):
        with freeze_time("2027-01-15 10:00:00"):
            january = self.subcontracted_ticket() | self.subcontracted_ticket() | self.subcontracted_ticket()
            for ticket in january:
                ticket.with_user(self.centre_user)._provider_update({}, done=True)
            other_centre = self.subcontracted_ticket(team=self.team_other)
            other_centre.with_user(self.other_centre_user)._provider_update({}, done=True)
            not_done = self.subcontracted_ticket()
        with freeze_time("2027-02-01 09:00:00"):
            february = self.subcontracted_ticket()
            february.with_user(self.centre_user)._provider_update({}, done=True)
            action = self.team_fixit.with_user(self.buyer).action_provider_settle_last_month()
            bill = self.env["account.move"].search(action["domain"])
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.partner_id, self.centre)
        self.assertEqual(bill.amount_untaxed, 600.0, "three tickets at 200")
        self.assertEqual(len(bill.invoice_line_ids), 3)
        self.assertEqual(january.provider_po_line_id.order_id.state, "purchase")
        self.assertEqual(bill.invoice_line_ids.purchase_line_id, january.provider_po_line_id)
        self.assertFalse((other_centre | not_done | february).provider_po_line_id)
        with freeze_time("2027-02-01 09:00:00"), self.assertRaises(UserError) as caught:
            self.team_fixit.with_user(self.buyer).action_provider_settle_last_month()
        self.assertIn("left to settle", str(caught.exception))

    def test_settlement_needs_purchase_rights(self):
        with freeze_time("2027-01-15 10:00:00"):
            ticket = self.subcontracted_ticket()
            ticket.with_user(self.centre_user)._provider_update({}, done=True)
        with freeze_time("2027-02-01 09:00:00"), self.assertRaises(AccessError) as caught:
            self.team_fixit.with_user(self.agent).action_provider_settle_last_month()
        self.assertIn("right to create purchase orders", str(caught.exception))
        self.assertFalse(ticket.provider_po_line_id)
