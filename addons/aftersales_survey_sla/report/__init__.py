from . import aftersales_followup_report
