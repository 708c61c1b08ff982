from contextlib import contextmanager

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.mail.tests.common import mail_new_test_user

SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


class AftersalesPartsCommon(BaseCommon):
    """A service team with two technicians, an Intermediate tier (70 %), a
    part with list price 100 and cost 40, an hour of labour at 50 (cost 30),
    technician A's van holding 3 parts, a warehouse clerk, a finance user and
    the customer's portal user. Self-contained: the fixtures of the other
    addons' tests are not imported."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = company = env.company
        cls.Ticket = env["aftersales.ticket"]
        if not company.chart_template:
            env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)

        def user(login, groups, **kw):
            return mail_new_test_user(env, login=login, groups=groups, name=login.replace("_", " ").title(), **kw)

        cls.manager = user("as_manager", "aftersales_ticket.group_aftersales_manager")
        cls.agent = user("as_agent", "aftersales_ticket.group_aftersales_user")
        cls.tech_user_a = user("as_tech_a", "aftersales_ticket.group_aftersales_technician")
        cls.tech_user_b = user("as_tech_b", "aftersales_ticket.group_aftersales_technician")
        cls.team_sh = env["aftersales.team"].create(
            {
                "name": "Shanghai",
                "manager_id": cls.manager.id,
                "member_ids": [(4, cls.agent.id)],
                "auto_dispatch": False,
            }
        )
        Technician = env["aftersales.technician"]
        cls.tech_a = Technician.create({"user_id": cls.tech_user_a.id, "team_ids": [(4, cls.team_sh.id)]})
        cls.tech_b = Technician.create({"user_id": cls.tech_user_b.id, "team_ids": [(4, cls.team_sh.id)]})
        cls.team_sh.technician_ids = cls.tech_a | cls.tech_b
        cls.customer = env["res.partner"].create(
            {"name": "Acme Trading", "is_company": True, "email": "service@acme.example"}
        )
        cls.customer_contact = env["res.partner"].create(
            {"name": "Li Wei", "parent_id": cls.customer.id, "email": "li.wei@acme.example"}
        )
        cls.laptop = env["product.product"].create(
            {"name": "ProBook 14", "is_storable": True, "tracking": "serial", "taxes_id": [(5, 0, 0)]}
        )
        cls.lot_laptop = env["stock.lot"].create({"name": "PB14-0001", "product_id": cls.laptop.id})
        cls.lot_laptop_2 = env["stock.lot"].create({"name": "PB14-0002", "product_id": cls.laptop.id})
        cls.calendar = env.ref("aftersales_sla.resource_calendar_24x7")

        cls.clerk = user("as_clerk", "stock.group_stock_user,base.group_user")
        cls.finance = user("as_finance", "account.group_account_invoice,base.group_user")
        cls.portal_user = user(
            "as_customer", "base.group_portal", password="as_customer", partner_id=cls.customer_contact.id
        )

        cls.tier_intermediate = env["aftersales.sla.tier"].create(
            {"name": "Test Intermediate", "resource_calendar_id": cls.calendar.id, "out_of_warranty_ratio": 70.0}
        )
        cls.vendor = env["res.partner"].create({"name": "Panel Supplier Ltd", "is_company": True})
        cls.categ_parts = env["product.category"].create({"name": "Spare parts"})
        cls.part = env["product.product"].create(
            {
                "name": "Screen panel 14",
                "is_storable": True,
                "list_price": 100.0,
                "standard_price": 40.0,
                "categ_id": cls.categ_parts.id,
                "taxes_id": [(5, 0, 0)],
                "seller_ids": [(0, 0, {"partner_id": cls.vendor.id, "price": 35.0})],
            }
        )
        cls.labour = env["product.product"].create(
            {
                "name": "Labour hour",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 50.0,
                "standard_price": 30.0,
                "uom_id": env.ref("uom.product_uom_hour").id,
                "taxes_id": [(5, 0, 0)],
            }
        )
        company.aftersales_labour_product_id = cls.labour
        cls.warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.van = env["stock.location"].create(
            {"name": "Van A", "usage": "internal", "location_id": cls.warehouse.view_location_id.id}
        )
        cls.tech_a.van_location_id = cls.van
        cls.quarantine = company.aftersales_quarantine_location_id
        env["stock.quant"]._update_available_quantity(cls.part, cls.van, 3.0)
        cls.today = fields.Date.context_today(cls.Ticket)

    @classmethod
    def create_parts_ticket(cls, in_warranty=False, **vals):
        """A dispatched ticket of the customer's laptop, out of warranty
        (bought three years ago) unless asked otherwise."""
        months = 2 if in_warranty else 36
        values = {
            "lot_id": cls.lot_laptop.id,
            "purchase_date": cls.today - relativedelta(months=months),
            "sla_tier_id": cls.tier_intermediate.id,
            "technician_id": cls.tech_a.id,
        }
        values.update(vals)
        return cls.create_ticket(**values)

    @classmethod
    def create_ticket(cls, **vals):
        values = {
            "name": "Screen stays black",
            "partner_id": cls.customer.id,
            "product_id": cls.laptop.id,
            "team_id": cls.team_sh.id,
        }
        values.update(vals)
        return cls.Ticket.create(values)

    @classmethod
    def van_qty(cls, product=None, location=None):
        return cls.env["stock.quant"]._get_available_quantity(product or cls.part, location or cls.van)

    @classmethod
    def on_hand(cls, product, location):
        quants = cls.env["stock.quant"].search([("product_id", "=", product.id), ("location_id", "=", location.id)])
        return sum(quants.mapped("quantity"))

    def open_repair(self, ticket, user=None, part_qty=1.0, hours=1.0):
        """The technician opens the repair from the ticket and fills in a part
        and the labour hours."""
        ticket = ticket.with_user(user or self.tech_user_a)
        action = ticket.action_create_repair()
        repair = self.env["repair.order"].with_user(user or self.tech_user_a).browse(action["res_id"])
        repair.write(
            {
                "aftersales_labour_hours": hours,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.part.id,
                            "product_uom_qty": part_qty,
                            "repair_line_type": "add",
                        },
                    )
                ],
            }
        )
        return repair.with_user(self.env.user)

    @classmethod
    def sign(cls, order):
        """The customer signs the quotation (what the portal route writes)."""
        order.sudo().write({"signed_by": "Li Wei", "signed_on": fields.Datetime.now(), "signature": SIGNATURE})

    @contextmanager
    def refused(self, exception, regex):
        """Expect ``exception`` with a message matching ``regex`` (the refusal
        the test means, not any other) and roll back what the call wrote, as
        the request would, so that the test can check nothing was written."""
        with self.assertRaises(exception) as caught, self.env.cr.savepoint():
            yield
        self.env.invalidate_all()
        self.assertRegex(str(caught.exception), regex)
