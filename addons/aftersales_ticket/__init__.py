from . import controllers, log_filter, models, wizard

log_filter.install()
