from . import aftersales_sla_report
