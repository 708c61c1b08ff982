import base64
from datetime import date, datetime

from odoo import Command
from odoo.addons.aftersales_parts.tests.common import AftersalesPartsCommon
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import freeze_time

# A one-page PDF is enough for a proof of purchase.
PROOF_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROOF_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


class AftersalesUnitCommon(AftersalesPartsCommon):
    """The parts fixtures (customer Acme with its portal user, laptop with
    serials PB14-0001/0002, Intermediate tier, van, clerk) plus: a 24-month
    extended warranty on the Advanced-like tier, a second customer with its
    portal user, the laptop at 1000 with a cost of 600, three laptops in
    stock, and the manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.Registration = env["aftersales.unit.registration"]
        cls.tier_extended = env["aftersales.sla.tier"].create(
            {"name": "Test Extended", "resource_calendar_id": cls.calendar.id, "out_of_warranty_ratio": 60.0}
        )
        cls.extended = env["product.product"].create(
            {
                "name": "Extended warranty 24 months",
                "type": "service",
                "list_price": 300.0,
                "taxes_id": [(5, 0, 0)],
                "aftersales_is_extended_warranty": True,
                "aftersales_contract_tier_id": cls.tier_extended.id,
                "aftersales_contract_months": 24,
            }
        )
        cls.laptop.write({"list_price": 1000.0, "standard_price": 600.0, "invoice_policy": "order"})
        cls.company.aftersales_default_tier_id = cls.tier_intermediate
        cls.other_customer = env["res.partner"].create({"name": "Beta Retail", "is_company": True})
        cls.other_contact = env["res.partner"].create({"name": "Wang Fang", "parent_id": cls.other_customer.id})
        cls.other_portal = mail_new_test_user(
            env,
            login="as_other",
            groups="base.group_portal",
            password="as_other",
            partner_id=cls.other_contact.id,
            name="Wang Fang",
        )
        cls.lot_stock = env["stock.lot"].create({"name": "PB14-0100", "product_id": cls.laptop.id})
        cls.lot_stock_2 = env["stock.lot"].create({"name": "PB14-0101", "product_id": cls.laptop.id})
        for lot in (cls.lot_laptop, cls.lot_laptop_2, cls.lot_stock, cls.lot_stock_2):
            env["stock.quant"]._update_available_quantity(cls.laptop, cls.stock_location, 1.0, lot_id=lot)
        cls.units = cls.company.aftersales_customer_unit_location_id

    @classmethod
    def sell(cls, lot, day, customer=None, extended=False, invoice_day=None):
        """Sell and deliver the serial on ``day`` (noon UTC), invoice it on
        ``invoice_day`` (default: the same day), with the extended warranty
        for that serial when asked. Returns the sale order."""
        customer = customer or cls.customer
        with freeze_time(datetime.combine(day, datetime.min.time()).replace(hour=12)):
            lines = [
                Command.create({"product_id": cls.laptop.id, "product_uom_qty": 1, "price_unit": 1000.0, "tax_ids": []})
            ]
            if extended:
                lines.append(
                    Command.create(
                        {"product_id": cls.extended.id, "product_uom_qty": 1, "price_unit": 300.0, "tax_ids": []}
                    )
                )
            order = cls.env["sale.order"].create({"partner_id": customer.id, "order_line": lines})
            order.action_confirm()
            picking = order.picking_ids
            move = picking.move_ids
            move.move_line_ids.unlink()
            move.move_line_ids = [
                Command.create(
                    {
                        "lot_id": lot.id,
                        "quantity": 1.0,
                        "picking_id": picking.id,
                        "location_id": move.location_id.id,
                        "location_dest_id": move.location_dest_id.id,
                        "product_id": cls.laptop.id,
                    }
                )
            ]
            move.picked = True
            picking._action_done()
        with freeze_time(datetime.combine(invoice_day or day, datetime.min.time()).replace(hour=12)):
            invoice = order._create_invoices()
            invoice.invoice_date = invoice_day or day
            for line in invoice.invoice_line_ids.filtered(lambda line: line.product_id == cls.extended):
                line.aftersales_lot_ids = lot
            invoice.action_post()
        return order

    @classmethod
    def at(cls, year, month, day):
        """freeze_time at noon UTC of that day."""
        return freeze_time(datetime(year, month, day, 12, 0, 0))

    @staticmethod
    def d(year, month, day):
        return date(year, month, day)

    def company_value(self):
        """The company's stock value of the laptop."""
        self.env.invalidate_all()
        return self.laptop.with_company(self.company).total_value
