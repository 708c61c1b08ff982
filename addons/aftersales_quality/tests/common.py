from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.addons.aftersales_parts.tests.common import AftersalesPartsCommon
from odoo.addons.mail.tests.common import mail_new_test_user


class QualityCommon(AftersalesPartsCommon):
    """The parts fixture (team, technicians, customer, serial-tracked laptop,
    chart of accounts) plus an auto-dispatch team, a quality manager, an
    auditor and helpers that move tickets through the SOP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.quality_manager = mail_new_test_user(
            env, login="q_manager", groups="aftersales_quality.group_aftersales_quality_manager", name="Quality Manager"
        )
        cls.auditor = mail_new_test_user(
            env, login="q_auditor", groups="aftersales_quality.group_aftersales_quality_auditor", name="Auditor"
        )
        cls.company.aftersales_quality_manager_id = cls.quality_manager
        cls.team_auto = env["aftersales.team"].create(
            {
                "name": "Beijing (auto-dispatch)",
                "manager_id": cls.manager.id,
                "member_ids": [(4, cls.agent.id)],
                "auto_dispatch": True,
                "technician_ids": [(4, cls.tech_a.id), (4, cls.tech_b.id)],
            }
        )
        cls.stage_accept = env.ref("aftersales_ticket.stage_accept")
        cls.stage_acceptance = env.ref("aftersales_ticket.stage_acceptance")
        cls.stage_archive = env.ref("aftersales_ticket.stage_archive")
        cls.lot_seq = 0

    @classmethod
    def new_lot(cls, product=None):
        cls.lot_seq += 1
        product = product or cls.laptop
        return cls.env["stock.lot"].create({"name": f"Q-{product.id}-{cls.lot_seq:05d}", "product_id": product.id})

    @classmethod
    def unit_ticket(cls, **vals):
        """A repair ticket on a unit of its own (so that no ticket is a repeat
        of another by accident)."""
        values = {"lot_id": cls.new_lot().id}
        values.update(vals)
        return cls.create_ticket(**values)

    @classmethod
    def resolve(cls, tickets):
        """Answered, then the work done (waiting for the customer's acceptance): resolved."""
        tickets.write({"stage_id": cls.stage_accept.id})
        tickets.write({"stage_id": cls.stage_acceptance.id})
        return tickets

    @classmethod
    def close(cls, tickets):
        """Resolved, the acceptance waived where the work needs one, archived: closed."""
        cls.resolve(tickets)
        tickets.filtered("can_waive_acceptance").with_user(cls.manager).action_waive_acceptance()
        tickets.write({"stage_id": cls.stage_archive.id})
        return tickets

    @classmethod
    def add_repair(cls, ticket):
        return cls.env["repair.order"]._create_facts(
            [
                {
                    "aftersales_ticket_id": ticket.id,
                    "partner_id": ticket.partner_id.id,
                    "company_id": ticket.company_id.id,
                }
            ]
        )

    @staticmethod
    def month_context(day):
        start = day.replace(day=1)
        return {"quality_date_from": start, "quality_date_to": fields.Date.add(start, months=1)}

    @staticmethod
    def days_ago(days):
        return fields.Datetime.now() - timedelta(days=days)

    @classmethod
    def deliver(cls, product, count):
        """``count`` serials of ``product`` delivered to customers (done stock moves)."""
        lots = cls.env["stock.lot"].create(
            [{"name": f"{product.default_code or product.id}-{i:05d}", "product_id": product.id} for i in range(count)]
        )
        cls.deliver_lots(product, [(lot, 1) for lot in lots])
        return lots

    @classmethod
    def deliver_lots(cls, product, quantities):
        """One done stock move delivering ``product`` to customers, a move line
        per (lot, quantity) of ``quantities``."""
        customers = cls.env.ref("stock.stock_location_customers")
        move = cls.env["stock.move"].create(
            {
                "product_id": product.id,
                "product_uom_qty": sum(quantity for _lot, quantity in quantities),
                "product_uom": product.uom_id.id,
                "location_id": cls.stock_location.id,
                "location_dest_id": customers.id,
            }
        )
        move._action_confirm()
        move.move_line_ids.unlink()
        move.move_line_ids = [
            Command.create(
                {
                    "product_id": product.id,
                    "lot_id": lot.id,
                    "quantity": quantity,
                    "location_id": cls.stock_location.id,
                    "location_dest_id": customers.id,
                }
            )
            for lot, quantity in quantities
        ]
        move.picked = True
        move._action_done()

    @classmethod
    def build_kpi_fixture(cls):
        """Issue 20's 20 tickets: 15 resolved at first contact (10 of them
        dispatched automatically), a repair and its repeat, a repair resolved
        at the second visit, a complaint and an open ticket."""
        # A repair resolved ten days ago, and the same unit back five days later: a repeat repair.
        with freeze_time(cls.days_ago(10)):
            cls.original = cls.unit_ticket(team_id=cls.team_sh.id, technician_id=cls.tech_a.id)
            cls.resolve(cls.original)
        with freeze_time(cls.days_ago(5)):
            cls.repeat = cls.create_ticket(lot_id=cls.original.lot_id.id, technician_id=cls.tech_a.id)
        # 15 resolved at first contact: 10 dispatched automatically, 5 by hand
        cls.auto = cls.Ticket.browse()
        for _i in range(10):
            cls.auto |= cls.unit_ticket(team_id=cls.team_auto.id)
        cls.manual = cls.Ticket.browse()
        for _i in range(5):
            cls.manual |= cls.unit_ticket(technician_id=cls.tech_b.id)
        cls.resolve(cls.auto | cls.manual)
        # resolved, but at the second visit
        cls.second_visit = cls.unit_ticket(technician_id=cls.tech_a.id)
        cls.add_repair(cls.second_visit)
        cls.add_repair(cls.second_visit)
        cls.resolve(cls.second_visit)
        cls.complaint = cls.create_ticket(category="complaint", name="Nobody called back")
        cls.still_open = cls.unit_ticket()
        cls.tickets = (
            cls.original | cls.repeat | cls.auto | cls.manual | cls.second_visit | cls.complaint | cls.still_open
        )
