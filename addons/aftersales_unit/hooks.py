from odoo.addons.aftersales_ticket.uninstall import release_referenced_records


def post_init_hook(env):
    """A customer units location per warehouse company, and the owners of the
    serials already delivered."""
    env["res.company"].search([])._aftersales_unit_setup()
    env["stock.lot"].search([])._aftersales_update_owner_from_deliveries()


def uninstall_hook(env):
    """The demo tickets it made stay (aftersales_ticket owns them); the
    serials and products that stock moves still use stay."""
    release_referenced_records(env, "aftersales_unit", documents=("aftersales.ticket",))
