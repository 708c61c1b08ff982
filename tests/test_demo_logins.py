"""End-to-end: every demo login of setup/demo_logins.tsv (the list setup/run
prints and the README documents) logs in with its documented password (the
login), opens its role's main screen and sees the menu of its role (and not
one above it); the portal customers see their own tickets, quotations and
invoices, and not each other's.
"""

import csv
from pathlib import Path

import pytest
from e2elib import Browser, Session

REPO = Path(__file__).resolve().parent.parent
ADDONS = {p.parent.name for p in (REPO / "addons").glob("*/__manifest__.py")}


def demo_logins():
    with open(REPO / "setup/demo_logins.tsv", newline="") as f:
        rows = [row for row in csv.reader(f, delimiter="\t") if row and not row[0].startswith("#")]
    return [dict(zip(("login", "role", "path", "menu", "hidden"), row, strict=True)) for row in rows]


BACKEND = [r for r in demo_logins() if r["path"].startswith("/odoo/action-")]


@pytest.mark.parametrize("row", BACKEND, ids=[r["login"] for r in BACKEND])
def test_demo_role_opens_its_main_screen(server, row):
    addon = row["path"].removeprefix("/odoo/action-").split(".")[0]
    if addon not in ADDONS:
        pytest.fail(f"{row['login']}'s main screen belongs to {addon}, which is not under addons/")
    browser = Browser(server, row["login"])
    status, page = browser.get(row["path"])
    assert status == 200, page[:500]
    assert "odoo.__session_info__" in page or "web.assets_web" in page, "not the web client"
    menus = browser.menus()
    assert row["menu"] in menus, f"{row['role']} does not see the menu {row['menu']}"
    if row["hidden"] != "-":
        assert row["hidden"] not in menus, f"{row['role']} sees {row['hidden']}"
    # The screen's action loads and its records are readable by this role.
    action = browser.post_json("/web/action/load", {"action_id": row["path"].removeprefix("/odoo/action-")})
    assert "error" not in action, action.get("error")
    action = action["result"]
    browser.call(action["res_model"], "web_search_read", [], specification={"display_name": {}}, limit=10)


def test_documented_logins_are_the_demo_roles(server):
    """The list names each role of the issue once, with a working password."""
    roles = {r["login"] for r in demo_logins()}
    assert roles == {
        "manager", "agent", "technician", "warehouse", "finance", "reviewer", "customer_company", "customer_person",
    }  # fmt: skip
    for login in roles:
        Session(server, login)  # refused logins fail here


def xmlid(admin, name):
    module, ref = name.split(".")
    rows = admin.call("ir.model.data", "search_read", [["module", "=", module], ["name", "=", ref]], fields=["res_id"])
    assert rows, f"no record {name}"
    return rows[0]["res_id"]


def portal_pages(server, path):
    """{login: page} of ``path`` for both portal customers."""
    pages = {}
    for login in ("customer_company", "customer_person"):
        status, pages[login] = Browser(server, login).get(path)
        assert status == 200, f"{login} {path}: {status}"
    return pages


def test_portal_customers_see_their_own_tickets(server):
    admin = Session(server, "admin")
    pages = portal_pages(server, "/my/tickets")
    tickets = {
        login: admin.call(
            "aftersales.ticket", "search_read", [["partner_id", "=", xmlid(admin, partner)]], fields=["number"]
        )
        for login, partner in (
            ("customer_company", "aftersales_ticket.partner_mingyuan_li_demo"),
            ("customer_person", "aftersales_ticket.partner_zhou_demo"),
        )
    }
    for login, own in tickets.items():
        other = next(t for t in tickets if t != login)
        assert own, f"{login} has no demo ticket"
        for ticket in own:
            assert ticket["number"] in pages[login], f"{login} does not see their ticket {ticket['number']}"
            assert ticket["number"] not in pages[other], f"{other} sees {login}'s ticket {ticket['number']}"


def test_portal_customer_sees_their_quotation_then_their_invoice(server):
    """The company customer's chargeable repair: the agent quotes it (marked
    sent), the customer finds it under their quotations; the manager confirms
    it (not signed: the manager's right) and finance invoices it, the customer
    finds the invoice. The private customer sees neither."""
    admin = Session(server, "admin")
    repair = xmlid(admin, "aftersales_parts.repair_chargeable_demo")
    [repair_row] = admin.call("repair.order", "read", [repair], fields=["sale_order_id"])
    if not repair_row["sale_order_id"]:
        Session(server, "agent").call("repair.order", "action_aftersales_send_quotation", [repair])
        [repair_row] = admin.call("repair.order", "read", [repair], fields=["sale_order_id"])
    order_id = repair_row["sale_order_id"][0]
    [order] = admin.call("sale.order", "read", [order_id], fields=["name", "state", "invoice_ids"])
    if order["state"] == "draft":  # the e-mail composer was only opened
        Session(server, "agent").call("sale.order", "action_quotation_sent", [order_id])
        order["state"] = "sent"
    # The demo data may have taken the repair through approval already
    # (aftersales_parts' demo signs, confirms and invoices it): then it is
    # among the customer's orders rather than their quotations.
    pages = portal_pages(server, "/my/quotes" if order["state"] == "sent" else "/my/orders")
    assert order["name"] in pages["customer_company"], "the customer does not see their quotation"
    assert order["name"] not in pages["customer_person"]

    if order["state"] == "sent":
        Session(server, "manager").call("sale.order", "action_confirm", [order_id])
    if not order["invoice_ids"]:
        Session(server, "finance").call("sale.order", "action_aftersales_invoice_batch", [order_id])
    [order] = admin.call("sale.order", "read", [order_id], fields=["invoice_ids"])
    [invoice] = admin.call("account.move", "read", order["invoice_ids"], fields=["name", "state"])
    assert invoice["state"] == "posted"
    pages = portal_pages(server, "/my/invoices")
    assert invoice["name"] in pages["customer_company"], "the customer does not see their invoice"
    assert invoice["name"] not in pages["customer_person"]
