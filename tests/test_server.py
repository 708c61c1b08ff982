"""End-to-end: the server that setup/run starts on the database that
setup/install made serves the login page and reports our addons installed.

setup/test sets AFTERSALES_E2E_DB (a throwaway database with demo data) and
HTTP_PORT (a free port) before running these tests.
"""

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ADDONS = sorted(p.parent.name for p in (REPO / "addons").glob("*/__manifest__.py"))


@pytest.fixture(scope="module")
def server():
    db = os.environ.get("AFTERSALES_E2E_DB")
    if not db:
        pytest.fail("AFTERSALES_E2E_DB is not set: run these tests through setup/test")
    port = os.environ["HTTP_PORT"]
    env = dict(os.environ, DB_NAME=db, HTTP_PORT=port, WORKERS="2")
    proc = subprocess.Popen(
        [str(REPO / "setup/run"), "--max-cron-threads=0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"setup/run exited with {proc.returncode}:\n{proc.stdout.read()}")
            try:
                with urllib.request.urlopen(f"{url}/web/login", timeout=10):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(1)
        else:
            pytest.fail("the server did not answer on /web/login within 180 s")
        yield url, db
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def jsonrpc(url, service, method, *args, fails=False):
    """Call ``service.method(*args)`` over /jsonrpc: its result, or with
    ``fails`` the name of the exception it answers with (it must fail)."""
    payload = {"jsonrpc": "2.0", "method": "call", "params": {"service": service, "method": method, "args": args}}
    request = urllib.request.Request(
        f"{url}/jsonrpc", data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.load(response)
    if fails:
        assert "error" in answer, f"the call was accepted: {answer.get('result')}"
        return answer["error"]["data"]["name"]
    assert "error" not in answer, answer.get("error")
    return answer["result"]


class Session:
    """A demo login (its password is the login) on the test server."""

    def __init__(self, server, login):
        self.url, self.db = server
        self.login = login
        self.uid = jsonrpc(self.url, "common", "login", self.db, login, login)
        assert self.uid, f"the demo login {login} / {login} was refused"

    def call(self, model, method, *args, fails=False, **kwargs):
        """``model.method(*args, **kwargs)`` as this user (execute_kw)."""
        return jsonrpc(
            self.url, "object", "execute_kw", self.db, self.uid, self.login, model, method, args, kwargs, fails=fails
        )


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
