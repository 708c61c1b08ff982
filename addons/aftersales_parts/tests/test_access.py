from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import SIGNATURE, AftersalesPartsCommon

# Who may write each field and call each action that moves money or stock:
# (portal, technician assigned to the ticket, agent, warehouse clerk,
# finance, after-sales manager). Facts the system computes: nobody.
ROLES = ("portal", "technician", "agent", "warehouse", "finance", "manager")
NOBODY = (False,) * 6
WORK = (False, True, True, True, False, True)  # whoever works on the repair
OFFICE = (False, False, True, True, False, True)  # agents and warehouse staff
INTAKE = (False, False, True, False, False, True)  # agents at intake, managers
MANAGER = (False, False, False, False, False, True)
AGENT = (False, False, True, False, False, True)
WAREHOUSE = (False, False, False, True, False, False)
FINANCE = (False, False, False, False, True, False)

# A ticket's repair while it is a draft (intake).
REPAIR_TABLE = {
    "aftersales_ticket_id": OFFICE,
    "aftersales_service_location": WORK,
    "aftersales_coverage": NOBODY,
    "aftersales_damage_reason": INTAKE,
    "aftersales_damage_note": WORK,
    "under_warranty": NOBODY,
    "aftersales_labour_hours": WORK,
    "aftersales_labour_product_id": OFFICE,
    "aftersales_labour_sale_line_id": NOBODY,
    "aftersales_labour_cost": NOBODY,
    "aftersales_date_repaired": NOBODY,
}
# Odoo's fields that decide paid or free on a ticket's repair.
PAID_OR_FREE_TABLE = {"product_id": INTAKE, "lot_id": INTAKE}
# Once the repair is confirmed: the manager only; its ticket stays.
CONFIRMED_TABLE = {
    "aftersales_ticket_id": NOBODY,
    "aftersales_damage_reason": MANAGER,
    "product_id": MANAGER,
    "lot_id": MANAGER,
}
RETURN_FACTS = [
    "name",
    "company_id",
    "ticket_id",
    "repair_id",
    "lot_id",
    "product_id",
    "part_lot_id",
    "quantity",
    "product_uom_id",
    "move_id",
    "location_id",
    "state",
    "inspected_by_id",
    "inspection_date",
    "picking_id",
    "scrap_id",
    "reuse_move_id",
]
RETURN_TABLE = {
    "inspection_result": WAREHOUSE,
    "inspection_note": WAREHOUSE,
    "vendor_id": WAREHOUSE,
    "rma_reference": WAREHOUSE,
    **dict.fromkeys(RETURN_FACTS, NOBODY),
}
TICKET_TABLE = {"settlement_waived": NOBODY, "aftersales_inspection_order_id": NOBODY}
# A ticket's quotation: the signature is the customer's (portal route), the
# prices the pricelist's, a manager's discount aside.
ORDER_TABLE = {"signature": NOBODY, "signed_by": NOBODY, "signed_on": NOBODY}
ORDER_LINE_TABLE = {"price_unit": MANAGER, "discount": MANAGER}
PART_MOVE_TABLE = {"price_unit": (False, False, False, True, False, True)}
OTHER_STOCK_MOVE_FIELDS = {"aftersales_ticket_id", "aftersales_unit_cost"}

# Public actions that move money or stock.
ACTIONS = {
    "repair.action_aftersales_send_quotation": AGENT,
    "sale.order.action_confirm (signed)": AGENT,
    "sale.order.action_confirm (not signed)": MANAGER,
    "sale.order.action_cancel (refusal, inspection fee)": AGENT,
    "repair.action_aftersales_issue_parts": (False, True, False, True, False, False),
    "repair.action_repair_end": (False, True, False, True, False, False),
    "sale.order.action_aftersales_invoice_batch": FINANCE,
    # Needs Sales / User, which none of these roles has (a salesperson is
    # refused by our check: test_money_stock_rights).
    "sale.advance.payment.inv.create_invoices (Odoo's wizard)": NOBODY,
    "ticket.action_waive_settlement": FINANCE,
    "part_return.action_inspect": WAREHOUSE,
    "part_return.action_scrap": WAREHOUSE,
    "part_return.action_reuse": WAREHOUSE,
    "part_return.action_return_to_vendor": WAREHOUSE,
}


