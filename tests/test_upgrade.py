"""End-to-end: a module upgrade (``-u``) keeps the SLA facts of the demo
tickets — a target met late stays met late, with the same reach time.

Runs after test_server.py has stopped its server, on the same throwaway
database (AFTERSALES_E2E_DB, set by setup/test).
"""

import os
import subprocess
from pathlib import Path

import psycopg2
import pytest

REPO = Path(__file__).resolve().parent.parent
ADDONS = sorted(p.parent.name for p in (REPO / "addons").glob("*/__manifest__.py"))
FACTS = (
    "id, sla_response_state, sla_resolution_state, sla_response_reached, sla_resolution_reached, "
    "sla_response_deadline, sla_resolution_deadline"
)


def read_facts(db, where):
    home = Path(os.environ["AFTERSALES_HOME"])
    conn = psycopg2.connect(
        dbname=db,
        host=os.environ["DB_HOST"],
        port=os.environ["DB_PORT"],
        user=os.environ["DB_USER"],
        password=(home / "db_password").read_text().strip(),
    )
    try:
        with conn.cursor() as cr:
            cr.execute(f"SELECT {FACTS} FROM aftersales_ticket WHERE {where} ORDER BY id")
            return cr.fetchall()
    finally:
        conn.close()


if "aftersales_sla" in ADDONS:

    def test_met_late_survives_module_upgrade():
        db = os.environ.get("AFTERSALES_E2E_DB")
        if not db:
            pytest.fail("AFTERSALES_E2E_DB is not set: run these tests through setup/test")
        before = read_facts(db, "'met_late' IN (sla_response_state, sla_resolution_state)")
        assert before, "the demo data has a ticket whose target was met late"
        upgrade = subprocess.run(
            [str(REPO / "setup/run"), "-u", ",".join(ADDONS), "--stop-after-init", "--no-http"],
            env=dict(os.environ, DB_NAME=db),
            capture_output=True,
            text=True,
            check=False,
        )
        assert upgrade.returncode == 0, upgrade.stdout[-3000:]
        ids = ",".join(str(row[0]) for row in before)
        assert read_facts(db, f"id IN ({ids})") == before
