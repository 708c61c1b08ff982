from odoo.tests import Form, freeze_time, tagged

from ..hooks import post_init_hook
from .common import AftersalesSlaCommon, dt


@tagged("post_install", "-at_install")
class TestTierSelection(AftersalesSlaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.laptop.lst_price = 9000
        cls.printer.lst_price = 900
        cls.rule = cls.env["aftersales.sla.rule"].create(
            {"product_category_id": cls.categ_laptop.id, "min_price": 5000, "tier_id": cls.tier_vip.id}
        )

    @freeze_time("2026-01-12 08:00:00")
    def test_rule_by_category_and_price_in_form(self):
        form = Form(self.Ticket.with_user(self.agent))
        form.name = "Fan noise"
        form.partner_id = self.customer
        form.product_id = self.laptop
        self.assertEqual(form.sla_tier_id, self.tier_vip)
        self.assertIn("Laptops", form.sla_tier_reason)
        form.product_id = self.printer
        self.assertEqual(form.sla_tier_id, self.tier, "cheap printer: company default")
        self.assertEqual(form.sla_tier_reason, "Company default")
        ticket = form.save()
        self.assertEqual(ticket.sla_response_deadline, dt(2026, 1, 12, 16, 0))

    def test_rule_uses_the_price_paid(self):
        """Seed 003: the tier follows what the customer paid, not today's list price."""
        discounted = self.create_ticket(purchase_price=4000)
        self.assertEqual(discounted.sla_tier_id, self.tier, "a laptop bought below 5,000 gets the default tier")
        printer = self.create_ticket(product_id=self.printer.id)
        self.assertEqual(printer.purchase_price, 900, "the price is proposed from the product")
        printer.write({"product_id": self.laptop.id, "purchase_price": 7500})
        self.assertEqual(printer.sla_tier_id, self.tier_vip)

    @freeze_time("2026-01-12 08:00:00")
    def test_changing_the_unit_replans_the_deadlines(self):
        ticket = self.create_ticket(product_id=self.printer.id)
        self.assertEqual(ticket.sla_tier_id, self.tier)
        self.assertEqual(ticket.sla_response_deadline, dt(2026, 1, 12, 16, 0))
        ticket.product_id = self.laptop
        self.assertEqual(ticket.sla_tier_id, self.tier_vip)
        self.assertEqual(ticket.sla_response_deadline, dt(2026, 1, 13, 8, 0), "VIP: 24 h round the clock")

    def test_technician_reads_the_sla_of_a_team_ticket(self):
        ticket = self.create_sla_ticket(technician_id=self.tech_a.id)
        as_technician = ticket.with_user(self.tech_user_a)
        self.assertEqual(as_technician.sla_tier_id.name, "Test Basic")
        self.assertTrue(as_technician.sla_response_deadline)
        self.assertEqual(as_technician.entitlement, "none")


@tagged("post_install", "-at_install")
class TestInstallOnExistingTickets(AftersalesSlaCommon):
    @freeze_time("2026-01-12 08:00:00")
    def test_existing_tickets_get_tier_and_deadlines(self):
        """Installing the addon on a service desk that already has tickets
        gives those tickets a tier, a warranty status and deadlines."""
        ticket = self.create_ticket(product_id=self.printer.id)
        # what a ticket created before the install looks like
        self.env.cr.execute(
            "UPDATE aftersales_ticket SET sla_tier_id = NULL, sla_response_deadline = NULL, "
            "warranty_state = NULL WHERE id = %s",
            [ticket.id],
        )
        ticket.invalidate_recordset()
        self.assertFalse(ticket.sla_tier_id)
        post_init_hook(self.env)
        ticket.invalidate_recordset()
        self.assertEqual(ticket.sla_tier_id, self.tier)
        self.assertTrue(ticket.warranty_state)
        self.assertEqual(ticket.sla_response_deadline, dt(2026, 1, 12, 16, 0))