@tagged("post_install", "-at_install")
class TestMoneyStockTable(AftersalesPartsCommon):
    """Every field and every action of the table, for every role, called as
    an RPC call would (``with_user`` on the model method)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = (cls.portal_user, cls.tech_user_a, cls.agent, cls.clerk, cls.finance, cls.manager)
        cls.inspection = cls.env["product.product"].create(
            {"name": "Inspection fee", "type": "service", "invoice_policy": "order", "list_price": 30.0}
        )
        cls.company.aftersales_inspection_product_id = cls.inspection

    def _stored_fields(self, model):
        imd = self.env["ir.model.fields"].search(
            [("model", "=", model), ("store", "=", True), ("ttype", "!=", "one2many")]
        )
        ours = imd.filtered(lambda f: "aftersales_parts" in (f.modules or "").split(", "))
        magic = {"id", "create_uid", "create_date", "write_uid", "write_date", "display_name"}
        return set(ours.mapped("name")) - magic

    def test_every_stored_field_is_classified(self):
        self.assertEqual(self._stored_fields("repair.order"), set(REPAIR_TABLE))
        mail_fields = {
            f for f in self._stored_fields("aftersales.part.return") if f.startswith(("message_", "activity_"))
        }
        self.assertEqual(self._stored_fields("aftersales.part.return") - mail_fields, set(RETURN_TABLE))
        self.assertEqual(self._stored_fields("aftersales.ticket"), set(TICKET_TABLE))
        self.assertEqual(self._stored_fields("stock.move"), OTHER_STOCK_MOVE_FIELDS)

    # ------------------------------------------------------------------
    # Cells
    # ------------------------------------------------------------------

    def _value(self, record, fname):
        field = record._fields[fname]
        if field.type == "selection":
            values = [v for v, _label in field._description_selection(self.env)]
            return next(v for v in values if v != record[fname])
        if field.type == "many2one" and record[fname]:
            return record[fname].id  # the same value: what is checked is who writes it
        return {
            "float": 1.0,
            "integer": 1,
            "monetary": 1.0,
            "char": "X",
            "text": "X",
            "binary": SIGNATURE,
            "boolean": not record[fname],
            "datetime": fields.Datetime.now(),
            "date": fields.Date.today(),
        }.get(field.type, False)

    def _cell(self, label, user, may, call):
        """Run ``call(user)`` in a savepoint rolled back afterwards: it must
        pass if ``may``, else be refused."""
        with self.subTest(cell=label, user=user.login):
            if may:
                savepoint = self.env.cr.savepoint()
                try:
                    call(user)
                    self.env.flush_all()
                finally:
                    savepoint.close(rollback=True)
            else:
                refused = False
                try:
                    with self.env.cr.savepoint():
                        call(user)
                        self.env.flush_all()
                except (AccessError, UserError, ValidationError):
                    refused = True
                self.assertTrue(refused, f"{user.login} may not: {label}")
            self.env.invalidate_all()

    def _check_fields(self, record, table):
        for fname, allowed in table.items():
            value = self._value(record, fname)
            for user, may in zip(self.users, allowed, strict=True):
                self._cell(
                    f"{record._name}.{fname}",
                    user,
                    may,
                    lambda user, fname=fname, value=value: record.with_user(user).write({fname: value}),
                )

    # ------------------------------------------------------------------
    # States
    # ------------------------------------------------------------------

    def _repair(self):
        """A chargeable ticket's draft repair with a part and an hour."""
        return self.open_repair(self.create_parts_ticket())

    def _quoted(self):
        repair = self._repair()
        repair.sudo()._create_sale_order()
        repair.sale_order_id.action_quotation_sent()
        return repair

    def _approved(self):
        repair = self._quoted()
        self.sign(repair.sale_order_id)
        repair.sale_order_id.action_confirm()
        return repair

    def _under_repair(self):
        repair = self._approved()
        repair.action_aftersales_issue_parts()
        repair.action_repair_start()
        return repair

    def _part_return(self, result, inspected=True):
        ticket = self.create_parts_ticket(in_warranty=True)
        repair = self.open_repair(ticket)
        repair.write(
            {"move_ids": [(0, 0, {"product_id": self.part.id, "product_uom_qty": 1.0, "repair_line_type": "remove"})]}
        )
        repair.action_aftersales_issue_parts()
        repair.action_repair_start()
        repair.action_repair_end()
        part = ticket.part_return_ids
        part.write({"inspection_result": result, "rma_reference": "RMA-1"})
        if inspected:
            part.action_inspect()
        return part

    # ------------------------------------------------------------------
    # Tables
    # ------------------------------------------------------------------

    def test_repair_field_table(self):
        repair = self._repair()
        repair.aftersales_damage_note = "Dropped on the floor"
        self._check_fields(repair, REPAIR_TABLE)
        self._check_fields(repair, PAID_OR_FREE_TABLE)
        self._check_fields(repair.move_ids, PART_MOVE_TABLE)

    def test_confirmed_repair_field_table(self):
        repair = self._approved()
        self.assertEqual(repair.state, "confirmed")
        repair.aftersales_damage_note = "Dropped on the floor"
        other_ticket = self.create_parts_ticket(in_warranty=True)
        for user, may in zip(self.users, CONFIRMED_TABLE["aftersales_ticket_id"], strict=True):
            self._cell(
                "repair.order.aftersales_ticket_id (confirmed)",
                user,
                may,
                lambda user: repair.with_user(user).write({"aftersales_ticket_id": other_ticket.id}),
            )
        self._check_fields(repair, {f: a for f, a in CONFIRMED_TABLE.items() if f != "aftersales_ticket_id"})

    def test_quotation_field_table(self):
        order = self._quoted().sale_order_id
        self._check_fields(order, ORDER_TABLE)
        self._check_fields(order.order_line[0], ORDER_LINE_TABLE)

    def test_returned_part_and_ticket_field_table(self):
        part = self._part_return("defective", inspected=False)
        self._check_fields(part, RETURN_TABLE)
        self._check_fields(part.ticket_id, TICKET_TABLE)

    def test_action_table(self):
        def send_quotation(user):
            self._repair().with_user(user).action_aftersales_send_quotation()

        def confirm(signed):
            def call(user):
                order = self._quoted().sale_order_id
                if signed:
                    self.sign(order)
                order.with_user(user).action_confirm()
                self.assertEqual(order.state, "sale")

            return call

        def cancel(user):
            order = self._quoted().sale_order_id
            order.with_user(user).action_cancel()
            self.assertTrue(order.aftersales_ticket_id.aftersales_inspection_order_id, "the fee is charged")

        def issue(user):
            repair = self._approved()
            repair.with_user(user).action_aftersales_issue_parts()
            self.assertTrue(repair.move_ids.picked)

        def end(user):
            repair = self._under_repair()
            repair.with_user(user).action_repair_end()
            self.assertEqual(repair.state, "done")

        def invoice(user):
            repair = self._under_repair()
            repair.action_repair_end()
            repair.sale_order_id.with_user(user).action_aftersales_invoice_batch()
            self.assertEqual(repair.sale_order_id.invoice_ids.state, "posted")

        def invoice_wizard(user):
            repair = self._under_repair()
            repair.action_repair_end()
            order = repair.sale_order_id
            wizard = (
                self.env["sale.advance.payment.inv"]
                .with_user(user)
                .with_context(active_model="sale.order", active_ids=order.ids)
            )
            wizard.create({"advance_payment_method": "delivered"}).create_invoices()
            self.assertTrue(order.invoice_ids)

        def waive(user):
            self._quoted().aftersales_ticket_id.with_user(user).action_waive_settlement()

        def part_action(method, result, inspected=True):
            def call(user):
                getattr(self._part_return(result, inspected).with_user(user), method)()

            return call

        calls = {
            "repair.action_aftersales_send_quotation": send_quotation,
            "sale.order.action_confirm (signed)": confirm(True),
            "sale.order.action_confirm (not signed)": confirm(False),
            "sale.order.action_cancel (refusal, inspection fee)": cancel,
            "repair.action_aftersales_issue_parts": issue,
            "repair.action_repair_end": end,
            "sale.order.action_aftersales_invoice_batch": invoice,
            "sale.advance.payment.inv.create_invoices (Odoo's wizard)": invoice_wizard,
            "ticket.action_waive_settlement": waive,
            "part_return.action_inspect": part_action("action_inspect", "defective", inspected=False),
            "part_return.action_scrap": part_action("action_scrap", "defective"),
            "part_return.action_reuse": part_action("action_reuse", "reusable"),
            "part_return.action_return_to_vendor": part_action("action_return_to_vendor", "repairable"),
        }
        self.assertEqual(set(calls), set(ACTIONS))
        for label, allowed in ACTIONS.items():
            for user, may in zip(self.users, allowed, strict=True):
                self._cell(label, user, may, calls[label])
