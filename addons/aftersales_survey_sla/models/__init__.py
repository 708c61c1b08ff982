from . import aftersales_followup, aftersales_followup_kpi
