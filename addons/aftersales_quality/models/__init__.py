from . import (
    aftersales_quality_alert,
    aftersales_quality_audit,
    aftersales_quality_compensation,
    aftersales_quality_rootcause,
    aftersales_quality_target,
    aftersales_ticket,
    res_company,
    res_config_settings,
)
