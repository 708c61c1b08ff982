from datetime import datetime, timedelta

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import SIGNATURE, AftersalesPartsCommon

MONDAY_10 = datetime(2026, 3, 2, 10, 0, 0)


@tagged("post_install", "-at_install")
class TestChargeableServiceEnd(AftersalesPartsCommon):
    """A chargeable repair accepted Monday 10:00 with its invoice unpaid:
    its service ended then (the follow-ups count from there, see
    aftersales_survey), the technician's capacity no longer counts it, and
    archiving waits for the payment without moving the end of service."""

    def test_accepted_unpaid_repair_ended_its_service(self):
        with freeze_time(MONDAY_10 - timedelta(hours=4)):
            ticket = self.create_parts_ticket()
            repair = self.open_repair(ticket)
            repair.with_user(self.agent).action_aftersales_send_quotation()
            order = repair.sale_order_id
            self.sign(order)
            order.with_user(self.agent).action_confirm()
            repair.with_user(self.clerk).action_aftersales_issue_parts()
            repair.with_user(self.clerk).action_repair_start()
            repair.with_user(self.clerk).action_repair_end()
            ticket.with_user(self.agent).stage_id = self.env.ref("aftersales_ticket.stage_acceptance")
        self.assertEqual(self.tech_a.open_ticket_count, 1, "repaired, not accepted yet: the technician's work")

        with freeze_time(MONDAY_10):
            ticket.with_user(self.portal_user).sudo().action_customer_accept(SIGNATURE, "Li Wei")
            invoice = order.with_user(self.finance)._create_invoices()
            invoice.with_user(self.finance).action_post()
        self.assertEqual(ticket.settlement_state, "invoiced")
        self.assertEqual(ticket.date_service_end, MONDAY_10)
        self.tech_a.invalidate_recordset(["open_ticket_count"])
        self.assertEqual(self.tech_a.open_ticket_count, 0, "accepted: only the payment is waited for")

        archive = self.env.ref("aftersales_ticket.stage_archive")
        with self.refused(UserError, "repair fees open"):
            ticket.with_user(self.manager).stage_id = archive
        self.env["account.payment.register"].with_user(self.finance).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        ticket.invalidate_recordset(["settlement_state"])
        self.assertEqual(ticket.settlement_state, "paid")
        with freeze_time(MONDAY_10 + timedelta(days=9)):
            ticket.with_user(self.manager).stage_id = archive
        self.assertTrue(ticket.is_closed)
        self.assertEqual(ticket.date_service_end, MONDAY_10, "archiving after payment does not end it again")
