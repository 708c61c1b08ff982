from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import AftersalesCommon, signature_png


@tagged("post_install", "-at_install")
class TestReport(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.report = cls.env.ref("aftersales_ticket.aftersales_ticket_report_action")
        cls.ticket = cls.create_ticket(
            name="Laptop does not power on",
            partner_id=cls.customer_contact.id,
            lot_id=cls.lot_laptop.id,
            technician_id=cls.tech_a.id,
            description="<p>No light when the power button is pressed.</p>",
            diagnosis="<p>Burned DC-in board.</p>",
            solution="<p>Replaced the DC-in board and ran a burn-in test.</p>",
        )
        cls.ticket.write({"stage_id": cls.stage["acceptance"].id})
        cls.signature = signature_png()
        cls.ticket.action_customer_accept(signature=cls.signature, signed_by="Li Wei (IT)")

    def _render(self, tickets):
        html, report_format = self.env["ir.actions.report"]._render_qweb_html(self.report.report_name, tickets.ids)
        self.assertEqual(report_format, "html")
        return html.decode()

    def test_report_action(self):
        self.assertEqual(self.report.model, "aftersales.ticket")
        self.assertEqual(self.report.report_type, "qweb-pdf")
        self.assertEqual(self.report.binding_model_id.model, "aftersales.ticket", "printable from the ticket")
        filename = safe_eval(self.report.print_report_name, {"object": self.ticket})
        self.assertIn(self.ticket.number, filename)

    def test_report_content(self):
        html = self._render(self.ticket)
        for expected in (
            self.ticket.number,
            "Laptop does not power on",
            "Acme Trading",
            "Li Wei",
            "ProBook 14",
            "PB14-0001",
            "Burned DC-in board.",
            "Replaced the DC-in board",
            self.tech_a.name,
            self.team_sh.name,
            "Li Wei (IT)",
        ):
            self.assertIn(expected, html)
        self.assertIn(f"base64,{self.signature.decode()}", html, "the customer's signature is printed")

    def test_report_unassigned_ticket(self):
        """A ticket without technician nor signature still prints."""
        self.team_hz.auto_dispatch = False
        ticket = self.create_ticket(name="Printer jams", team_id=self.team_hz.id, product_id=self.printer.id)
        html = self._render(ticket)
        self.assertIn(ticket.number, html)
        self.assertIn("Not assigned", html)
        self.assertNotIn("Signature:", html)
