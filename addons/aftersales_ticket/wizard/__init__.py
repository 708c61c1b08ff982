from . import aftersales_ticket_refuse
