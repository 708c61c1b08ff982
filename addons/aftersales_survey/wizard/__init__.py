from . import aftersales_followup_call_wizard
