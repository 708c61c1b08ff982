from . import models
from . import report
from .hooks import post_init_hook
from odoo.addons.aftersales_ticket.uninstall import release_referenced_records


def uninstall_hook(env):
    # the demo tickets it made stay (aftersales_ticket owns them)
    release_referenced_records(env, "aftersales_sla", documents=("aftersales.ticket",))
