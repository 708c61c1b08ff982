from datetime import datetime, timedelta

from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestBadInput(AftersalesCommon):
    def test_appointment_in_the_past(self):
        with freeze_time("2026-03-02 09:00:00"):
            count = self.Ticket.search_count([])
            # the savepoint plays the part of the request's transaction
            with self.assertRaisesRegex(ValidationError, "in the past"), self.env.cr.savepoint():
                self.create_ticket(appointment_date=datetime(2026, 3, 1, 9, 0))
            self.assertEqual(self.Ticket.search_count([]), count, "nothing is written")
            ticket = self.create_ticket(appointment_date=datetime(2026, 3, 3, 9, 0))
            with self.assertRaisesRegex(ValidationError, "in the past"), self.env.cr.savepoint():
                ticket.appointment_date = datetime(2026, 3, 2, 8, 0)
            ticket.invalidate_recordset()
            self.assertEqual(ticket.appointment_date, datetime(2026, 3, 3, 9, 0))

    def test_serial_of_another_product(self):
        count = self.Ticket.search_count([])
        with self.assertRaisesRegex(ValidationError, "PB14-0001 belongs to"), self.env.cr.savepoint():
            self.create_ticket(product_id=self.printer.id, lot_id=self.lot_laptop.id)
        self.assertEqual(self.Ticket.search_count([]), count, "nothing is written")
        ticket = self.create_ticket(lot_id=self.lot_laptop.id)
        with self.assertRaisesRegex(ValidationError, "PB14-0001 belongs to"), self.env.cr.savepoint():
            ticket.product_id = self.printer
        ticket.invalidate_recordset()
        self.assertEqual(ticket.product_id, self.laptop)

    def test_negative_estimate(self):
        with self.assertRaises(ValidationError) as caught:
            self.create_ticket(estimated_hours=-2)
        self.assertRegex(str(caught.exception), "Estimated hours cannot be negative")

    def test_purchase_date_from_delivery(self):
        with freeze_time("2026-01-15 10:00:00"):
            self.deliver(self.lot_laptop, self.customer_contact)
        with freeze_time(datetime(2026, 1, 15) + timedelta(days=40)):
            ticket = self.create_ticket(lot_id=self.lot_laptop.id)
        self.assertEqual(str(ticket.purchase_date), "2026-01-15")
