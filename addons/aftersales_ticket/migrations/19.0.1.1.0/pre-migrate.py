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

from odoo.addons.aftersales_ticket.migration_tools import rename_field

_logger = logging.getLogger(__name__)

RENAMED_FIELDS = [
    ("aftersales.ticket", "date_accepted", "date_taken"),
    ("aftersales.team", "level", "network_level"),
    ("aftersales.technician", "level", "certification_level"),
]


def migrate(cr, version):
    for model, old, new in RENAMED_FIELDS:
        if rename_field(cr, "aftersales_ticket", model, old, new):
            _logger.info("%s: field %s renamed to %s", model, old, new)
