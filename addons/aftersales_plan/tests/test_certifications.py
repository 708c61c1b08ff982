from datetime import date, datetime

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import AftersalesPlanCommon


@tagged("post_install", "-at_install")
class TestCertifications(AftersalesPlanCommon):
    """Technician B (printers) and C-like colleague A in the Shanghai team:
    B's printer certification expires on 2027-03-31."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Certification = cls.env["aftersales.technician.certification"]
        cls.cert_b = cls.Certification.create(
            {
                "technician_id": cls.tech_b.id,
                "product_category_id": cls.categ_printer.id,
                "date_issued": date(2025, 4, 1),
                "date_expiry": date(2027, 3, 31),
                "score": 88,
            }
        )

    def printer_ticket(self, **vals):
        return self.create_ticket(product_id=self.printer.id, lot_id=self.lot_printer.id, **vals)

    def test_dispatch_boundary_on_expiry_day(self):
        """Valid through its expiry day; from the day after, another technician gets the ticket."""
        for now, expected in (
            ("2027-03-30 10:00:00", self.tech_b),  # the day before
            ("2027-03-31 10:00:00", self.tech_b),  # the expiry day itself
            ("2027-04-01 10:00:00", self.tech_a),  # the day after: B is left out
        ):
            with self.subTest(now=now), freeze_time(now):
                self.assertEqual(self.printer_ticket().technician_id, expected)

    def test_appointment_day_decides(self):
        """A ticket booked for after the expiry is not given to the expired technician."""
        with freeze_time("2027-03-30 10:00:00"):
            ticket = self.printer_ticket(appointment_date=datetime(2027, 4, 1, 2, 0))
            self.assertEqual(ticket.technician_id, self.tech_a)
            ticket = self.printer_ticket(appointment_date=datetime(2027, 3, 31, 2, 0))
            self.assertEqual(ticket.technician_id, self.tech_b)

    def test_renewed_certification_counts(self):
        self.Certification.create(
            {
                "technician_id": self.tech_b.id,
                "product_category_id": self.categ_printer.id,
                "date_issued": date(2027, 3, 15),
                "date_expiry": date(2029, 3, 14),
            }
        )
        with freeze_time("2027-04-01 10:00:00"):
            self.assertEqual(self.printer_ticket().technician_id, self.tech_b)

    def test_expired_only_for_that_product_line(self):
        with freeze_time("2027-04-01 10:00:00"):
            self.tech_b.product_category_ids |= self.categ_laptop
            self.tech_a.available = False
            ticket = self.create_ticket(product_id=self.laptop.id)
            self.assertEqual(ticket.technician_id, self.tech_b, "no laptop certification: judged on skills")

    def test_nobody_certified_waits(self):
        (self.tech_a | self.tech_c).available = False
        with freeze_time("2027-04-01 10:00:00"):
            ticket = self.printer_ticket()
        self.assertFalse(ticket.technician_id)

    def test_renewal_reminder_30_days_before_once(self):
        activities = self.env["mail.activity"]
        domain = [("res_model", "=", self.Certification._name), ("res_id", "=", self.cert_b.id)]
        with freeze_time("2027-02-28 08:00:00"):  # 31 days before
            self.Certification._cron_renewal_reminders()
            self.assertFalse(activities.search(domain))
        with freeze_time("2027-03-01 08:00:00"):  # 30 days before
            self.Certification._cron_renewal_reminders()
            reminder = activities.search(domain)
            self.assertEqual(len(reminder), 1)
            self.assertEqual(reminder.user_id, self.tech_user_b)
            self.assertEqual(reminder.date_deadline, date(2027, 3, 31))
        with freeze_time("2027-03-02 08:00:00"):
            self.Certification._cron_renewal_reminders()
            self.assertEqual(len(activities.search(domain)), 1, "once")
        # Renewed: the new expiry is reminded in its turn.
        self.cert_b.date_expiry = date(2029, 3, 31)
        self.assertFalse(self.cert_b.renewal_reminded)

    def test_is_valid_search(self):
        with freeze_time("2027-04-01 10:00:00"):
            self.assertNotIn(self.cert_b, self.Certification.search([("is_valid", "=", True)]))
            self.assertIn(self.cert_b, self.Certification.search([("is_valid", "=", False)]))
            self.assertFalse(self.cert_b.is_valid)

    def test_dates_and_score_checked(self):
        with self.assertRaises(ValidationError) as caught:
            self.cert_b.date_expiry = date(2024, 1, 1)
        self.assertIn("before it is issued", str(caught.exception))

    def test_only_managers_certify(self):
        with self.assertRaises(AccessError) as caught:
            self.cert_b.with_user(self.tech_user_b).write({"date_expiry": date(2030, 1, 1)})
        self.assertIn("You are not allowed to set these fields", str(caught.exception))
        with self.assertRaises(AccessError) as caught:
            self.cert_b.with_user(self.manager).write({"renewal_reminded": True})
        self.assertIn("are set by the system", str(caught.exception))
        self.cert_b.with_user(self.manager).write({"date_expiry": date(2030, 1, 1)})
        self.assertEqual(self.cert_b.date_expiry, date(2030, 1, 1))
