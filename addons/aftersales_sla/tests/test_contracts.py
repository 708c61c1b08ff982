from datetime import date

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.fields import Command
from odoo.tests import freeze_time, tagged


@tagged("post_install", "-at_install")
class TestContracts(AccountTestInvoicingCommon):
    """Selling an extended warranty 延保 on a posted invoice creates the
    contract; the credit note cancels it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.tier_basic = env.ref("aftersales_sla.tier_basic")
        cls.tier_advanced = env.ref("aftersales_sla.tier_advanced")
        env.user.group_ids += env.ref("aftersales_ticket.group_aftersales_manager")
        env.company.aftersales_default_tier_id = cls.tier_basic
        cls.customer = env["res.partner"].create({"name": "Warranty Buyer", "is_company": True})
        cls.device = env["product.product"].create(
            {"name": "Camera X1", "is_storable": True, "tracking": "serial", "list_price": 3000}
        )
        cls.serial = env["stock.lot"].create({"name": "X1-0042", "product_id": cls.device.id})
        cls.other_serial = env["stock.lot"].create({"name": "X1-0043", "product_id": cls.device.id})
        cls.warranty = env["product.product"].create(
            {
                "name": "Extended warranty 2 years",
                "type": "service",
                "list_price": 500,
                "aftersales_is_extended_warranty": True,
                "aftersales_contract_tier_id": cls.tier_advanced.id,
                "aftersales_contract_months": 24,
            }
        )

    def _ticket(self, lot):
        return self.env["aftersales.ticket"].create(
            {"name": "Lens error", "partner_id": self.customer.id, "product_id": self.device.id, "lot_id": lot.id}
        )

    @freeze_time("2026-02-01 10:00:00")
    def test_invoice_creates_contract_and_credit_note_cancels_it(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": date(2026, 2, 1),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.warranty.id,
                            "price_unit": 500,
                            "tax_ids": [],
                            "aftersales_lot_ids": [Command.set(self.serial.ids)],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        contract = invoice.aftersales_contract_ids
        self.assertEqual(len(contract), 1)
        self.assertEqual(contract.state, "active")
        self.assertEqual(contract.contract_type, "extended_warranty")
        self.assertEqual(contract.lot_ids, self.serial)
        self.assertEqual(contract.tier_id, self.tier_advanced)
        self.assertEqual((contract.date_start, contract.date_end), (date(2026, 2, 1), date(2028, 1, 31)))
        self.assertEqual(self.customer.aftersales_contract_count, 1)
        self.assertEqual(self.warranty.product_tmpl_id.aftersales_contract_count, 0)
        self.assertEqual(self.device.product_tmpl_id.aftersales_contract_count, 1)

        ticket = self._ticket(self.serial)
        self.assertEqual(ticket.sla_contract_id, contract)
        self.assertEqual(ticket.sla_tier_id, self.tier_advanced)
        self.assertEqual(ticket.warranty_state, "under_contract")
        self.assertIn(contract.name, ticket.sla_tier_reason)
        uncovered = self._ticket(self.other_serial)
        self.assertEqual(uncovered.sla_tier_id, self.tier_basic, "another serial is not covered")

        refund = invoice._reverse_moves([{"invoice_date": date(2026, 2, 1)}])
        refund.action_post()
        self.assertEqual(contract.state, "cancelled")
        again = self._ticket(self.serial)
        self.assertFalse(again.sla_contract_id)
        self.assertEqual(again.sla_tier_id, self.tier_basic)
        self.assertNotEqual(again.warranty_state, "under_contract")
        self.assertEqual(ticket.sla_tier_id, self.tier_advanced, "earlier tickets keep their tier")

    @freeze_time("2026-02-01 10:00:00")
    def test_renewal_reminder_and_expiry(self):
        Contract = self.env["aftersales.sla.contract"]
        ending = Contract.create(
            {
                "partner_id": self.customer.id,
                "tier_id": self.tier_advanced.id,
                "lot_ids": [Command.set(self.serial.ids)],
                "date_start": date(2025, 3, 1),
                "date_end": date(2026, 2, 20),
                "state": "active",
            }
        )
        ended = Contract.create(
            {
                "partner_id": self.customer.id,
                "tier_id": self.tier_advanced.id,
                "product_ids": [Command.set(self.device.ids)],
                "date_start": date(2025, 1, 1),
                "date_end": date(2026, 1, 31),
                "state": "active",
            }
        )
        Contract._cron_contract_lifecycle()
        self.assertEqual(ended.state, "expired")
        self.assertTrue(ending.renewal_reminded)
        self.assertEqual(len(ending.activity_ids), 1)
        Contract._cron_contract_lifecycle()
        self.assertEqual(len(ending.activity_ids), 1, "reminded once")
