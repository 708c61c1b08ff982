import base64
import io

from PIL import Image, ImageDraw

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.mail.tests.common import mail_new_test_user


def signature_png():
    """A small signature as the signature pad sends it: base64 PNG."""
    image = Image.new("L", (120, 40), 255)
    ImageDraw.Draw(image).line([(10, 30), (50, 10), (110, 25)], fill=0, width=2)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue())


def working_calendar(env, name="Mon-Fri 08-17 UTC"):
    """A Mon-Fri 08:00-17:00 working calendar in UTC."""
    return env["resource.calendar"].create(
        {
            "name": name,
            "tz": "UTC",
            "attendance_ids": [(5, 0, 0)]
            + [
                (
                    0,
                    0,
                    {
                        "name": f"Day {day}",
                        "dayofweek": str(day),
                        "hour_from": 8.0,
                        "hour_to": 17.0,
                        "day_period": "full_day",
                    },
                )
                for day in range(5)
            ],
        }
    )


class AftersalesCommon(BaseCommon):
    """Two service teams in one region, technicians with different skills and
    levels, products with serials, and one user per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = env.company
        cls.Ticket = env["aftersales.ticket"]
        cls.stage = {s.milestone or "cancel": s for s in env["aftersales.stage"].search([])}

        user = cls.new_user
        cls.manager = user("as_manager", "aftersales_ticket.group_aftersales_manager")
        cls.agent = user("as_agent", "aftersales_ticket.group_aftersales_user")
        cls.tech_user_a = user("as_tech_a", "aftersales_ticket.group_aftersales_technician")
        cls.tech_user_b = user("as_tech_b", "aftersales_ticket.group_aftersales_technician")
        cls.tech_user_c = user("as_tech_c", "aftersales_ticket.group_aftersales_technician")

        cls.categ_laptop = env["product.category"].create({"name": "Laptops"})
        cls.categ_printer = env["product.category"].create({"name": "Printers"})
        cls.fault_screen = env["aftersales.fault.category"].create({"name": "Screen"})
        cls.fault_power = env["aftersales.fault.category"].create({"name": "Power"})

        cls.team_hq = env["aftersales.team"].create({"name": "HQ", "network_level": "hq", "manager_id": cls.manager.id})
        cls.team_east = env["aftersales.team"].create(
            {"name": "East", "network_level": "region", "parent_id": cls.team_hq.id, "manager_id": cls.manager.id}
        )
        cls.team_sh = env["aftersales.team"].create(
            {
                "name": "Shanghai",
                "network_level": "city",
                "parent_id": cls.team_east.id,
                "manager_id": cls.manager.id,
                "member_ids": [(4, cls.agent.id)],
                "alias_name": "service-shanghai",
            }
        )
        cls.team_hz = env["aftersales.team"].create(
            {"name": "Hangzhou", "network_level": "city", "parent_id": cls.team_east.id, "manager_id": cls.manager.id}
        )
        Technician = env["aftersales.technician"]
        cls.tech_a = Technician.create(
            {
                "user_id": cls.tech_user_a.id,
                "certification_level": "basic",
                "team_ids": [(4, cls.team_sh.id)],
                "product_category_ids": [(4, cls.categ_laptop.id)],
                "fault_category_ids": [(4, cls.fault_power.id)],
            }
        )
        cls.tech_b = Technician.create(
            {
                "user_id": cls.tech_user_b.id,
                "certification_level": "advanced",
                "team_ids": [(4, cls.team_sh.id)],
                "product_category_ids": [(4, cls.categ_printer.id)],
            }
        )
        cls.tech_c = Technician.create(
            {
                "user_id": cls.tech_user_c.id,
                "certification_level": "professional",
                "team_ids": [(4, cls.team_hz.id)],
                "product_category_ids": [(4, cls.categ_laptop.id)],
            }
        )
        (cls.team_sh | cls.team_hz).write({"technician_ids": [(4, t.id) for t in cls.tech_a | cls.tech_b | cls.tech_c]})
        cls.team_sh.technician_ids = cls.tech_a | cls.tech_b
        cls.team_hz.technician_ids = cls.tech_c

        cls.customer = env["res.partner"].create(
            {"name": "Acme Trading", "is_company": True, "email": "service@acme.example", "phone": "+86 21 5555 0101"}
        )
        cls.customer_contact = env["res.partner"].create(
            {"name": "Li Wei", "parent_id": cls.customer.id, "email": "li.wei@acme.example"}
        )
        cls.other_customer = env["res.partner"].create({"name": "Globex", "is_company": True})
        cls.laptop = env["product.product"].create(
            {"name": "ProBook 14", "categ_id": cls.categ_laptop.id, "is_storable": True, "tracking": "serial"}
        )
        cls.printer = env["product.product"].create(
            {"name": "LaserJet 500", "categ_id": cls.categ_printer.id, "is_storable": True, "tracking": "serial"}
        )
        cls.lot_laptop = env["stock.lot"].create({"name": "PB14-0001", "product_id": cls.laptop.id})
        cls.lot_laptop_2 = env["stock.lot"].create({"name": "PB14-0002", "product_id": cls.laptop.id})
        cls.lot_printer = env["stock.lot"].create({"name": "LJ500-0001", "product_id": cls.printer.id})

    @classmethod
    def new_user(cls, login, groups, **kw):
        """A user of these groups, named after the login unless ``name`` is given."""
        kw.setdefault("name", login.replace("_", " ").title())
        return mail_new_test_user(cls.env, login=login, groups=groups, **kw)

    @classmethod
    def new_portal_user(cls, login, partner=None, **kw):
        """A customer's portal user (password: the login), the contact
        ``partner`` when given. Without ``name`` it gets Odoo's test name."""
        if partner:
            kw["partner_id"] = partner.id
        return mail_new_test_user(cls.env, login=login, groups="base.group_portal", **kw)

    @classmethod
    def create_ticket(cls, **vals):
        values = {
            "name": "Does not power on",
            "partner_id": cls.customer.id,
            "product_id": cls.laptop.id,
            "team_id": cls.team_sh.id,
        }
        values.update(vals)
        return cls.Ticket.create(values)

    @classmethod
    def deliver(cls, lot, partner):
        """Deliver the serial to a customer from the main warehouse (done move)."""
        stock = cls.env.ref("stock.warehouse0").lot_stock_id
        cls.env["stock.quant"]._update_available_quantity(lot.product_id, stock, 1, lot_id=lot)
        move = cls.env["stock.move"].create(
            {
                "product_id": lot.product_id.id,
                "product_uom_qty": 1,
                "location_id": stock.id,
                "location_dest_id": cls.env.ref("stock.stock_location_customers").id,
                "partner_id": partner.id,
            }
        )
        move._action_confirm()
        move._action_assign()
        move.move_line_ids.write({"lot_id": lot.id, "quantity": 1, "picked": True})
        move._action_done()
        return move
