from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import AftersalesPartsCommon


@tagged("post_install", "-at_install")
class TestWarrantyCost(AftersalesPartsCommon):
    """Covered repairs are free and recorded as warranty cost; damage by the
    user makes them chargeable."""

    def _repair_done(self, repair):
        repair = repair.with_user(self.clerk)
        repair.action_aftersales_issue_parts()
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")

    def test_warranty_repair_is_free_and_costed(self):
        ticket = self.create_parts_ticket(in_warranty=True)
        self.assertEqual(ticket.warranty_state, "in_warranty")
        repair = self.open_repair(ticket)
        self.assertEqual((repair.aftersales_coverage, repair.under_warranty), ("warranty", True))
        self.assertEqual(repair.aftersales_approval_state, "not_needed")
        self._repair_done(repair)
        self.assertFalse(repair.sale_order_id, "nothing is quoted to the customer")
        self.assertEqual(ticket.settlement_state, "nothing")
        self.assertEqual(self.on_hand(self.part, self.van), 2.0)

        self.env.flush_all()
        Report = self.env["aftersales.parts.report"].with_user(self.agent)
        rows = Report.search([("ticket_id", "=", ticket.id)])
        part_row = rows.filtered(lambda r: r.line_type == "part")
        labour_row = rows.filtered(lambda r: r.line_type == "labour")
        self.assertEqual(
            (part_row.product_id, part_row.categ_id, part_row.vendor_id, part_row.team_id),
            (self.part, self.categ_parts, self.vendor, self.team_sh),
        )
        self.assertEqual((part_row.warranty_cost, part_row.revenue), (40.0, 0.0))
        self.assertEqual((labour_row.warranty_cost, labour_row.revenue), (30.0, 0.0))
        # The warranty cost report for that product, team and month
        month = self.today.strftime("%B %Y")
        groups = Report._read_group(
            [("product_id", "=", self.part.id), ("team_id", "=", self.team_sh.id)],
            ["date:month"],
            ["warranty_cost:sum"],
        )
        self.assertEqual([(date.strftime("%B %Y"), cost) for date, cost in groups], [(month, 40.0)])

    def test_extended_warranty_contract_is_covered(self):
        contract = self.env["aftersales.sla.contract"].create(
            {
                "partner_id": self.customer.id,
                "tier_id": self.tier_intermediate.id,
                "contract_type": "extended_warranty",
                "date_start": self.today - relativedelta(years=1),
                "date_end": self.today + relativedelta(years=1),
                "lot_ids": [(4, self.lot_laptop.id)],
            }
        )
        contract.action_activate()
        ticket = self.create_parts_ticket()
        self.assertEqual(ticket.warranty_state, "under_contract")
        repair = self.open_repair(ticket)
        self.assertEqual((repair.aftersales_coverage, repair.under_warranty), ("extended", True))
        self._repair_done(repair)
        self.assertEqual(ticket.settlement_state, "nothing")

    def test_user_damage_makes_a_warranty_repair_chargeable(self):
        ticket = self.create_parts_ticket(in_warranty=True)
        repair = self.open_repair(ticket)
        # The technician reports the damage; the agent records it (paid or free
        # is not the technician's call).
        with self.refused(AccessError, "Damage by the User"):
            repair.with_user(self.tech_user_a).write({"aftersales_damage_reason": "water"})
        with self.refused(ValidationError, "describe the damage"):
            repair.with_user(self.agent).write({"aftersales_damage_reason": "water"})
        self.assertFalse(repair.aftersales_damage_reason)
        repair.with_user(self.agent).write(
            {"aftersales_damage_reason": "water", "aftersales_damage_note": "Liquid under the keyboard"}
        )
        self.assertEqual((repair.aftersales_coverage, repair.under_warranty), ("chargeable", False))
        self.assertEqual(ticket.settlement_state, "to_quote")
        with self.assertRaisesRegex(UserError, "not approved"):
            repair.with_user(self.clerk).action_aftersales_issue_parts()
        repair.with_user(self.agent).action_aftersales_send_quotation()
        self.assertEqual(repair.sale_order_id.amount_untaxed, 105.0, "charged at the tier's 70 %")
        self.assertEqual(
            (repair.aftersales_damage_reason, repair.aftersales_damage_note), ("water", "Liquid under the keyboard")
        )
