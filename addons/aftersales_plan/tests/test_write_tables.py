from odoo.addons.aftersales_ticket.tests.test_security import NOBODY, OPEN, WriteTableMixin
from odoo.addons.aftersales_ticket.tests.test_team_write_table import TeamWriteTableMixin
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AftersalesPlanCommon, AftersalesProviderCommon

# Stored ticket fields added by aftersales_plan: (portal, technician, agent).
PLAN_TICKET_FIELDS = {
    "maintenance_plan_id": NOBODY,
    "maintenance_visit_date": NOBODY,
    "maintenance_check_ids": OPEN,
    "provider_partner_id": NOBODY,
    "provider_parts_used": OPEN,
    "provider_done_date": NOBODY,
    "provider_po_line_id": NOBODY,
}
PLAN_MODELS = {
    "aftersales.maintenance.plan": {
        "system": {
            "company_id",
            "partner_id",
            "visits_planned",
            "next_visit_date",
            "next_create_date",
            "state",
            "contract_id",
            "visit_ids",
        },
    },
    "aftersales.ticket.check": {
        "system": {"ticket_id", "company_id", "sequence", "name", "checked_by_id", "date_checked"}
    },
    "aftersales.technician.certification": {"system": {"company_id", "renewal_reminded"}},
}
MAGIC = {"id", "create_uid", "create_date", "write_uid", "write_date", "display_name"}


@tagged("post_install", "-at_install")
class TestPlanWriteTables(WriteTableMixin, AftersalesPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = cls.new_portal_user("plan_write_portal", cls.customer_contact)

    def test_ticket_write_table(self):
        ticket = self.create_ticket()
        self.assertEqual(set(PLAN_TICKET_FIELDS), self._stored_fields("aftersales_plan"), "the table lists every field")
        self.assertEqual(self._write_table(ticket, PLAN_TICKET_FIELDS), PLAN_TICKET_FIELDS)

    def test_every_stored_field_takes_a_side(self):
        """Each new model says who writes each stored field, and the facts are
        the fields the system computes (written on the write side by nobody)."""
        for model, expected in PLAN_MODELS.items():
            with self.subTest(model=model):
                Model = self.env[model]
                rules = Model._field_write_rules()
                stored = {name for name, field in Model._fields.items() if field.store and name not in MAGIC}
                self.assertFalse(stored - set(rules), f"stored fields of {model} nobody classified")
                system_on_write = {name for name, (_create, write) in rules.items() if write == "system"}
                self.assertEqual(
                    system_on_write
                    - {"message_ids", "message_follower_ids", "activity_ids", "website_message_ids", "rating_ids"},
                    expected["system"],
                )


# Stored team fields added by aftersales_plan: (portal, technician, agent,
# manager, the centre's own portal user).
MANAGER_ONLY = (False, False, False, True, False)
PLAN_TEAM_FIELDS = {
    "provider_partner_id": MANAGER_ONLY,
    "provider_rate": MANAGER_ONLY,
    "provider_product_id": MANAGER_ONLY,
}


@tagged("post_install", "-at_install")
class TestProviderTeamWriteTable(TeamWriteTableMixin, AftersalesProviderCommon):
    def _write_roles(self):
        return (*super()._write_roles(), self.centre_user)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = cls.customer_user

    def test_write_table(self):
        """Nobody but a manager sets up a partner centre or its rate; not
        even the centre's own staff."""
        self.assertEqual(set(PLAN_TEAM_FIELDS), self._team_fields("aftersales_plan"), "the table lists every field")
        self.assertEqual(self._write_table(self.team_fixit, PLAN_TEAM_FIELDS), PLAN_TEAM_FIELDS)

    def test_rate_stays_the_managers_with_wider_access_rights(self):
        """Access rights that let agents edit teams (a company's own choice)
        give them the team's configuration, not the centre's rate."""
        self.env["ir.model.access"].create(
            {
                "name": "agents edit teams",
                "model_id": self.env["ir.model"]._get_id("aftersales.team"),
                "group_id": self.env.ref("aftersales_ticket.group_aftersales_user").id,
                "perm_read": True,
                "perm_write": True,
            }
        )
        as_agent = self.team_fixit.with_user(self.agent)
        as_agent.write({"name": "Fixit Pudong East", "auto_dispatch": True})
        for vals in ({"provider_rate": 1.0}, {"provider_partner_id": self.other_centre.id}):
            with self.subTest(vals=vals), self.assertRaises(AccessError) as caught:
                as_agent.write(vals)
            self.assertIn("You are not allowed to set these fields of", str(caught.exception))
            self.assertIn("After-sales / Manager", str(caught.exception))
        self.assertEqual((self.team_fixit.provider_rate, self.team_fixit.provider_partner_id), (200.0, self.centre))
        self.team_fixit.with_user(self.manager).provider_rate = 220.0
        self.assertEqual(self.team_fixit.provider_rate, 220.0)
