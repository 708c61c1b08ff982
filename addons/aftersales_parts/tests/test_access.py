from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import AftersalesPartsCommon

# Who may write each stored field this addon adds: portal, technician (their
# own repair), agent, warehouse clerk. Facts the system computes: nobody.
REPAIR_TABLE = {
    "aftersales_ticket_id": (False, False, True, True),
    "aftersales_service_location": (False, True, True, True),
    "aftersales_coverage": (False, False, False, False),
    "aftersales_damage_reason": (False, True, True, True),
    "aftersales_damage_note": (False, True, True, True),
    "under_warranty": (False, False, False, False),
    "aftersales_labour_hours": (False, True, True, True),
    "aftersales_labour_product_id": (False, False, True, True),
    "aftersales_labour_sale_line_id": (False, False, False, False),
    "aftersales_labour_cost": (False, False, False, False),
    "aftersales_date_repaired": (False, False, False, False),
}
RETURN_TABLE = {
    "inspection_result": (False, False, False, True),
    "inspection_note": (False, False, False, True),
    "vendor_id": (False, False, False, True),
    "rma_reference": (False, False, False, True),
    **dict.fromkeys(
        [
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
        ],
        (False, False, False, False),
    ),
}
TICKET_TABLE = {"settlement_waived": (False, False, False, False)}
OTHER_STOCK_MOVE_FIELDS = {"aftersales_ticket_id", "aftersales_unit_cost"}


@tagged("post_install", "-at_install")
class TestWriteTable(AftersalesPartsCommon):
    """Every stored field of the addon's models is classified per role, and the
    classification holds when each role writes it as an RPC call would."""

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

    def _value(self, record, fname):
        field = record._fields[fname]
        if field.type == "selection":
            values = [v for v, _label in field._description_selection(self.env)]
            return next(v for v in values if v != record[fname])
        return {
            "float": 1.0,
            "integer": 1,
            "char": "X",
            "text": "X",
            "boolean": not record[fname],
            "datetime": fields.Datetime.now(),
            "date": fields.Date.today(),
        }.get(field.type, False)

    def _check(self, record, table, users):
        for fname, allowed in table.items():
            value = self._value(record, fname)
            for user, may in zip(users, allowed, strict=True):
                with self.subTest(field=fname, user=user.login):
                    if may:
                        savepoint = self.env.cr.savepoint()
                        try:
                            record.with_user(user).write({fname: value})
                            record.env.flush_all()
                        finally:
                            savepoint.close(rollback=True)  # the next role starts from the same record
                    else:
                        refused = False
                        try:
                            with self.env.cr.savepoint():
                                record.with_user(user).write({fname: value})
                                record.env.flush_all()
                        except (AccessError, UserError, ValidationError):
                            refused = True
                        self.assertTrue(refused, f"{user.login} may not write {record._name}.{fname}")
                    self.env.invalidate_all()

    def test_repair_write_table(self):
        ticket = self.create_parts_ticket()
        repair = self.open_repair(ticket)
        self.env["stock.quant"]._update_available_quantity(self.part, self.van, 1.0)
        users = (self.portal_user, self.tech_user_a, self.agent, self.clerk)
        self._check(repair, {f: a for f, a in REPAIR_TABLE.items() if f != "aftersales_damage_reason"}, users)
        repair.aftersales_damage_note = "Dropped on the floor"
        self._check(repair, {"aftersales_damage_reason": REPAIR_TABLE["aftersales_damage_reason"]}, users)
        self._check(ticket, TICKET_TABLE, users)

    def test_returned_part_write_table(self):
        ticket = self.create_parts_ticket(in_warranty=True)
        repair = self.open_repair(ticket)
        repair.write(
            {"move_ids": [(0, 0, {"product_id": self.part.id, "product_uom_qty": 1.0, "repair_line_type": "remove"})]}
        )
        repair = repair.with_user(self.clerk)
        repair.action_aftersales_issue_parts()
        repair.action_repair_start()
        repair.action_repair_end()
        part = ticket.part_return_ids
        self.assertTrue(part)
        self._check(part, RETURN_TABLE, (self.portal_user, self.tech_user_a, self.agent, self.clerk))
