"""Helpers of the suite's migration scripts (imported by the pre-migrations
of aftersales_ticket and the addons that extend it)."""

from odoo.tools import SQL


def rename_field_records(cr, module, model, old, new):
    """After a column rename: the field record of ``model`` and the xml ids
    ``field_<table>__<name>`` and ``selection__<table>__<name>__<value>`` of
    ``module`` follow the new name, so that tracking history, defaults and
    translations stay attached to the field."""
    table = model.replace(".", "_")
    cr.execute(SQL("UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s", new, model, old))
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
