from . import controllers, models, report, wizard
from odoo.addons.aftersales_ticket.uninstall import release_referenced_records


def _post_init_hook(env):
    # follow-ups that existed before (demo data, an upgrade): count them once
    env["aftersales.followup.kpi"]._kpi_rebuild()


def uninstall_hook(env):
    # the surveys customers answered stay with their answers
    release_referenced_records(env, "aftersales_survey", documents=("aftersales.ticket",))
