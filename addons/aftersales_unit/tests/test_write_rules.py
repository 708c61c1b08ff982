from odoo.addons.aftersales_ticket.write_rules import FACT
from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..models.aftersales_ticket_loaner import LOANER_FACTS
from ..models.aftersales_unit_registration import REGISTRATION_FACTS
from ..models.stock_lot import LOT_FACTS
from .common import PROOF_PDF, AftersalesUnitCommon

FRAMEWORK = {"id", "create_uid", "create_date", "write_uid", "write_date", "display_name"}
# Every stored field of a registration on a side: the system's facts, the
# agent's corrections, and what is fixed once created (customer, serial).
AGENT_FIELDS = {"purchase_date", "proof_attachment_ids", "refusal_reason"}
FIXED_FIELDS = {"partner_id", "lot_id", "company_id"}


@tagged("post_install", "-at_install")
class TestWriteRules(AftersalesUnitCommon):
    def registration(self):
        with self.at(2026, 3, 2):
            return self.Registration.with_user(self.portal_user)._register_from_portal(
                self.customer_contact, "PB14-0002", self.d(2026, 3, 1), [("invoice.pdf", PROOF_PDF)]
            )

    def test_every_registration_field_is_on_a_side(self):
        stored = {
            name
            for name, field in self.Registration._fields.items()
            if field.store
            and name not in FRAMEWORK
            and not name.startswith(("message_", "activity_", "website_", "rating_"))
        }
        self.assertEqual(stored, set(REGISTRATION_FACTS) | AGENT_FIELDS | FIXED_FIELDS)
        rules = self.Registration._field_write_rules()
        self.assertEqual(
            {name for name, (_c, w) in rules.items() if w == "system"}, set(REGISTRATION_FACTS) | FIXED_FIELDS
        )

    def test_facts_refused_even_to_plain_sudo(self):
        registration = self.registration()
        values = {
            "state": "verified",
            "contract_id": False,
            "verified_by_id": self.agent.id,
            "lot_id": self.lot_stock.id,
            "partner_id": self.other_contact.id,
        }
        for name, value in values.items():
            for env_registration in (registration.with_user(self.agent), registration.sudo()):
                with (
                    self.subTest(field=name, su=env_registration.env.su),
                    self.refused(AccessError, "set by the system"),
                ):
                    env_registration.write({name: value})
        self.assertEqual((registration.state, registration.lot_id), ("pending", self.lot_laptop_2))

    def test_agent_corrects_the_purchase_date_customer_does_not(self):
        registration = self.registration()
        registration.with_user(self.agent).purchase_date = self.d(2026, 2, 27)
        self.assertEqual(registration.purchase_date, self.d(2026, 2, 27))
        with self.refused(AccessError, "not allowed"):
            registration.with_user(self.portal_user).purchase_date = self.d(2026, 2, 1)

    def test_lot_owner_facts(self):
        self.assertEqual(
            set(LOT_FACTS), {"aftersales_customer_id", "aftersales_purchase_date", "aftersales_owner_origin"}
        )
        for name in LOT_FACTS:
            with self.subTest(field=name), self.refused(AccessError, "set by the system"):
                self.lot_stock.with_user(self.clerk).write({name: False})

    def test_loaner_facts(self):
        """The loan of a loaner (serial, state, dates) is a fact of its stock
        transfers: refused to the agent and to plain sudo()."""
        Ticket = self.env["aftersales.ticket"]
        loaner_fields = {name for name, field in Ticket._fields.items() if field.store and name.startswith("loaner_")}
        self.assertEqual(loaner_fields, set(LOANER_FACTS))
        rules = Ticket._field_write_rules()
        self.assertEqual({name: rules[name] for name in LOANER_FACTS}, dict.fromkeys(LOANER_FACTS, FACT))
        ticket = self.create_ticket()
        values = {
            "loaner_lot_id": self.lot_stock.id,
            "loaner_state": "returned",
            "loaner_lent_date": "2026-03-01 09:00:00",
            "loaner_returned_date": "2026-03-02 09:00:00",
        }
        for name, value in values.items():
            for env_ticket in (ticket.with_user(self.agent), ticket.sudo()):
                with (
                    self.subTest(field=name, su=env_ticket.env.su),
                    self.refused(AccessError, "set by the system"),
                ):
                    env_ticket.write({name: value})
        self.assertFalse(ticket.loaner_state)
