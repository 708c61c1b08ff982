from dateutil.relativedelta import relativedelta
from psycopg2 import errors

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import LockError, UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestIssueConcurrency(TransactionCase):
    """Two workers issue the last unit of a part for two tickets at once: one
    succeeds, the other conflicts and, retried, is told there is a shortage;
    the stock never goes negative."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
            van = env["stock.location"].create(
                {"name": "Concurrency van", "usage": "internal", "location_id": warehouse.view_location_id.id}
            )
            part = env["product.product"].create({"name": "Concurrency part", "is_storable": True})
            unit = env["product.product"].create({"name": "Concurrency unit", "type": "consu"})
            partner = env["res.partner"].create({"name": "Concurrency customer"})
            env["stock.quant"]._update_available_quantity(part, van, 1.0)
            purchase = fields.Date.today() - relativedelta(months=1)
            repairs = env["repair.order"]
            tickets = env["aftersales.ticket"]
            for name in ("First", "Second"):
                ticket = env["aftersales.ticket"].create(
                    {"name": name, "partner_id": partner.id, "product_id": unit.id, "purchase_date": purchase}
                )
                repair = env["repair.order"].create(
                    {
                        "aftersales_ticket_id": ticket.id,
                        "partner_id": partner.id,
                        "location_id": van.id,
                        "move_ids": [
                            (0, 0, {"product_id": part.id, "product_uom_qty": 1.0, "repair_line_type": "add"})
                        ],
                    }
                )
                repairs |= repair
                tickets |= ticket
            # Both are covered (in warranty) and confirmed; the van's last unit
            # is reserved by nobody yet.
            repairs.move_ids._do_unreserve()
            repairs._action_repair_confirm()
            repairs.move_ids._do_unreserve()
            self.ids_ = {
                "van": van.id,
                "part": part.id,
                "unit": unit.id,
                "partner": partner.id,
                "repairs": repairs.ids,
                "tickets": tickets.ids,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            repairs = env["repair.order"].browse(self.ids_["repairs"])
            repairs.move_ids._do_unreserve()
            repairs.action_repair_cancel()
            repairs.unlink()
            env["aftersales.ticket"].browse(self.ids_["tickets"]).unlink()
            env["stock.quant"].search([("location_id", "=", self.ids_["van"])]).unlink()
            env["stock.location"].browse(self.ids_["van"]).unlink()
            env["product.product"].browse([self.ids_["part"], self.ids_["unit"]]).unlink()
            env["res.partner"].browse(self.ids_["partner"]).unlink()

    def _issue(self, env, index):
        repair = env["repair.order"].browse(self.ids_["repairs"][index])
        repair.action_aftersales_issue_parts()
        env.flush_all()
        return repair

    def test_last_unit_issued_once(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            cr2.execute("SELECT 1")  # worker 2's transaction (and snapshot) has started
            first = self._issue(env1, 0)
            self.assertEqual(first.move_ids.quantity, 1.0)
            cr1.commit()  # pylint: disable=invalid-commit
            with self.assertRaises(errors.SerializationFailure), mute_logger("odoo.sql_db"):
                self._issue(env2, 1)
            cr2.rollback()
            # Odoo retries the request in a new transaction: a clear shortage
            env2.invalidate_all()
            with self.assertRaisesRegex(UserError, "Shortage"):
                self._issue(env2, 1)
            cr2.rollback()

        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            quants = env["stock.quant"].search([("product_id", "=", self.ids_["part"])])
            self.assertTrue(all(q.quantity >= 0 for q in quants), "stock never goes negative")
            self.assertEqual(sum(quants.mapped("quantity")), 1.0)
            self.assertEqual(sum(quants.mapped("reserved_quantity")), 1.0)
            first, second = env["repair.order"].browse(self.ids_["repairs"])
            self.assertEqual((first.move_ids.quantity, first.move_ids.picked), (1.0, True))
            self.assertEqual((second.move_ids.quantity, second.move_ids.picked), (0.0, False))
            self.assertEqual(second.move_ids.state, "confirmed", "the second ticket's part waits (shortage)")
            self.assertEqual(second.parts_availability_state, "late")


@tagged("post_install", "-at_install")
class TestInspectionFeeConcurrency(TransactionCase):
    """The customer refuses two quotations of one ticket at once (two
    workers): one inspection fee, not two."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            fee = env["product.product"].create(
                {"name": "Concurrency inspection", "type": "service", "invoice_policy": "order", "list_price": 30.0}
            )
            self.previous_fee = env.company.aftersales_inspection_product_id.id
            env.company.aftersales_inspection_product_id = fee
            part = env["product.product"].create({"name": "Concurrency fee part", "type": "consu"})
            partner = env["res.partner"].create({"name": "Concurrency fee customer"})
            ticket = env["aftersales.ticket"].create(
                {
                    "name": "Two quotations",
                    "partner_id": partner.id,
                    "product_id": part.id,
                    "purchase_date": fields.Date.today() - relativedelta(years=3),
                }
            )
            repairs = env["repair.order"].create(
                [
                    {
                        "aftersales_ticket_id": ticket.id,
                        "partner_id": partner.id,
                        "move_ids": [
                            (0, 0, {"product_id": part.id, "product_uom_qty": 1.0, "repair_line_type": "add"})
                        ],
                    }
                    for _i in range(2)
                ]
            )
            repairs._create_sale_order()
            self.assertEqual(set(repairs.mapped("aftersales_coverage")), {"chargeable"})
            self.ticket_id, self.order_ids = ticket.id, repairs.sale_order_id.ids
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.company.aftersales_inspection_product_id = self.previous_fee
            # The committed ticket keeps its repairs and orders in the
            # throwaway test database, archived so that the company-wide
            # figures of later tests (the quality board) do not count it.
            cr.execute("UPDATE aftersales_ticket SET active = FALSE WHERE id = %s", [self.ticket_id])

    def _refuse(self, env, index):
        env["sale.order"].browse(self.order_ids[index]).action_cancel()
        env.flush_all()

    def _fee_orders(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ticket = env["aftersales.ticket"].browse(self.ticket_id)
            fee_orders = ticket.aftersales_sale_order_ids.filtered(lambda o: not o.repair_order_ids)
            self.assertEqual(env["sale.order"].browse(self.order_ids).mapped("state"), ["cancel", "cancel"])
            return fee_orders, ticket.aftersales_inspection_order_id

    def test_two_refusals_committed_one_after_the_other(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            cr2.execute("SELECT 1")  # worker 2's transaction (and snapshot) has started
            self._refuse(env1, 0)
            cr1.commit()  # pylint: disable=invalid-commit
            with self.assertRaises(errors.SerializationFailure), mute_logger("odoo.sql_db"):
                self._refuse(env2, 1)
            cr2.rollback()
            # Odoo retries the request in a new transaction: the fee is there
            env2.invalidate_all()
            self._refuse(env2, 1)
            cr2.commit()  # pylint: disable=invalid-commit
        fee_orders, recorded = self._fee_orders()
        self.assertEqual(len(fee_orders), 1, "one inspection fee per ticket")
        self.assertEqual(recorded, fee_orders)

    def test_two_refusals_at_the_same_time(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            self._refuse(env1, 0)  # not committed yet: the ticket is locked
            cr2.execute("SET LOCAL lock_timeout = '10s'")  # fail, not hang, if worker 2 waited on worker 1
            with self.assertRaises(LockError):
                self._refuse(env2, 1)
            cr2.rollback()
            cr1.commit()  # pylint: disable=invalid-commit
            env2.invalidate_all()
            self._refuse(env2, 1)
            cr2.commit()  # pylint: disable=invalid-commit
        fee_orders, _recorded = self._fee_orders()
        self.assertEqual(len(fee_orders), 1, "one inspection fee per ticket")
