def post_init_hook(env):
    """A quarantine location per warehouse company and the tiers' pricelists."""
    env["res.company"].search([])._aftersales_parts_setup()
