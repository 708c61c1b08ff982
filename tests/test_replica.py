"""End-to-end: the read-only routes are served by a PostgreSQL hot standby
(Odoo's own --db_replica_host) while the primary refuses every connection,
and a write never reaches the standby.

setup/replica makes a streaming hot standby of the cluster (the one
setup/load --replica uses). A second Odoo server, threaded and without cron,
reaches the primary only through a TCP relay that this test owns and the
standby directly: closing the relay is the primary refusing connections.
"""

import os
import re
import secrets
import shlex
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from e2elib import Browser, TcpRelay

REPO = Path(__file__).resolve().parent.parent
REPLICA_PORT = os.environ.get("REPLICA_PORT", "5433")
DB_HOST = os.environ.get("DB_HOST", "127.0.0.1")
DB_PORT = int(os.environ.get("DB_PORT", "5432"))


def free_port():
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Relay(TcpRelay):
    """A TCP relay to the primary PostgreSQL: ``refuse()`` is the primary
    down (every connection cut, new ones refused)."""

    def __init__(self, target):
        self.target = target
        super().__init__()

    def backend(self, client):
        return self.target, b""


def psql(port, db, query):
    """One value of ``query`` run on the cluster of ``port``, as the postgres user."""
    command = ["psql", "-X", "-At", "-p", port, "-d", db, "-c", query]
    if os.geteuid() == 0:
        command = ["su", "postgres", "-c", shlex.join(command)]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


def standby_sql(db, query):
    return psql(REPLICA_PORT, db, query)


@pytest.fixture(scope="module")
def standby(server):
    """The hot standby of setup/replica, started (and then stopped) here
    unless it was already running; waits until it serves the e2e database."""
    _url, db = server
    if os.geteuid() != 0:
        pytest.fail("setup/replica needs root (or the postgres user) to make the standby")
    already = subprocess.run([str(REPO / "setup/replica"), "status"], check=False, capture_output=True).returncode == 0
    if not already:
        subprocess.run([str(REPO / "setup/replica"), "start"], check=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if standby_sql(db, "SELECT pg_is_in_recovery()") == "t":
                    break
            except subprocess.CalledProcessError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the standby on port {REPLICA_PORT} does not serve {db}")
            time.sleep(1)
        yield db
    finally:
        if not already:
            subprocess.run([str(REPO / "setup/replica"), "stop"], check=True)


@contextmanager
def server_on_relay_and_standby(db, relay):
    """A threaded Odoo whose primary is behind ``relay`` and whose replica is
    the standby; yields its URL and the lines of its log."""
    port = free_port()
    env = dict(os.environ, DB_NAME=db, HTTP_PORT=str(port), WORKERS="0")
    proc = subprocess.Popen(
        [
            str(REPO / "setup/run"),
            "--max-cron-threads=0",
            f"--db_port={relay.port}",
            f"--db_replica_host={DB_HOST}",
            f"--db_replica_port={REPLICA_PORT}",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    log = []
    threading.Thread(target=lambda: log.extend(proc.stdout), daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail("the replica server exited:\n" + "".join(log[-50:]))
            try:
                with urllib.request.urlopen(f"{url}/web/login", timeout=10):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail("the replica server did not answer within 180 s")
                time.sleep(1)
        yield url, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def standby_transactions(db):
    return int(
        standby_sql("postgres", f"SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '{db}'")
    )


def test_read_only_routes_are_served_by_the_standby_while_the_primary_refuses(standby):
    db = standby
    relay = Relay((DB_HOST, DB_PORT))
    try:
        with server_on_relay_and_standby(db, relay) as (url, log):
            customer = Browser((url, db), "customer_person")  # logging in writes: the primary is up
            status, tickets_page = customer.get("/my/tickets")
            assert status == 200, tickets_page[:500]
            numbers = set(re.findall(r"AS\d{6,}", tickets_page))
            assert numbers, "the demo customer sees no ticket on /my/tickets"
            status, faq = customer.get("/my/kb")
            assert status == 200, faq[:500]
            article = re.search(r'href="/my/kb/(\d+)', faq)
            assert article, "the FAQ lists no article"
            ticket_id = re.search(r'href="/my/tickets/(\d+)', tickets_page)
            assert ticket_id, "the ticket list links no ticket"

            relay.refuse()
            served_before = standby_transactions(db)

            # The read-only routes answer from the standby alone.
            status, page = customer.get("/my/tickets")
            assert status == 200, page[:500]
            assert set(re.findall(r"AS\d{6,}", page)) == numbers
            status, page = customer.get("/my/kb")
            assert status == 200, page[:500]
            status, page = customer.get(f"/my/kb/{article.group(1)}")
            assert status == 200, page[:500]
            status, page = customer.get("/my/tickets/new")
            assert status == 200, page[:500]
            assert 'name="description"' in page, "the new-ticket form is not the form"
            suggestions = customer.post_json("/my/kb/suggest", {"query": "无法开机"})
            assert "error" not in suggestions, suggestions.get("error")
            # The standby's statistics are flushed a few seconds after the fact.
            deadline = time.monotonic() + 30
            while standby_transactions(db) <= served_before:
                assert time.monotonic() < deadline, "the standby counted no transaction of these requests"
                time.sleep(1)

            # A route that writes needs the primary: refused, nothing written anywhere.
            subject = f"replica e2e {secrets.token_hex(4)}"
            status, _page = customer.get(f"/my/tickets/{ticket_id.group(1)}")
            assert status >= 500, "a read/write route was served without the primary"
            status, form = customer.get("/my/tickets/new")
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
            status, _page = customer.post_form(
                "/my/tickets/new", {"csrf_token": csrf, "name": subject, "description": "the standby must not take it"}
            )
            assert status >= 500, "a new ticket was accepted while the primary refused connections"

            relay.reopen()
            status, page = customer.get("/my/tickets")
            assert status == 200, page[:500]
    finally:
        relay.close()
    for port in (str(DB_PORT), REPLICA_PORT):
        count = psql(port, db, f"SELECT count(*) FROM aftersales_ticket WHERE name = '{subject}'")
        assert count == "0", f"the refused ticket exists on the cluster of port {port}"
    read_only = [line for line in log if "ReadOnlySqlTransaction" in line]
    assert not read_only, "a read-only route tried to write:\n" + "".join(read_only)
