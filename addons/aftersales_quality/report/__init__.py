from . import aftersales_quality_report
