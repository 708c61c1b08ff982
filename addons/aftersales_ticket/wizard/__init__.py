from . import aftersales_ticket_accept, aftersales_ticket_refuse
