"""End-to-end: module upgrades (``-u``) keep the data.

- On the e2e database (AFTERSALES_E2E_DB, set by setup/test; run after
  test_server.py has stopped its server): the SLA facts of the demo tickets
  survive -- a target met late stays met late, with the same reach time.
- From the previous version of aftersales_ticket, and of aftersales_parts: the
  addons as they were before that addon's last version bump (exported from
  git) are installed with demo data in a database of their own, then upgraded
  to this code; the fields the migration renamed hold the same values under
  their new names (for aftersales_parts: the fields it adds to repair.order,
  now prefixed ``aftersales_``).
"""

import ast
import os
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import pytest

REPO = Path(__file__).resolve().parent.parent
ADDONS = sorted(p.parent.name for p in (REPO / "addons").glob("*/__manifest__.py"))
FACTS = (
    "id, sla_response_state, sla_resolution_state, sla_response_reached, sla_resolution_reached, "
    "sla_response_deadline, sla_resolution_deadline"
)
# Per addon: (table, column before, column after) of the fields renamed by
# its last migration.
RENAMED = {
    "aftersales_ticket": [
        ("aftersales_ticket", "date_accepted", "date_taken"),
        ("aftersales_team", "level", "network_level"),
        ("aftersales_technician", "level", "certification_level"),
    ],
    # The fields added to Odoo's repair.order carry the addon's prefix; the
    # demo repairs fill these.
    "aftersales_parts": [
        ("repair_order", column, f"aftersales_{column}")
        for column in (
            "ticket_id",
            "service_location",
            "coverage",
            "damage_reason",
            "damage_note",
            "labour_hours",
        )
    ],
}


def connect(db):
    home = Path(os.environ["AFTERSALES_HOME"])
    return psycopg2.connect(
        dbname=db,
        host=os.environ["DB_HOST"],
        port=os.environ["DB_PORT"],
        user=os.environ["DB_USER"],
        password=(home / "db_password").read_text().strip(),
    )


def query(db, sql, params=None):
    conn = connect(db)
    try:
        with conn.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall()
    finally:
        conn.close()


def read_facts(db, where):
    return query(db, f"SELECT {FACTS} FROM aftersales_ticket WHERE {where} ORDER BY id")


def upgrade(db, addons):
    """``-u`` of these addons with this code (setup/run), as an admin would."""
    run = subprocess.run(
        [str(REPO / "setup/run"), "-u", ",".join(addons), "--stop-after-init", "--no-http"],
        env=dict(os.environ, DB_NAME=db),
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


def git(*args):
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, check=True).stdout


def manifest_path(addon):
    return f"addons/{addon}/__manifest__.py"


def manifest_version(rev, addon):
    return ast.literal_eval(git("show", f"{rev}:{manifest_path(addon)}"))["version"]


def previous_version_rev(addon):
    """The last commit before the addon got the version it has here."""
    current = ast.literal_eval((REPO / manifest_path(addon)).read_text())["version"]
    if manifest_version("HEAD", addon) != current:
        return "HEAD"  # the version is bumped in the working tree only
    bump = None
    for rev in git("log", "--format=%H", "HEAD", "--", manifest_path(addon)).split():
        if manifest_version(rev, addon) != current:
            break
        bump = rev
    previous = f"{bump}^"
    if subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--verify", "--quiet", previous], capture_output=True, check=False
    ).returncode:
        # A shallow clone stops at the bump: the previous version is not here.
        pytest.skip(f"git history before {bump[:10]} is not in this clone (shallow?): nothing to upgrade from")
    return previous


