from odoo.tests import HttpCase, freeze_time, new_test_user, tagged

# Keep in sync with static/tests/tours/aftersales_sla_tour.js.
TIER = "Tour Gold Tier"
CUSTOMER = "Tour SLA Customer"


@tagged("post_install", "-at_install")
class TestSlaUi(HttpCase):
    # A manager's desktop: with every addon of the suite installed, the
    # After-sales menu bar no longer fits in 1366 px and "Reporting" moves
    # into the overflow menu.
    browser_size = "1920x1080"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.manager = new_test_user(
            env,
            login="as_sla_tour_manager",
            groups="aftersales_ticket.group_aftersales_manager",
            name="SLA Tour Manager",
            tz="UTC",
        )
        cls.tier = env["aftersales.sla.tier"].create(
            {
                "name": TIER,
                "resource_calendar_id": env.ref("aftersales_sla.resource_calendar_24x7").id,
                "use_public_holidays": False,
                "response_general_hours": 4.0,
                "resolution_general_hours": 48.0,
            }
        )
        customer = env["res.partner"].create({"name": CUSTOMER, "is_company": True})
        product = env["product.product"].create({"name": "Tour SLA Printer", "is_storable": True})
        contract = env["aftersales.sla.contract"].create(
            {
                "partner_id": customer.id,
                "tier_id": cls.tier.id,
                "product_ids": [(4, product.id)],
                "date_start": "2025-12-01",
                "date_end": "2026-12-31",
            }
        )
        contract.action_activate()
        team = env["aftersales.team"].create({"name": "Tour SLA Team", "auto_dispatch": False})
        accept = env["aftersales.stage"].search([("milestone", "=", "accept")], limit=1)
        cls.tickets = env["aftersales.ticket"]
        for name, answered in (("Tour: answered in time", "09:00"), ("Tour: answered late", "13:00")):
            with freeze_time("2026-01-05 08:00:00"):
                ticket = env["aftersales.ticket"].create(
                    {"name": name, "partner_id": customer.id, "product_id": product.id, "team_id": team.id}
                )
            with freeze_time(f"2026-01-05 {answered}:00"):
                ticket.stage_id = accept
            cls.tickets |= ticket
        cls.contract = contract

    def test_manager_reads_compliance_contract_and_deadlines(self):
        self.assertEqual(self.tickets.sla_contract_id, self.contract)
        self.assertEqual(self.tickets.mapped("sla_response_state"), ["met", "met_late"])
        self.start_tour("/odoo", "aftersales_sla_manager_tour", login=self.manager.login)
