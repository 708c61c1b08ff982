from . import aftersales_unit_transfer, aftersales_sanbao_decision
