"""Fixtures of the load test, run by setup/load with ``odoo-bin shell`` on the
throwaway database (demo data installed): the users of each role (password =
login), a service desk, technicians with stocked vans and repairs waiting for
their parts, quotations to invoice, and the job list. Writes the fixture file
named by LOAD_FIXTURE (JSON) that locustfile.py and integrity.py read.

Sizes come from the environment: LOAD_PORTAL_USERS, LOAD_REPAIRS_PER_TECH,
LOAD_ORDERS (see tests/load/README.md)."""

import json
import os
from datetime import timedelta

from odoo import Command, fields

env = env  # noqa: F821,PLW0127  # given by odoo-bin shell
PORTAL_USERS = int(os.environ.get("LOAD_PORTAL_USERS", "30"))
AGENTS, TECHNICIANS = 5, 4
REPAIRS_PER_TECH = int(os.environ.get("LOAD_REPAIRS_PER_TECH", "80"))
ORDERS = int(os.environ.get("LOAD_ORDERS", "150"))
VAN_STOCK = 10 * REPAIRS_PER_TECH  # plenty: shortages are not what is measured
PREFIX = "load_"

company = env.company
if not company.chart_template:
    env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
Users = env["res.users"].with_context(no_reset_password=True, mail_create_nosubscribe=True)


def user(login, groups, **vals):
    return Users.create(
        {
            "name": login.replace("_", " ").title(),
            "login": login,
            "password": login,
            "email": f"{login}@load.example",
            "group_ids": [Command.set([env.ref(g).id for g in groups])],
            **vals,
        }
    )


manager = user(f"{PREFIX}manager", ["aftersales_ticket.group_aftersales_manager"])
agents = [user(f"{PREFIX}agent_{i}", ["aftersales_ticket.group_aftersales_user"]) for i in range(AGENTS)]
tech_users = [user(f"{PREFIX}tech_{i}", ["aftersales_ticket.group_aftersales_technician"]) for i in range(TECHNICIANS)]
finance = user(f"{PREFIX}finance", ["account.group_account_invoice", "base.group_user"])
admin = env.ref("base.user_admin")
admin.password = f"{PREFIX}admin"

team = env["aftersales.team"].create(
    {
        "name": "Load desk",
        "manager_id": manager.id,
        "member_ids": [Command.set([a.id for a in agents] + [manager.id])],
        "auto_dispatch": True,
    }
)
# Every ticket of the run goes to the load desk: it is the company's default team now.
env["aftersales.team"].search([("id", "!=", team.id)]).write({"active": False})

warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
part = env["product.product"].create(
    {"name": "Load part", "is_storable": True, "list_price": 100.0, "standard_price": 40.0}
)
unit = env["product.product"].create({"name": "Load unit", "type": "consu", "list_price": 900.0})
service = env["product.product"].create(
    {"name": "Load labour", "type": "service", "invoice_policy": "order", "list_price": 50.0}
)
technicians, vans = [], []
for tech_user in tech_users:
    van = env["stock.location"].create(
        {"name": f"Van {tech_user.login}", "usage": "internal", "location_id": warehouse.view_location_id.id}
    )
    env["stock.quant"]._update_available_quantity(part, van, float(VAN_STOCK))
    technicians.append(
        env["aftersales.technician"].create(
            {
                "user_id": tech_user.id,
                "team_ids": [Command.set(team.ids)],
                "max_open_tickets": 100000,
                "van_location_id": van.id,
            }
        )
    )
    vans.append(van)
team.technician_ids = [Command.set([t.id for t in technicians])]

# A load customer submits a fault every half minute, far more than the
# daily limit a real customer gets (10): the limit stays a refusal the run
# can meet (counted as "refused"), not one that turns the mix into refusals.
company.aftersales_portal_daily_limit = max(company.aftersales_portal_daily_limit, 1000)

# Portal customers: one company and one contact (with a portal login) each.
portal_users = []
for i in range(PORTAL_USERS):
    company_partner = env["res.partner"].create(
        {"name": f"Load customer {i}", "is_company": True, "email": f"service{i}@customer.example"}
    )
    contact = env["res.partner"].create(
        {"name": f"Load contact {i}", "parent_id": company_partner.id, "email": f"contact{i}@customer.example"}
    )
    portal_users.append(user(f"{PREFIX}portal_{i}", ["base.group_portal"], partner_id=contact.id))

