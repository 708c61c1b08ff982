"""End-to-end on the demo database that setup/install made: every screen of
the service loop shows figures out of the box. A customer's portal ticket
is routed to the intake team and dispatched; the satisfaction (NPS, CSAT),
parts and SLA reports have numbers; the van's reordering rule replenishes it
from the warehouse through its route.

Runs through setup/test (the server fixture is in conftest.py)."""

import http.cookiejar
import re
import urllib.parse
import urllib.request

from e2elib import Session

CSRF = re.compile(rb'name="csrf_token"\s+value="([^"]+)"')


def xmlid(admin, module, name):
    rows = admin.call("ir.model.data", "search_read", [["module", "=", module], ["name", "=", name]], fields=["res_id"])
    assert rows, f"{module}.{name} is not in the demo data"
    return rows[0]["res_id"]


def totals(admin, model, aggregates, domain=()):
    """The report's totals over ``domain``, as its pivot view reads them."""
    groups = admin.call(model, "formatted_read_group", list(domain), groupby=[], aggregates=aggregates)
    assert len(groups) == 1
    return groups[0]


class Browser:
    """A portal customer's browser: cookies and the forms' CSRF tokens."""

    def __init__(self, url):
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path):
        with self.opener.open(f"{self.url}{path}", timeout=60) as response:
            return response.geturl(), response.read()

    def post_form(self, path, fields):
        _url, page = self.get(path)
        token = CSRF.search(page)
        assert token, f"no form with a CSRF token on {path}"
        data = urllib.parse.urlencode({**fields, "csrf_token": token.group(1).decode()}).encode()
        with self.opener.open(f"{self.url}{path}", data=data, timeout=60) as response:
            return response.geturl(), response.read()


def test_portal_ticket_is_routed_to_intake_and_dispatched(server):
    url, _db = server
    admin = Session(server, "admin")
    browser = Browser(url)
    landed, _page = browser.post_form("/web/login", {"login": "portal", "password": "portal", "redirect": "/my"})
    assert "/web/login" not in landed, "the demo portal login was refused"
    landed, page = browser.post_form(
        "/my/tickets/new",
        {"name": "Laptop fan is very loud", "description": "The fan runs at full speed even when idle."},
    )
    found = re.search(r"/my/tickets/(\d+)\?message=created", landed)
    assert found, f"the ticket was not created: landed on {landed}"
    ticket_id = int(found.group(1))
    assert b"Laptop fan is very loud" in page
    [ticket] = admin.call("aftersales.ticket", "read", [ticket_id], ["team_id", "technician_id", "channel"])
    assert ticket["team_id"][0] == xmlid(admin, "aftersales_ticket", "team_intake_demo")
    assert ticket["technician_id"], "the intake team dispatches the portal ticket at once"
    assert ticket["channel"] == "portal"


def test_satisfaction_report_shows_nps_and_csat(server):
    admin = Session(server, "admin")
    row = totals(
        admin,
        "aftersales.followup.report",
        ["nps:avg", "csat:avg", "answer_count:sum", "invitation_count:sum"],
    )
    assert row["answer_count:sum"] >= 3
    assert row["invitation_count:sum"] >= row["answer_count:sum"]
    assert 1.0 <= row["csat:avg"] <= 5.0
    assert row["nps:avg"] == 100.0, "the one NPS answer of the demo is a promoter (9)"


def test_parts_report_shows_warranty_cost_and_revenue(server):
    admin = Session(server, "admin")
    row = totals(admin, "aftersales.parts.report", ["warranty_cost:sum", "revenue:sum", "quantity:sum"])
    assert row["warranty_cost:sum"] > 0, "the covered repair's panel is warranty cost"
    assert row["revenue:sum"] > 0, "the chargeable repair was quoted and invoiced"
    chargeable = xmlid(admin, "aftersales_parts", "ticket_chargeable_demo")
    [ticket] = admin.call("aftersales.ticket", "read", [chargeable], ["settlement_state", "date_service_end"])
    assert ticket["settlement_state"] == "invoiced"
    assert ticket["date_service_end"], "accepted: its service ended although the invoice is unpaid"
    followups = admin.call("aftersales.followup", "search_count", [["ticket_id", "=", chargeable]])
    assert followups, "its follow-ups are planned before the invoice is paid"


def test_sla_report_shows_compliance(server):
    admin = Session(server, "admin")
    row = totals(admin, "aftersales.sla.report", ["ticket_count:sum", "response_compliance:avg"])
    assert row["ticket_count:sum"] > 0
    assert row["response_compliance:avg"] is not None


def test_van_reordering_rule_replenishes_the_van(server):
    admin = Session(server, "admin")
    orderpoint_id = xmlid(admin, "aftersales_parts", "orderpoint_van_screen_panel_demo")
    [orderpoint] = admin.call(
        "stock.warehouse.orderpoint",
        "read",
        [orderpoint_id],
        ["location_id", "product_id", "qty_forecast", "qty_on_hand"],
    )
    van, product = orderpoint["location_id"][0], orderpoint["product_id"][0]
    stock = xmlid(admin, "stock", "stock_location_stock")
    incoming = [["location_dest_id", "=", van], ["product_id", "=", product], ["state", "not in", ["done", "cancel"]]]
    fields = ["product_uom_qty", "location_id", "picking_id"]

    # the covered repair took a panel below the minimum (4): the rule ordered the van back to its maximum (6)
    [demo_move] = admin.call("stock.move", "search_read", incoming, fields=fields)
    assert demo_move["location_id"][0] == stock, "pulled from WH/Stock by the route's rule"
    assert demo_move["picking_id"], "an internal transfer the warehouse prepares"
    assert (orderpoint["qty_on_hand"], orderpoint["qty_forecast"]) == (3.0, 6.0)

    # a manager raises the van's minimum and maximum: the rule runs again and orders the difference
    admin.call("stock.warehouse.orderpoint", "write", [orderpoint_id], {"product_min_qty": 8.0, "product_max_qty": 9.0})
    admin.call("stock.warehouse.orderpoint", "action_replenish", [orderpoint_id])
    moves = admin.call("stock.move", "search_read", incoming, fields=fields)
    assert sum(move["product_uom_qty"] for move in moves) == 9.0 - 3.0, "up to the new maximum"
    assert {move["location_id"][0] for move in moves} == {stock}
    [orderpoint] = admin.call("stock.warehouse.orderpoint", "read", [orderpoint_id], ["qty_forecast", "qty_to_order"])
    assert (orderpoint["qty_forecast"], orderpoint["qty_to_order"]) == (9.0, 0.0)
