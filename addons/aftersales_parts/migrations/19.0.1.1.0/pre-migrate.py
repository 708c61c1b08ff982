"""19.0.1.1.0: the fields this addon adds to ``repair.order`` carry the
``aftersales_`` prefix, so that they cannot clash with another repair
extension (``ticket_id`` -> ``aftersales_ticket_id``, ``coverage`` ->
``aftersales_coverage``, ...).

Before the new code loads, each stored field's column is renamed with its
index and foreign key, and each field's ``ir.model.fields`` record and xml
ids (``field_repair_order__<name>``, ``selection__repair_order__<name>__*``)
follow, so that data, tracking history, defaults and translations stay
attached to the field under its new name. The technicians' record rules are
``noupdate``: their domains are rewritten here.
"""

import logging

from odoo.addons.aftersales_ticket.migration_tools import rename_field
from odoo.tools import SQL
from odoo.tools.sql import index_exists

_logger = logging.getLogger(__name__)

MODEL, TABLE = "repair.order", "repair_order"
STORED = [
    "ticket_id",
    "service_location",
    "coverage",
    "damage_reason",
    "damage_note",
    "labour_hours",
    "labour_product_id",
    "labour_sale_line_id",
    "labour_cost",
    "date_repaired",
]
NOT_STORED = ["approval_state", "part_return_ids"]
# The noupdate rules whose domains name repair.order's ticket field.
RULE_DOMAINS = {
    "repair_order_rule_technician": ("('ticket_id.user_id'", "('aftersales_ticket_id.user_id'"),
    "stock_move_rule_technician": ("('repair_id.ticket_id.user_id'", "('repair_id.aftersales_ticket_id.user_id'"),
}


def _rename_index_and_key(cr, old, new):
    """The column's index and foreign key follow it (rename_field renamed the column)."""
    if index_exists(cr, f"{TABLE}__{old}_index"):
        cr.execute(
            SQL(
                "ALTER INDEX %s RENAME TO %s",
                SQL.identifier(f"{TABLE}__{old}_index"),
                SQL.identifier(f"{TABLE}__{new}_index"),
            )
        )
    cr.execute(
        SQL(
            "SELECT 1 FROM pg_constraint WHERE conname = %s AND conrelid = %s::regclass",
            f"{TABLE}_{old}_fkey",
            TABLE,
        )
    )
    if cr.rowcount:
        cr.execute(
            SQL(
                "ALTER TABLE %s RENAME CONSTRAINT %s TO %s",
                SQL.identifier(TABLE),
                SQL.identifier(f"{TABLE}_{old}_fkey"),
                SQL.identifier(f"{TABLE}_{new}_fkey"),
            )
        )


def migrate(cr, version):
    for old in STORED + NOT_STORED:
        new = f"aftersales_{old}"
        if rename_field(cr, "aftersales_parts", MODEL, old, new, stored=old in STORED) and old in STORED:
            _rename_index_and_key(cr, old, new)
    for xmlid, (old, new) in RULE_DOMAINS.items():
        cr.execute(
            SQL(
                """
                UPDATE ir_rule r SET domain_force = replace(r.domain_force, %s, %s)
                  FROM ir_model_data d
                 WHERE d.module = 'aftersales_parts' AND d.name = %s AND d.model = 'ir.rule' AND d.res_id = r.id
                """,
                old,
                new,
                xmlid,
            )
        )
    _logger.info("repair.order: the fields of aftersales_parts renamed with the aftersales_ prefix")
