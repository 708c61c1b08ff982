"""End-to-end: the server that setup/run starts on the database that
setup/install made serves the login page and reports our addons installed.

setup/test sets AFTERSALES_E2E_DB (a throwaway database with demo data) and
HTTP_PORT (a free port) before running these tests.
"""

import urllib.request
from pathlib import Path

from e2elib import Session

REPO = Path(__file__).resolve().parent.parent
ADDONS = sorted(p.parent.name for p in (REPO / "addons").glob("*/__manifest__.py"))


def test_login_page_is_served(server):
    url, _db = server
    with urllib.request.urlopen(f"{url}/web/login", timeout=30) as response:
        assert response.status == 200
        assert b'name="login"' in response.read()


def test_our_addons_are_installed(server):
    admin = Session(server, "admin")
    modules = admin.call("ir.module.module", "search_read", [["name", "in", ADDONS]], fields=["name", "state"])
    assert ADDONS, "no addon under addons/"
    assert {m["name"]: m["state"] for m in modules} == dict.fromkeys(ADDONS, "installed")


def test_demo_tickets_are_loaded(server):
    count = Session(server, "admin").call("aftersales.ticket", "search_count", [])
    assert count > 0, "setup/install should load the demo tickets"


if "aftersales_sla" in ADDONS:

    def test_every_demo_ticket_has_a_service_tier(server):
        """aftersales_sla is installed after the ticket demo data: the older
        tickets got their tier too (post-install hook)."""
        without = Session(server, "admin").call("aftersales.ticket", "search_count", [["sla_tier_id", "=", False]])
        assert without == 0


def test_portal_customer_cannot_write_tickets_over_rpc(server):
    """Odoo's demo portal user tries what a customer with a script would: a
    ticket of their own making, and a change to one they can read."""
    portal = Session(server, "portal")
    admin = Session(server, "admin")
    before = admin.call("aftersales.ticket", "search_count", [])
    forged = {"name": "Forged by script", "date_reported": "2020-01-01 00:00:00", "number": "AS2099000001"}
    error = portal.call("aftersales.ticket", "create", forged, fails=True)
    assert error == "odoo.exceptions.AccessError"
    ticket = admin.call("aftersales.ticket", "search", [], limit=1)
    error = portal.call("aftersales.ticket", "write", ticket, {"name": "x"}, fails=True)
    assert error == "odoo.exceptions.AccessError"
    after = admin.call("aftersales.ticket", "search_count", [])
    assert after == before, "nothing was written"
