from odoo import http
from odoo.tests import HttpCase, tagged

from .common import PROOF_PDF, AftersalesUnitCommon


class UnitPortalCase(AftersalesUnitCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.sell(cls.lot_laptop, cls.d(2026, 1, 10), extended=True, invoice_day=cls.d(2026, 1, 11))
        cls.sell(cls.lot_stock, cls.d(2026, 1, 10), customer=cls.other_customer)

    def post(self, url, data, files=None):
        payload = {"csrf_token": http.Request.csrf_token(self), **data}
        return self.url_open(url, data=payload, files=files, allow_redirects=False)


@tagged("post_install", "-at_install")
class TestUnitPortal(UnitPortalCase):
    def test_my_products_reads_the_warranty_and_hides_other_customers_serials(self):
        self.authenticate("as_customer", "as_customer")
        with self.at(2026, 6, 1):
            page = self.url_open("/my/products")
            self.assertEqual(page.status_code, 200)
            self.assertIn("PB14-0001", page.text)
            self.assertIn("Extended warranty until 2028-01-10", page.text)
            self.assertNotIn("PB14-0100", page.text, "another customer's serial is invisible")
            unit = self.url_open(f"/my/products/{self.lot_laptop.id}")
            self.assertIn("Extended warranty until 2028-01-10", unit.text)
            other = self.url_open(f"/my/products/{self.lot_stock.id}", allow_redirects=False)
            self.assertEqual(other.status_code, 303)
            self.assertNotIn("PB14-0100", other.text)
            home = self.url_open("/my/home")
            self.assertIn("/my/products", home.text)

    def test_register_on_the_portal_with_proof(self):
        self.authenticate("as_customer", "as_customer")
        response = self.post(
            "/my/products/register",
            {"serial": "PB14-0002", "purchase_date": "2026-03-01"},
            files={"proof": ("invoice.pdf", PROOF_PDF, "application/pdf")},
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertIn("/my/products?message=pending", response.headers["Location"])
        registration = self.Registration.search([("lot_id", "=", self.lot_laptop_2.id)])
        self.assertEqual((registration.state, registration.partner_id), ("pending", self.customer_contact))
        self.assertEqual(len(registration.proof_attachment_ids), 1)
        page = self.url_open("/my/products")
        self.assertIn(registration.name, page.text)
        self.assertIn("Pending verification", page.text)

        again = self.post(
            "/my/products/register",
            {"serial": "PB14-0002", "purchase_date": "2026-03-01"},
            files={"proof": ("invoice.pdf", PROOF_PDF, "application/pdf")},
        )
        self.assertEqual(again.status_code, 200)
        self.assertIn("already registered to you", again.text)
        foreign = self.post(
            "/my/products/register",
            {"serial": "PB14-0100", "purchase_date": "2026-01-10"},
            files={"proof": ("invoice.pdf", PROOF_PDF, "application/pdf")},
        )
        self.assertIn("belongs to another customer", foreign.text)
        self.assertNotIn("Beta Retail", foreign.text)
        no_proof = self.post("/my/products/register", {"serial": "PB14-0101", "purchase_date": "2026-01-10"})
        self.assertIn("Attach the proof of purchase", no_proof.text)
        self.assertEqual(self.Registration.search_count([]), 1, "refused registrations leave nothing behind")

    def test_mail_in_ticket_from_my_products(self):
        self.authenticate("as_customer", "as_customer")
        response = self.post(
            f"/my/products/{self.lot_laptop.id}/ticket",
            {
                "name": "Screen flickers",
                "description": "Since yesterday",
                "courier": "SF Express",
                "tracking_ref": "SF555",
            },
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        ticket = self.Ticket.search([("name", "=", "Screen flickers")])
        self.assertEqual(
            (ticket.service_mode, ticket.lot_id, ticket.partner_id), ("mail_in", self.lot_laptop, self.customer_contact)
        )
        self.assertEqual(ticket.unit_state, "in_transit")
        self.assertEqual(ticket.unit_tracking_note, "SF Express tracking SF555")
        page = self.url_open(f"/my/tickets/{ticket.id}")
        self.assertIn("On its way to the service centre", page.text)
        self.assertIn("SF Express tracking SF555", page.text)
        ticket.with_user(self.agent).action_unit_receive()
        self.assertEqual(ticket.unit_state, "received")

    def test_repair_report_on_the_portal(self):
        ticket = self.create_parts_ticket(in_warranty=True)
        self.open_repair(ticket)
        self.authenticate("as_customer", "as_customer")
        page = self.url_open(f"/my/tickets/{ticket.id}")
        self.assertIn("o_aftersales_repair_report", page.text)
        report = self.url_open(f"/my/tickets/{ticket.id}?report_type=html")
        self.assertEqual(report.status_code, 200)
        self.assertIn("Covered: nothing to pay.", report.text)
        self.assertIn("Screen panel 14", report.text)
