from . import (
    res_company,
    product_template,
    stock_lot,
    stock_move,
    stock_picking,
    res_partner,
    aftersales_unit_registration,
    aftersales_ticket,
    aftersales_ticket_sanbao,
    aftersales_ticket_loaner,
)
