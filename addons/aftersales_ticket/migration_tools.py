"""What the suite's migration scripts share: renaming a field of a model
with everything that names it."""

from odoo.tools import SQL
from odoo.tools.sql import column_exists, rename_column


def rename_field(cr, module, model, old, new, *, stored=True):
    """Rename field ``old`` of ``model`` (declared by ``module``) to ``new``
    before the new code loads: its column (when ``stored``), its
    ``ir.model.fields`` record and its xml ids ``field_<table>__<name>`` and
    ``selection__<table>__<name>__<value>``, so that data, tracking history,
    defaults and translations stay attached to the field under its new name.
    Returns whether anything was renamed: nothing is when a stored ``old``
    has no column or ``new`` already has one, or when the field record of
    ``new`` exists (a second run changes nothing)."""
    table = model.replace(".", "_")
    if stored:
        if not column_exists(cr, table, old) or column_exists(cr, table, new):
            return False
        rename_column(cr, table, old, new)
    cr.execute(
        SQL(
            """
            UPDATE ir_model_fields SET name = %s
             WHERE model = %s AND name = %s
               AND NOT EXISTS (SELECT 1 FROM ir_model_fields WHERE model = %s AND name = %s)
            """,
            new,
            model,
            old,
            model,
            new,
        )
    )
    if not stored and not cr.rowcount:
        return False
    for prefix in ("field_", "selection__"):
        old_xmlid, new_xmlid = f"{prefix}{table}__{old}", f"{prefix}{table}__{new}"
        cr.execute(
            SQL(
                """
                UPDATE ir_model_data
                   SET name = %s || substr(name, length(%s) + 1)
                 WHERE module = %s AND (name = %s OR starts_with(name, %s))
                """,
                new_xmlid,
                old_xmlid,
                module,
                old_xmlid,
                f"{old_xmlid}__",
            )
        )
    return True
