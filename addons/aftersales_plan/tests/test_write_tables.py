from odoo.addons.aftersales_ticket.tests.test_security import NOBODY, OPEN, WriteTableMixin
from odoo.tests import tagged

from .common import AftersalesPlanCommon

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
