from odoo.tests import HttpCase, tagged

from .common import AftersalesUnitCommon

REPORT = "aftersales_ticket.report_aftersales_ticket"


@tagged("post_install", "-at_install")
class TestRepairReport(AftersalesUnitCommon, HttpCase):
    """Must show 5: a chargeable repair's report lists parts, labour, tier
    ratio and amounts; a warranty repair's shows "covered" with zero amounts."""

    def render(self, ticket):
        html, _type = self.env["ir.actions.report"]._render_qweb_html(REPORT, ticket.ids)
        return html.decode()

    def repaired(self, ticket):
        repair = self.open_repair(ticket)
        if repair.aftersales_coverage == "chargeable":
            repair.with_user(self.agent).action_aftersales_send_quotation()
            self.sign(repair.sale_order_id)
            repair.sale_order_id.action_confirm()
        repair.write(
            {
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.part.id,
                            "product_uom_qty": 1.0,
                            "repair_line_type": "remove",
                            "location_dest_id": self.quarantine.id,
                        },
                    )
                ]
            }
        )
        repair.with_user(self.clerk).action_aftersales_issue_parts()
        repair.with_user(self.clerk).action_repair_start()
        repair.with_user(self.clerk).action_repair_end()
        return repair

    def test_chargeable_repair_lists_parts_labour_ratio_and_amounts(self):
        ticket = self.create_parts_ticket()
        repair = self.repaired(ticket)
        self.assertEqual(repair.aftersales_coverage, "chargeable")
        html = self.render(ticket)
        self.assertIn(repair.name, html)
        self.assertIn("Chargeable", html)
        self.assertIn("70 %", html, "the tier's out-of-warranty ratio")
        self.assertIn("Part issued:", html)
        self.assertIn("Part removed:", html)
        self.assertIn("Screen panel 14", html)
        self.assertRegex(html, r"70\.00")
        self.assertRegex(html, r"35\.00")
        self.assertRegex(html, r'o_aftersales_total">\s*<span[^>]*>[^<]*<span class="oe_currency_value">105\.00')
        self.assertIn("signed by", html)
        self.assertNotIn("Covered: nothing to pay.", html)

    def test_warranty_repair_shows_covered_with_zero_amounts(self):
        ticket = self.create_parts_ticket(in_warranty=True)
        repair = self.repaired(ticket)
        self.assertEqual(repair.aftersales_coverage, "warranty")
        html = self.render(ticket)
        self.assertIn("Covered: nothing to pay.", html)
        self.assertIn("Standard warranty", html)
        self.assertNotIn("70.00", html)
        self.assertRegex(html, r'o_aftersales_total">\s*<span[^>]*>[^<]*<span class="oe_currency_value">0\.00')

    def test_pdf_renders(self):
        ticket = self.create_parts_ticket()
        self.repaired(ticket)
        pdf, report_type = (
            self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(REPORT, ticket.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
