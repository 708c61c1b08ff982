from . import controllers
from . import models
from odoo.addons.aftersales_ticket.uninstall import release_referenced_records


def uninstall_hook(env):
    # the demo tickets it made stay (aftersales_ticket owns them)
    release_referenced_records(env, "aftersales_kb", documents=("aftersales.ticket",))
