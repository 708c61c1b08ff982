"""End-to-end: every addon uninstalls cleanly.

A database of its own, copied from the e2e database (every addon, demo data)
once the shared server is stopped (PostgreSQL copies a database nobody is
connected to), gets a repair invoiced by finance; then each addon of addons/
is uninstalled with ``odoo-bin module uninstall``, in reverse dependency order
(an addon after every addon that depends on it). No uninstall logs an ERROR (or
CRITICAL) line; the tickets, their SLA facts and the invoices are the same
after each step for as long as the addon that owns them is installed (the
invoices: to the end, account stays).
"""

import ast
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import psycopg2
import psycopg2.errors
import pytest

REPO = Path(__file__).resolve().parent.parent
ADDONS_DIR = REPO / "addons"
HOME = Path(os.environ.get("AFTERSALES_HOME", Path.home() / ".local/share/aftersales-suite"))
ERROR_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (ERROR|CRITICAL) ", re.M)
TICKETS = "SELECT id, number, name, partner_id, date_reported FROM aftersales_ticket ORDER BY id"
SLA_FACTS = (
    "SELECT id, sla_tier_id, sla_response_state, sla_resolution_state, sla_response_deadline, "
    "sla_resolution_deadline, sla_response_reached, sla_resolution_reached FROM aftersales_ticket ORDER BY id"
)
INVOICES = (
    "SELECT id, name, state, partner_id, amount_total, invoice_date FROM account_move "
    "WHERE move_type = 'out_invoice' ORDER BY id"
)
# The demo repair invoiced by finance, as the suite's users would (rights checked).
INVOICE_A_REPAIR = """
repair = env.ref("aftersales_parts.repair_chargeable_demo")
agent = env.ref("aftersales_ticket.user_agent_demo")
manager = env.ref("aftersales_ticket.user_manager_demo")
finance = env.ref("aftersales_parts.user_finance_demo")
# (test_demo_logins.py may have done it on the e2e database already)
if not repair.sale_order_id:
    repair.with_user(agent).action_aftersales_send_quotation()
if repair.sale_order_id.state in ("draft", "sent"):
    repair.sale_order_id.with_user(manager).action_confirm()  # unsigned: the manager
if repair.sale_order_id.invoice_status == "to invoice":
    repair.sale_order_id.with_user(finance).action_aftersales_invoice_batch()
assert repair.sale_order_id.invoice_ids.state == "posted"
env.cr.commit()
"""


def error_context(log, lines=6):
    """The lines that follow the first ERROR line (the database's reason)."""
    rows = log.splitlines()
    first = next((i for i, line in enumerate(rows) if ERROR_LINE.match(line)), None)
    return "" if first is None else "\n".join(rows[first + 1 : first + 1 + lines])


def uninstall_order():
    """Our addons, each after every addon that depends on it."""
    depends = {
        p.parent.name: set(ast.literal_eval(p.read_text()).get("depends", []))
        for p in ADDONS_DIR.glob("*/__manifest__.py")
    }
    order, left = [], dict(depends)
    while left:
        leaves = sorted(a for a in left if not any(a in deps for b, deps in left.items() if b != a))
        assert leaves, f"dependency cycle among {sorted(left)}"
        order += leaves
        for a in leaves:
            del left[a]
    return order


def connect(db="postgres"):
    conn = psycopg2.connect(
        dbname=db,
        host=os.environ["DB_HOST"],
        port=os.environ["DB_PORT"],
        user=os.environ["DB_USER"],
        password=(HOME / "db_password").read_text().strip(),
    )
    conn.autocommit = True
    return conn


def query(db, sql):
    conn = connect(db)
    try:
        with conn.cursor() as cr:
            cr.execute(sql)
            return cr.fetchall()
    finally:
        conn.close()


def installed(db):
    return {name for (name,) in query(db, "SELECT name FROM ir_module_module WHERE state = 'installed'")}


def odoo(*args, stdin=None):
    """odoo-bin of the environment setup/test sets up, on this run's config
    (whose addons path is this checkout's)."""
    command = [f"{os.environ['AFTERSALES_VENV']}/bin/python", f"{os.environ['ODOO_SRC']}/odoo-bin", *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, check=False)


def conf():
    return f"--config={os.environ['ODOO_CONF']}"


def drop(db):
    conn = connect()
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
                (db,),
            )
            cr.execute(f'DROP DATABASE IF EXISTS "{db}"')
    finally:
        conn.close()
    shutil.rmtree(HOME / "data" / "filestore" / db, ignore_errors=True)


@pytest.fixture
def copy_of_e2e_db(e2e_server):
    """A copy of the e2e database, made with the shared server stopped (it
    is started again afterwards if it was running)."""
    was_running = e2e_server.running()
    e2e_server.stop()
    source = e2e_server.db
    db = f"{source}_uninstall"
    drop(db)
    conn = connect()
    try:
        with conn.cursor() as cr:
            # The server's connections end with its processes; an autovacuum
            # worker may still be on the source for a moment.
            for attempt in range(30):
                try:
                    cr.execute(f'CREATE DATABASE "{db}" TEMPLATE "{source}"')
                    break
                except psycopg2.errors.ObjectInUse:
                    if attempt == 29:
                        raise
                    time.sleep(1)
    finally:
        conn.close()
    filestore = HOME / "data" / "filestore"
    try:
        if (filestore / source).exists():
            shutil.copytree(filestore / source, filestore / db)
        yield db
    finally:
        drop(db)
        if was_running:
            e2e_server.start()


def test_every_addon_uninstalls_without_error_and_keeps_the_data(copy_of_e2e_db):
    db = copy_of_e2e_db
    order = uninstall_order()
    assert set(order) <= installed(db), "setup/install installed every addon"
    if "aftersales_parts" in order:
        shell = odoo("shell", conf(), f"--database={db}", "--no-http", "--log-level=warn", stdin=INVOICE_A_REPAIR)
        assert shell.returncode == 0 and "Traceback" not in shell.stderr, shell.stderr[-3000:]
    tickets, facts, invoices = query(db, TICKETS), query(db, SLA_FACTS), query(db, INVOICES)
    assert tickets and facts, "the demo data has tickets"
    if "aftersales_parts" in order:
        assert invoices, "a repair was invoiced"
    for addon in order:
        result = odoo("module", "uninstall", conf(), f"--database={db}", addon)
        log = result.stdout + result.stderr
        errors = [line for line in log.splitlines() if ERROR_LINE.match(line)]
        assert result.returncode == 0, log[-3000:]
        assert not errors, f"uninstalling {addon} logged:\n" + "\n".join(errors[:20]) + "\n" + error_context(log)
        left = installed(db)
        assert addon not in left, f"{addon} is still installed"
        if "aftersales_ticket" in left:
            assert query(db, TICKETS) == tickets, f"uninstalling {addon} changed the tickets"
        if "aftersales_sla" in left:
            assert query(db, SLA_FACTS) == facts, f"uninstalling {addon} changed the SLA facts"
        assert query(db, INVOICES) == invoices, f"uninstalling {addon} changed the invoices"
    assert not set(order) & installed(db)
