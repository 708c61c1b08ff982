from datetime import date

from odoo.addons.aftersales_sla.tests.common import AftersalesSlaCommon


class AftersalesPlanCommon(AftersalesSlaCommon):
    """A VIP contract of the customer on the printer, a quarterly plan with a
    two-line checklist (first visit on 2027-01-20), and the Shanghai team
    dispatching on its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_sh.auto_dispatch = True
        cls.Plan = cls.env["aftersales.maintenance.plan"]
        cls.contract = cls.make_contract(cls.customer, cls.lot_printer)
        cls.plan = cls.make_plan(cls.contract)

    @classmethod
    def make_contract(cls, partner, lot, start=date(2026, 12, 1), end=date(2027, 11, 30), activate=True):
        contract = cls.env["aftersales.sla.contract"].create(
            {
                "partner_id": partner.id,
                "tier_id": cls.tier_vip.id,
                "date_start": start,
                "date_end": end,
                "lot_ids": [(4, lot.id)] if lot else [],
            }
        )
        if activate:
            contract.action_activate()
        return contract

    @classmethod
    def make_plan(cls, contract, **vals):
        values = {
            "name": "Quarterly printer maintenance",
            "contract_id": contract.id,
            "interval": "quarterly",
            "first_visit_date": date(2027, 1, 20),
            "team_id": cls.team_sh.id,
            "item_ids": [(0, 0, {"name": "Clean the fuser", "sequence": 1}), (0, 0, {"name": "Update firmware"})],
        }
        values.update(vals)
        return cls.env["aftersales.maintenance.plan"].create(values)
