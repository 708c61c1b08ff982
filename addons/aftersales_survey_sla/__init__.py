from . import models, report
from odoo.addons.aftersales_ticket.uninstall import release_referenced_records


def _post_init_hook(env):
    # follow-ups planned before: the tier of their ticket, then the totals recounted with the tier
    env.cr.execute(
        """
        UPDATE aftersales_followup f
           SET tier_id = t.sla_tier_id
          FROM aftersales_ticket t
         WHERE t.id = f.ticket_id AND f.tier_id IS NULL AND t.sla_tier_id IS NOT NULL
        """
    )
    env["aftersales.followup"].invalidate_model(["tier_id"])
    env["aftersales.followup.kpi"]._kpi_rebuild()


def uninstall_hook(env):
    # nothing of its own is referenced; called for the same rule everywhere
    release_referenced_records(env, "aftersales_survey_sla", documents=())
