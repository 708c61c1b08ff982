from . import models
from . import report
from .hooks import post_init_hook
from odoo.addons.aftersales_ticket.uninstall import release_referenced_records


def uninstall_hook(env):
    # the demo tickets and repairs it made stay (their addons own them); the
    # parts and vans that stock moves and invoices use stay
    release_referenced_records(env, "aftersales_parts", documents=("aftersales.ticket", "repair.order"))
