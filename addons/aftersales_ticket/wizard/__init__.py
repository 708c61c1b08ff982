from . import aftersales_ticket_accept, aftersales_ticket_refuse
from . import aftersales_ticket_decision
