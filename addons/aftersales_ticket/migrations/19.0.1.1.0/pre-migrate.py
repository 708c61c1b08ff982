"""19.0.1.1.0: fields renamed to say what they hold. The columns are renamed
before the new code loads, with their field records (and the xml ids of the
fields and of their selection values), so that data, tracking history,
defaults and translations stay attached to the field under its new name.

- aftersales.ticket ``date_accepted`` -> ``date_taken``: when the service
  desk took the ticket in (受理), not the customer's acceptance (that is
  ``acceptance_date``);
- aftersales.team ``level`` -> ``network_level``: HQ, region or city centre;
- aftersales.technician ``level`` -> ``certification_level``.

``kanban_state`` of aftersales.ticket was never used: the field is gone, and
Odoo drops its column at the end of the upgrade like any removed field.
"""

import logging

from odoo.tools import SQL
from odoo.tools.sql import column_exists, rename_column

_logger = logging.getLogger(__name__)

RENAMED_FIELDS = [
    ("aftersales.ticket", "date_accepted", "date_taken"),
    ("aftersales.team", "level", "network_level"),
    ("aftersales.technician", "level", "certification_level"),
]


def migrate(cr, version):
    for model, old, new in RENAMED_FIELDS:
        table = model.replace(".", "_")
        if not column_exists(cr, table, old) or column_exists(cr, table, new):
            continue
        rename_column(cr, table, old, new)
        cr.execute(SQL("UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s", new, model, old))
        # The xml ids field_<table>__<name> and selection__<table>__<name>__<value>.
        for prefix in ("field_", "selection__"):
            old_xmlid, new_xmlid = f"{prefix}{table}__{old}", f"{prefix}{table}__{new}"
            cr.execute(
                SQL(
                    """
                    UPDATE ir_model_data
                       SET name = %s || substr(name, length(%s) + 1)
                     WHERE module = 'aftersales_ticket' AND (name = %s OR starts_with(name, %s))
                    """,
                    new_xmlid,
                    old_xmlid,
                    old_xmlid,
                    f"{old_xmlid}__",
                )
            )
        _logger.info("%s: field %s renamed to %s", model, old, new)
