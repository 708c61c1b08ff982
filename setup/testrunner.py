"""Test driver behind setup/test (run with the Odoo virtualenv's Python).

Steps, each counted in the closing line ``N passed, N failed[, N skipped]``:

1. lint: the pre-commit hooks of .pre-commit-config.yaml (one check);
2. Odoo tests: every addon of addons/ installed in a throwaway database with
   ``--test-enable`` (at-install and post-install tests, tours in Chromium);
3. end-to-end tests of tests/ (pytest) against a server started by setup/run on
   a second throwaway database created by setup/install with demo data.

The run fails (exit 1) on any failed or erroring test, any skipped test of
ours, an addon left uninstalled, or an ERROR/CRITICAL log line.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import psycopg2
import psycopg2.errors

REPO = Path(__file__).resolve().parent.parent
ADDONS_DIR = REPO / "addons"
ODOO_SRC = Path(os.environ["ODOO_SRC"])
VENV = Path(os.environ["AFTERSALES_VENV"])
LINT_VENV = Path(os.environ["AFTERSALES_LINT_VENV"])
HOME = Path(os.environ["AFTERSALES_HOME"])
CONF = os.environ["ODOO_CONF"]

LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>\w+) (?P<db>\S+) (?P<logger>[\w.]+): (?P<msg>.*)"
)
RESULT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")


class Tally:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.problems = []

    def add(self, passed=0, failed=0, skipped=0):
        self.passed += passed
        self.failed += failed
        self.skipped += skipped

    def problem(self, text):
        self.problems.append(text)
        print(f"[aftersales] PROBLEM: {text}", flush=True)


def our_addons():
    return sorted(p.parent.name for p in ADDONS_DIR.glob("*/__manifest__.py"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def db_connect(dbname="postgres"):
    password = (HOME / "db_password").read_text().strip()
    conn = psycopg2.connect(
        dbname=dbname,
        host=os.environ["DB_HOST"],
        port=os.environ["DB_PORT"],
        user=os.environ["DB_USER"],
        password=password,
    )
    conn.autocommit = True
    return conn


def drop_db(name):
    conn = db_connect()
    try:
        with conn.cursor() as cr:
            # Client sessions only: an autovacuum worker belongs to the
            # superuser (terminating it fails for our role); DROP DATABASE
            # itself asks it to stop, and may find it still there a moment.
            cr.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
                (name,),
            )
            for attempt in range(10):
                try:
                    cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
                    break
                except psycopg2.errors.ObjectInUse:
                    if attempt == 9:
                        raise
                    time.sleep(1)
    finally:
        conn.close()
    shutil.rmtree(HOME / "data" / "filestore" / name, ignore_errors=True)


def module_states(dbname, names):
    try:
        conn = db_connect(dbname)
    except psycopg2.OperationalError:
        return {}
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT name, state FROM ir_module_module WHERE name = ANY(%s)", (names,))
            return dict(cr.fetchall())
    finally:
        conn.close()


def preflight(tally):
    """Refuse to run when Odoo would silently skip the browser tours."""
    ok = True
    check = subprocess.run([str(VENV / "bin/python"), "-c", "import websocket"], capture_output=True, check=False)
    if check.returncode:
        tally.problem(
            f"websocket-client is not installed in {VENV}: Odoo would skip every browser tour. "
            f"Install it ({VENV}/bin/pip install -r setup/requirements-test.txt)."
        )
        ok = False
    browser = os.environ.get("ODOO_BROWSER_BIN") or next(
        (shutil.which(b) for b in ("google-chrome", "chromium", "chromium-browser") if shutil.which(b)), None
    )
    if not browser:
        tally.problem("No Chrome/Chromium binary found: Odoo would skip every browser tour (apt-get install chromium).")
        ok = False
    return ok


def run_lint(tally):
    if not (REPO / ".pre-commit-config.yaml").exists():
        tally.problem(".pre-commit-config.yaml is missing")
        tally.add(failed=1)
        return
    env = dict(os.environ, PATH=f"{LINT_VENV / 'bin'}{os.pathsep}{os.environ['PATH']}")
    print("[aftersales] lint: pre-commit run --all-files", flush=True)
    proc = subprocess.run(
        [str(LINT_VENV / "bin/pre-commit"), "run", "--all-files", "--show-diff-on-failure", "--color=never"],
        check=False,
        cwd=REPO,
        env=env,
    )
    if proc.returncode:
        tally.problem("lint failed (pre-commit run --all-files)")
        tally.add(failed=1)
    else:
        tally.add(passed=1)


def run_odoo(cmd, log_path, tally, ours):
    """Runs Odoo, echoes and keeps its log; returns (rc, result tuples, tours)."""
    results, tours = [], 0
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        for line in proc.stdout:
            sys.stdout.write(line)
            log.write(line)
            m = LOG_LINE.match(line)
            if not m:
                continue
            level, logger, msg = m["level"], m["logger"], m["msg"]
            if level in ("ERROR", "CRITICAL"):
                r = RESULT.search(msg)
                if not r:
                    tally.problem(f"{level} log line: {logger}: {msg[:300]}")
            r = RESULT.search(msg)
            if r:
                results.append(tuple(int(x) for x in r.groups()))
            if "tour succeeded" in msg:
                tours += 1
            if msg.startswith("skipped ") and any(logger.startswith(f"odoo.addons.{a}.") for a in ours):
                tally.problem(f"skipped test: {msg[:300]}")
        rc = proc.wait()
    return rc, results, tours


def run_odoo_tests(tally, args, ours):
    db = f"aftersales_test_{os.getpid()}"
    log_path = HOME / "logs" / f"{db}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    tags = args.test_tags or ",".join(f"/{a}" for a in ours)
    cmd = [
        str(VENV / "bin/python"), str(ODOO_SRC / "odoo-bin"),
        "-c", CONF,
        "--addons-path", f"{ODOO_SRC / 'addons'},{ADDONS_DIR}",
        "-d", db, "--db-filter", f"^{db}$",
        "-i", ",".join(ours),
        "--test-enable", "--test-tags", tags,
        "--stop-after-init", "--http-interface", "127.0.0.1", "--http-port", str(free_port()),
        "--max-cron-threads", "0", "--log-level", "info",
    ]  # fmt: skip
    print(f"[aftersales] Odoo tests in database {db} (log: {log_path})", flush=True)
    started = time.monotonic()
    try:
        rc, results, tours = run_odoo(cmd, log_path, tally, ours)
        states = module_states(db, ours)
    finally:
        if not args.keep_db:
            drop_db(db)
    failed = sum(f + e for f, e, _ in results)
    run = sum(n for _, _, n in results)
    skipped = sum(1 for p in tally.problems if p.startswith("skipped test"))
    tally.add(passed=run - failed - skipped, failed=failed, skipped=skipped)
    print(
        f"[aftersales] Odoo tests: {run} run, {failed} failed or erroring, {skipped} skipped, "
        f"{tours} tour(s) succeeded, {time.monotonic() - started:.0f}s",
        flush=True,
    )
    if rc:
        tally.problem(f"odoo-bin exited with code {rc}")
    not_installed = [a for a in ours if states.get(a) != "installed"]
    if not_installed:
        tally.problem(f"addons not installed: {', '.join(not_installed)}")
        tally.add(failed=len(not_installed))
    if not results or (ours and run == 0):
        tally.problem("Odoo reported no test result: no test of ours ran")
        tally.add(failed=1)


def run_e2e(tally, args):
    if not any((REPO / "tests").glob("test_*.py")):
        return
    db = f"aftersales_e2e_{os.getpid()}"
    env = dict(os.environ, DB_NAME=db)
    print(f"[aftersales] end-to-end tests: setup/install into {db}", flush=True)
    junit = HOME / "logs" / f"{db}.xml"
    try:
        install = subprocess.run([str(REPO / "setup/install")], env=env, check=False)
        if install.returncode:
            tally.problem(f"setup/install into {db} failed")
            tally.add(failed=1)
            return
        env.update(AFTERSALES_E2E_DB=db, HTTP_PORT=str(free_port()))
        subprocess.run(
            [str(VENV / "bin/python"), "-m", "pytest", "-q", "-p", "no:cacheprovider",
             f"--junitxml={junit}", str(REPO / "tests")],
            cwd=REPO, env=env, check=False,
        )  # fmt: skip
    finally:
        if not args.keep_db:
            drop_db(db)
    if not junit.exists():
        tally.problem("pytest wrote no report")
        tally.add(failed=1)
        return
    suite = ET.parse(junit).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    total, failures, errors, skipped = (int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
    tally.add(passed=total - failures - errors - skipped, failed=failures + errors, skipped=skipped)
    if skipped:
        tally.problem(f"{skipped} end-to-end test(s) skipped")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-lint", action="store_true", help="skip the pre-commit hooks")
    parser.add_argument("--no-e2e", action="store_true", help="skip the end-to-end tests of tests/")
    parser.add_argument("--test-tags", help="Odoo --test-tags instead of every addon of ours")
    parser.add_argument("--keep-db", action="store_true", help="keep the throwaway databases")
    parser.add_argument("--addons", help="comma-separated addons to install and test instead of all of addons/")
    args = parser.parse_args()

    tally = Tally()
    started = time.monotonic()
    ours = args.addons.split(",") if args.addons else our_addons()
    if not args.no_lint:
        run_lint(tally)
    if preflight(tally):
        if ours:
            run_odoo_tests(tally, args, ours)
        else:
            print("[aftersales] no addon under addons/ yet", flush=True)
        if not args.no_e2e:
            run_e2e(tally, args)
    else:
        tally.add(failed=1)

    print(f"[aftersales] total time {time.monotonic() - started:.0f}s", flush=True)
    if tally.problems:
        print("[aftersales] problems:", flush=True)
    for p in tally.problems:
        print(f"[aftersales] - {p}", flush=True)
    line = f"{tally.passed} passed, {tally.failed} failed"
    if tally.skipped:
        line += f", {tally.skipped} skipped"
    print(line, flush=True)
    return 1 if (tally.failed or tally.problems) else 0


if __name__ == "__main__":
    sys.exit(main())
