from . import controllers, models, report, wizard


def _post_init_hook(env):
    # follow-ups that existed before (demo data, an upgrade): count them once
    env["aftersales.followup.kpi"]._kpi_rebuild()
