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


class AftersalesProviderCommon(AftersalesPlanCommon):
    """Two partner service centres, each a team with a portal user, and a
    purchase officer who settles them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        if not cls.company.chart_template:
            env["account.chart.template"].try_loading("generic_coa", company=cls.company, install_demo=False)
        cls.centre = env["res.partner"].create({"name": "Fixit Services", "is_company": True})
        cls.centre_staff = env["res.partner"].create({"name": "Wang Fang", "parent_id": cls.centre.id})
        cls.other_centre = env["res.partner"].create({"name": "Repair Bros", "is_company": True})
        cls.centre_user = cls.new_portal_user("centre_fixit", cls.centre_staff)
        cls.other_centre_user = cls.new_portal_user(
            "centre_other", env["res.partner"].create({"name": "Bro", "parent_id": cls.other_centre.id})
        )
        cls.customer_user = cls.new_portal_user("centre_customer", cls.customer_contact)
        cls.team_fixit = env["aftersales.team"].create(
            {
                "name": "Fixit Pudong",
                "provider_partner_id": cls.centre.id,
                "provider_rate": 200.0,
                "auto_dispatch": False,
            }
        )
        cls.team_other = env["aftersales.team"].create(
            {"name": "Repair Bros Minhang", "provider_partner_id": cls.other_centre.id, "provider_rate": 150.0}
        )
        cls.buyer = cls.new_user(
            "centre_buyer",
            "aftersales_ticket.group_aftersales_user,purchase.group_purchase_user,account.group_account_invoice",
        )

    @classmethod
    def subcontracted_ticket(cls, team=None, **vals):
        ticket = cls.create_ticket(**vals)
        ticket.with_user(cls.agent).action_subcontract(team or cls.team_fixit)
        return ticket