# Repairs waiting for their part, in warranty (no quotation to approve), one
# batch per technician: what the technicians work through during the run.
purchase = fields.Date.today() - timedelta(days=30)
Ticket = env["aftersales.ticket"]
for tech, van in zip(technicians, vans, strict=True):
    customers = [u.partner_id for u in portal_users]
    tickets = Ticket.create(
        [
            {
                "name": f"Load repair {tech.user_id.login} {n}",
                "partner_id": customers[n % len(customers)].id,
                "product_id": unit.id,
                "purchase_date": purchase,
                "team_id": team.id,
                "technician_id": tech.id,
            }
            for n in range(REPAIRS_PER_TECH)
        ]
    )
    env["repair.order"].create(
        [
            {
                "aftersales_ticket_id": ticket.id,
                "partner_id": ticket.partner_id.id,
                "location_id": van.id,
                "move_ids": [
                    Command.create({"product_id": part.id, "product_uom_qty": 1.0, "repair_line_type": "add"})
                ],
            }
            for ticket in tickets
        ]
    )

# Quotations of tickets, confirmed, waiting for finance's invoicing run.
order_tickets = Ticket.create(
    [
        {
            "name": f"Load paid repair {n}",
            "partner_id": portal_users[n % PORTAL_USERS].partner_id.id,
            "team_id": team.id,
        }
        for n in range(ORDERS)
    ]
)
orders = env["sale.order"].create(
    [
        {
            "partner_id": ticket.partner_id.id,
            "aftersales_ticket_id": ticket.id,
            "order_line": [Command.create({"product_id": service.id, "product_uom_qty": 1.0})],
        }
        for ticket in order_tickets
    ]
)
orders.action_confirm()

# No outgoing mail server here: the mail queue is left to fill (and counted
# by the integrity check), not sent.
env.ref("mail.ir_cron_mail_scheduler_action").active = False
# Stock's daily procurement scheduler (core) runs at night, not in the run:
# started at the same time as the vans' issues, it hits a serialization
# failure and logs it at ERROR before running again the next day (see README).
env.ref("stock.ir_cron_scheduler_action").nextcall = fields.Datetime.now() + timedelta(days=1)
jobs = {
    "sla_monitor": "aftersales_sla.ir_cron_sla_monitor",
    "contract_lifecycle": "aftersales_sla.ir_cron_sla_contract_lifecycle",
    "followups": "aftersales_survey.ir_cron_send_followups",
    "kb_stale": "aftersales_kb.ir_cron_kb_flag_stale",
}
crons = {name: env.ref(xmlid, raise_if_not_found=False) for name, xmlid in jobs.items()}
missing = [jobs[name] for name, cron in crons.items() if not cron]
if missing:
    raise SystemExit(f"load prepare: scheduled jobs not found: {missing}")

articles = env["aftersales.kb.article"].search([("state", "=", "published"), ("visibility", "=", "customer")], limit=20)
fixture = {
    "password_is_login": True,
    "admin": admin.login,
    "admin_password": f"{PREFIX}admin",
    "manager": manager.login,
    "agents": [a.login for a in agents],
    "technicians": [u.login for u in tech_users],
    "finance": finance.login,
    "portal": [u.login for u in portal_users],
    "team_id": team.id,
    "product_id": unit.id,
    "part_id": part.id,
    "van_ids": [v.id for v in vans],
    "van_stock": VAN_STOCK,
    "cron_ids": {name: cron.id for name, cron in crons.items()},
    "article_ids": articles.ids,
    "kb_queries": ["无法开机", "printer", "screen", "开机", "battery"],
    "stage_ids": env["aftersales.stage"].search([("is_cancelled", "=", False)], order="sequence, id").ids,
}
env.cr.commit()
with open(os.environ["LOAD_FIXTURE"], "w", encoding="utf-8") as f:
    json.dump(fixture, f, indent=1)
print(
    f"load prepare: {PORTAL_USERS} customers, {AGENTS} agents, {TECHNICIANS} technicians, "
    f"{TECHNICIANS * REPAIRS_PER_TECH} repairs, {ORDERS} quotations to invoice"
)
