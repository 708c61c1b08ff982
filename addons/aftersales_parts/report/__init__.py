from . import aftersales_parts_report
