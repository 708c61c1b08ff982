def post_init_hook(env):
    """A customer units location per warehouse company, and the owners of the
    serials already delivered."""
    env["res.company"].search([])._aftersales_unit_setup()
    env["stock.lot"].search([])._aftersales_update_owner_from_deliveries()