def odoo(*args):
    """Run odoo-bin of the environment that setup/test sets up (ODOO_SRC, AFTERSALES_VENV)."""
    odoo_src = os.environ["ODOO_SRC"]
    command = [f"{os.environ['AFTERSALES_VENV']}/bin/python", f"{odoo_src}/odoo-bin", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def columns(db, table):
    rows = query(db, "SELECT column_name FROM information_schema.columns WHERE table_name = %s", (table,))
    return {name for (name,) in rows}


def e2e_db():
    db = os.environ.get("AFTERSALES_E2E_DB")
    if not db:
        pytest.fail("AFTERSALES_E2E_DB is not set: run these tests through setup/test")
    return db


if "aftersales_sla" in ADDONS:

    def test_met_late_survives_module_upgrade():
        db = e2e_db()
        before = read_facts(db, "'met_late' IN (sla_response_state, sla_resolution_state)")
        assert before, "the demo data has a ticket whose target was met late"
        upgrade(db, ADDONS)
        ids = ",".join(str(row[0]) for row in before)
        assert read_facts(db, f"id IN ({ids})") == before


@contextmanager
def upgraded_from_previous_version(addon):
    """Install the addons as they were before ``addon``'s last version bump,
    with demo data, upgrade them to this code, and check that the columns
    ``addon``'s migration renamed hold the same values under their new names.
    Gives the upgraded database for checks of its own."""
    db = f"{e2e_db()}_previous_{addon}"
    rev = previous_version_rev(addon)
    renamed = RENAMED[addon]
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "previous.tar"
        subprocess.run(
            ["git", "-C", str(REPO), "archive", "--format=tar", f"--output={archive}", rev, "addons"], check=True
        )
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        previous = sorted(p.parent.name for p in (Path(tmp) / "addons").glob("*/__manifest__.py"))
        try:
            install = odoo(
                f"--config={os.environ['ODOO_CONF']}",
                f"--database={db}",
                f"--addons-path={os.environ['ODOO_SRC']}/addons,{tmp}/addons",
                f"--init={','.join(previous)}",
                "--with-demo",
                "--stop-after-init",
                "--no-http",
                "--log-level=warn",
            )
            assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
            before = {
                (table, old): query(db, f"SELECT id, {old} FROM {table} WHERE {old} IS NOT NULL ORDER BY id")
                for table, old, _new in renamed
            }
            assert all(before.values()), f"the demo data of {rev} fills every renamed field: {before}"
            (version,) = query(db, "SELECT latest_version FROM ir_module_module WHERE name = %s", (addon,))[0]

            upgrade(db, previous)

            (upgraded,) = query(db, "SELECT latest_version FROM ir_module_module WHERE name = %s", (addon,))[0]
            assert upgraded != version, f"{addon} was upgraded to the version of this code"
            for table, old, new in renamed:
                ids = tuple(row[0] for row in before[table, old])
                after = query(db, f"SELECT id, {new} FROM {table} WHERE id IN %s ORDER BY id", (ids,))
                assert after == before[table, old], f"{table}.{old} -> {new} kept its values"
                assert old not in columns(db, table), f"{table}.{old} is gone"
            yield db
        finally:
            odoo("db", f"--config={os.environ['ODOO_CONF']}", "drop", db)  # with its filestore


def test_renamed_fields_keep_their_data_from_the_previous_version():
    with upgraded_from_previous_version("aftersales_ticket") as db:
        assert "kanban_state" not in columns(db, "aftersales_ticket"), "the unused kanban_state is dropped"
        fields = query(
            db,
            "SELECT model, name FROM ir_model_fields WHERE model IN "
            "('aftersales.ticket', 'aftersales.team', 'aftersales.technician') "
            "AND name IN ('date_accepted', 'level', 'kanban_state')",
        )
        assert not fields, f"no field is left under its old name: {fields}"


if "aftersales_parts" in ADDONS:

    def test_repair_fields_renamed_with_the_prefix_keep_their_data():
        with upgraded_from_previous_version("aftersales_parts") as db:
            old_names = [old for _table, old, _new in RENAMED["aftersales_parts"]] + ["approval_state"]
            fields = query(
                db,
                "SELECT name FROM ir_model_fields WHERE model = 'repair.order' AND name = ANY(%s)",
                (old_names,),
            )
            assert not fields, f"no field of repair.order is left under its old name: {fields}"
            xmlids = query(
                db,
                "SELECT name FROM ir_model_data WHERE module = 'aftersales_parts' AND model = 'ir.model.fields' "
                "AND name = 'field_repair_order__aftersales_coverage'",
            )
            assert xmlids, "the field's xml id followed it (translations and tracking stay attached)"
            (selection,) = query(
                db,
                "SELECT count(*) FROM ir_model_fields_selection s JOIN ir_model_fields f ON f.id = s.field_id "
                "WHERE f.model = 'repair.order' AND f.name = 'aftersales_coverage'",
            )[0]
            assert selection == 4, "the coverage values are those of the renamed field"
            rules = query(
                db,
                "SELECT r.domain_force FROM ir_rule r JOIN ir_model_data d ON d.res_id = r.id AND d.model = 'ir.rule' "
                "WHERE d.module = 'aftersales_parts' AND d.name IN "
                "('repair_order_rule_technician', 'stock_move_rule_technician')",
            )
            assert len(rules) == 2 and all("aftersales_ticket_id" in domain for (domain,) in rules), rules
            indexes = query(db, "SELECT indexname FROM pg_indexes WHERE tablename = 'repair_order'")
            assert ("repair_order__ticket_id_index",) not in indexes, "no index left under the old name"
