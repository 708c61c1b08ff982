def post_init_hook(env):
    """Tickets that existed before the addon was installed get their tier,
    warranty status and deadlines, in batches, like new ones."""
    tickets = env["aftersales.ticket"].with_context(active_test=False).search([("sla_tier_id", "=", False)])
    if not tickets:
        return
    fields_to_recompute = [
        "purchase_price",
        "sla_tier_id",
        "sla_contract_id",
        "sla_tier_origin",
        "sla_rule_id",
        "warranty_end_date",
        "warranty_state",
        "entitlement",
        "entitlement_data",
    ]
    for fname in fields_to_recompute:
        env.add_to_compute(tickets._fields[fname], tickets)
    tickets.flush_recordset()
    tickets.filtered(lambda t: not t.is_cancelled)._sla_refresh()
