from odoo import SUPERUSER_ID, api

# The tiers are noupdate data: give databases installed before the tier
# promises of seed 003 their targets, queue priority and on-site promise.
PROMISES = {
    "tier_basic": {"response_general_hours": 48.0, "queue_priority": 0},
    "tier_intermediate": {"response_general_hours": 24.0, "onsite_hours": 48.0, "queue_priority": 0},
    "tier_advanced": {"response_general_hours": 24.0, "queue_priority": 1},
    "tier_vip": {"response_general_hours": 24.0, "onsite_hours": 24.0, "queue_priority": 2},
}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, values in PROMISES.items():
        tier = env.ref(f"aftersales_sla.{xmlid}", raise_if_not_found=False)
        if tier:
            tier.write(values)
