from . import controllers, log_filter, models, wizard
from .uninstall import release_referenced_records

log_filter.install()


def uninstall_hook(env):
    # its own tickets go with their table; the products, lots and partners
    # that stock moves or other documents still use stay
    release_referenced_records(env, "aftersales_ticket", documents=())
