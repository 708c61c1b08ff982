"""The parts kit of a plan: the visit's repair order carries it, and the
technician issues it from the van through aftersales_parts."""

from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from .common import AftersalesPlanCommon


@tagged("post_install", "-at_install")
class TestPartsKit(AftersalesPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        if not cls.company.chart_template:
            env["account.chart.template"].try_loading("generic_coa", company=cls.company, install_demo=False)
        Product = env["product.product"]
        cls.toner = Product.create({"name": "Toner LJ500", "is_storable": True, "list_price": 80.0})
        cls.roller = Product.create({"name": "Pickup roller LJ500", "is_storable": True, "list_price": 20.0})
        warehouse = env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.van_a, cls.van_b = env["stock.location"].create(
            [
                {"name": "Van A", "usage": "internal", "location_id": warehouse.view_location_id.id},
                {"name": "Van B", "usage": "internal", "location_id": warehouse.view_location_id.id},
            ]
        )
        cls.tech_a.van_location_id = cls.van_a
        cls.tech_b.van_location_id = cls.van_b
        for van in cls.van_a | cls.van_b:
            env["stock.quant"]._update_available_quantity(cls.toner, van, 5.0)
            env["stock.quant"]._update_available_quantity(cls.roller, van, 5.0)
        cls.plan.part_ids = [
            Command.create({"product_id": cls.toner.id, "product_qty": 1.0}),
            Command.create({"product_id": cls.roller.id, "product_qty": 2.0}),
        ]

    def van_qty(self, product, van):
        return self.env["stock.quant"]._get_available_quantity(product, van)

    def plan_visit(self):
        with freeze_time("2027-01-06 10:00:00"):
            self.Plan._cron_plan_visits()
        return self.Ticket.search([("maintenance_plan_id", "=", self.plan.id)])

    def test_visit_repair_carries_the_kit_issued_from_the_van(self):
        visit = self.plan_visit()
        self.assertEqual(visit.technician_id, self.tech_b)
        repair = visit.repair_ids
        self.assertEqual(len(repair), 1, "one repair order for the visit")
        self.assertEqual(repair.state, "draft")
        self.assertEqual(
            [(m.product_id, m.product_uom_qty, m.repair_line_type) for m in repair.move_ids],
            [(self.toner, 1.0, "add"), (self.roller, 2.0, "add")],
        )
        self.assertEqual(repair.location_id, self.van_b, "issued from the van of the visit's technician")
        self.assertEqual(repair.move_ids.location_id, self.van_b)
        self.assertEqual(repair.user_id, self.tech_user_b)
        self.assertEqual(repair.aftersales_service_location, "onsite")
        self.assertNotEqual(repair.name, "New", "named from the repair operation type's sequence")
        self.assertEqual(repair.reference_ids.name, repair.name, "its stock reference, as core gives one")
        # Priced as the contract says: covered, free, no quotation to approve.
        self.assertEqual(visit.sla_contract_id, self.contract)
        self.assertEqual(repair.aftersales_coverage, "contract")
        self.assertTrue(repair.under_warranty)
        self.assertEqual(repair.aftersales_approval_state, "not_needed")
        # On the day, the technician issues the kit from the van and ends the repair.
        with freeze_time("2027-01-20 02:00:00"):
            as_tech = repair.with_user(self.tech_user_b)
            as_tech.action_aftersales_issue_parts()
            self.assertEqual(repair.move_ids.mapped("picked"), [True, True])
            as_tech.action_repair_start()
            as_tech.action_repair_end()
        self.assertEqual(repair.state, "done")
        self.assertEqual(set(repair.move_ids.mapped("state")), {"done"}, "stock moves done")
        self.assertEqual(self.van_qty(self.toner, self.van_b), 4.0)
        self.assertEqual(self.van_qty(self.roller, self.van_b), 3.0)
        self.assertEqual(self.van_qty(self.toner, self.van_a), 5.0, "another van is not touched")
        self.assertEqual(visit.settlement_state, "nothing", "covered by the contract: nothing to invoice")

    def test_kit_follows_the_technician_until_issued(self):
        visit = self.plan_visit()
        repair = visit.repair_ids
        visit.with_user(self.agent).technician_id = self.tech_a
        self.assertEqual(repair.location_id, self.van_a, "the new technician issues from their own van")
        self.assertEqual(repair.move_ids.location_id, self.van_a)
        self.assertEqual(repair.user_id, self.tech_user_a)
        with self.assertRaises(AccessError) as caught, self.env.cr.savepoint():
            repair.with_user(self.tech_user_b).action_aftersales_issue_parts()
        self.assertRegex(str(caught.exception), "(?s)doesn't have 'read' access.*Repair Order", "no longer theirs")
        repair.with_user(self.tech_user_a).action_aftersales_issue_parts()
        self.assertEqual(self.van_qty(self.roller, self.van_a), 3.0)
        # Issued: the parts are in the technician's hands, the repair stays where it is.
        visit.with_user(self.agent).technician_id = self.tech_b
        self.assertEqual(repair.location_id, self.van_a)

    def test_plan_without_kit_has_no_repair(self):
        self.plan.part_ids = [Command.clear()]
        self.assertFalse(self.plan_visit().repair_ids)

    def test_kit_takes_goods_only(self):
        service = self.env["product.product"].create({"name": "Cleaning service", "type": "service"})
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            self.plan.with_user(self.agent).part_ids = [Command.create({"product_id": service.id})]
        self.env.invalidate_all()
        self.assertIn("Cleaning service is not a goods product", str(caught.exception))
        self.assertEqual(len(self.plan.part_ids), 2)
