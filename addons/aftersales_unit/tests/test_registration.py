from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PROOF_PDF, AftersalesUnitCommon


@tagged("post_install", "-at_install")
class TestRegistration(AftersalesUnitCommon):
    """Must show 2: a customer registers a serial with proof; an agent
    verifies; the extended warranty starts; registering it again or another
    customer's serial is refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Bought from a retailer: never delivered by us.
        cls.laptop.product_tmpl_id.aftersales_registration_warranty_id = cls.extended

    def register(self, lot=None, partner=None, day=None, proof=(("invoice.pdf", PROOF_PDF),), serial=None):
        return self.Registration.with_user(self.portal_user)._register_from_portal(
            partner or self.customer_contact,
            serial or (lot or self.lot_laptop_2).name,
            day or self.d(2026, 3, 1),
            list(proof),
        )

    def test_register_verify_and_extended_warranty_starts(self):
        with self.at(2026, 3, 2):
            registration = self.register()
        self.assertEqual(registration.state, "pending", "never delivered to them: an agent checks the proof")
        self.assertEqual(registration.channel, "portal")
        self.assertEqual(registration.proof_attachment_ids.name, "invoice.pdf")
        self.assertFalse(self.lot_laptop_2.aftersales_customer_id, "not theirs before the agent verifies")
        self.assertFalse(self.env["aftersales.sla.contract"].search([("lot_ids", "=", self.lot_laptop_2.id)]))

        with self.at(2026, 3, 5):
            registration.with_user(self.agent).action_verify()
            self.assertEqual(registration.state, "verified")
            self.assertEqual(
                (registration.verified_by_id, registration.date_verified), (self.agent, self.d(2026, 3, 5))
            )
            lot = self.lot_laptop_2
            self.assertEqual(lot.aftersales_customer_id, self.customer)
            self.assertEqual(lot.aftersales_purchase_date, self.d(2026, 3, 1))
            self.assertEqual(lot.aftersales_owner_origin, "registration")
            contract = registration.contract_id
            self.assertEqual(contract.state, "active")
            self.assertEqual(contract.contract_type, "extended_warranty")
            self.assertEqual(contract.lot_ids, lot)
            self.assertEqual(contract.tier_id, self.tier_extended)
            self.assertEqual((contract.date_start, contract.date_end), (self.d(2026, 3, 5), self.d(2028, 3, 4)))
            lot.invalidate_recordset()
            self.assertEqual(lot.aftersales_warranty_summary, "Extended warranty until 2028-03-04")
            ticket = self.create_ticket(lot_id=lot.id)
            self.assertEqual(ticket.purchase_date, self.d(2026, 3, 1), "the registration gives the ticket its date")
            self.assertEqual(ticket.sla_contract_id, contract, "the ticket is covered like a sold warranty")

    def test_registering_again_is_refused(self):
        with self.at(2026, 3, 2):
            first = self.register()
            with self.refused(UserError, r"PB14-0002 is already registered to you \(REG/.*Pending verification\)"):
                self.register()
            first.with_user(self.agent).action_verify()
            with self.refused(UserError, "already registered to you"):
                self.register()
        self.assertEqual(self.Registration.search_count([("lot_id", "=", self.lot_laptop_2.id)]), 1)

    def test_another_customers_serial_is_refused_without_naming_them(self):
        with self.at(2026, 3, 2):
            self.register()
            # Pending for Acme: Beta may not register it.
            with self.refused(UserError, "PB14-0002 belongs to another customer"):
                self.register(partner=self.other_contact)
            # Delivered to Acme: Beta may not register it either.
            self.sell(self.lot_laptop, self.d(2026, 1, 10))
            with self.assertRaises(UserError) as caught:
                self.register(lot=self.lot_laptop, partner=self.other_contact)
        self.assertIn("belongs to another customer", str(caught.exception))
        self.assertNotIn("Acme", str(caught.exception), "the owner's name is not given away")
        self.assertFalse(self.Registration.search([("commercial_partner_id", "=", self.other_customer.id)]))

    def test_delivered_unit_is_verified_at_once(self):
        self.sell(self.lot_laptop, self.d(2026, 1, 10))
        with self.at(2026, 2, 1):
            registration = self.register(lot=self.lot_laptop, day=self.d(2026, 1, 10))
        self.assertEqual(registration.state, "verified")
        self.assertTrue(registration.contract_id, "the registration activates the extended warranty")
        self.assertEqual(self.lot_laptop.aftersales_purchase_date, self.d(2026, 1, 10), "the delivery date stays")

    def test_bad_input_is_refused_clearly(self):
        cases = [
            ({"proof": ()}, "Attach the proof of purchase"),
            ({"serial": "NOPE-1"}, "NOPE-1 is unknown"),
            ({"day": self.d(2026, 3, 3)}, "purchase date 2026-03-03 is in the future"),
        ]
        with self.at(2026, 3, 2):
            for kwargs, message in cases:
                with self.subTest(message=message), self.refused(UserError, message):
                    self.register(**kwargs)
        self.assertFalse(self.Registration.search([]))

    def test_only_agents_verify_or_refuse(self):
        with self.at(2026, 3, 2):
            registration = self.register()
            for user in (self.portal_user, self.tech_user_a):
                with (
                    self.subTest(user=user.login),
                    self.refused(UserError, "Verifying a registration is the service desk's work"),
                ):
                    registration.with_user(user).action_verify()
            with self.refused(AccessError, "set by the system"):
                registration.with_user(self.agent).write({"state": "verified"})
            with self.refused(UserError, "Write why"):
                registration.with_user(self.agent).action_refuse()
            registration.with_user(self.agent).refusal_reason = "The receipt is for another model."
            registration.with_user(self.agent).action_refuse()
        self.assertEqual(registration.state, "refused")
        self.assertFalse(self.lot_laptop_2.aftersales_customer_id)

    def test_portal_user_reads_only_own_registrations(self):
        with self.at(2026, 3, 2):
            mine = self.register()
        Registration = self.Registration.with_user(self.other_portal)
        self.assertFalse(Registration.search([]), "another customer sees no registration of Acme")
        with self.assertRaises(AccessError):
            Registration.browse(mine.id).read(["lot_id"])
        self.assertEqual(self.Registration.with_user(self.portal_user).search([]), mine)

    def test_registration_query_budget(self):
        with self.at(2026, 3, 2):
            self.register(lot=self.lot_stock)  # warm the caches
            self.env.invalidate_all()
            with self.assertQueryCount(__system__=16):
                self.register()
