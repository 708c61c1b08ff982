from . import (
    aftersales_maintenance_plan,
    aftersales_maintenance_plan_item,
    aftersales_maintenance_plan_part,
    aftersales_ticket_check,
    aftersales_ticket,
    aftersales_sla_contract,
    aftersales_technician_certification,
    aftersales_technician,
    aftersales_dispatch,
    aftersales_team,
)
