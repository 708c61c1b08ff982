"""What the benchmarks of tests/benchmarks share: where the suite keeps its
settings, installing addons into a throwaway database, opening its registry,
and counting the queries and time of a block."""

import argparse
import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HOME = Path(os.environ.get("AFTERSALES_HOME", Path.home() / ".local/share/aftersales-suite"))


def read_setting(path):
    """The stripped text of a settings file, or None when there is none."""
    try:
        return Path(path).read_text().strip()
    except OSError:
        return None


def default_odoo_src():
    return os.environ.get("ODOO_SRC") or read_setting(HOME / "odoo_src") or "/opt/odoo19"


def install(args, addons_path, modules):
    """Install ``modules`` into ``args.database`` with odoo-bin (no demo data)."""
    cmd = [
        sys.executable,
        str(Path(args.odoo_src) / "odoo-bin"),
        "-c",
        args.config,
        "-d",
        args.database,
        f"--db-filter=^{args.database}$",
        f"--addons-path={addons_path}",
        "-i",
        ",".join(modules),
        "--no-http",
        "--stop-after-init",
        "--log-level=warn",
    ]
    print(f"# installing {', '.join(modules)} into {args.database}", flush=True)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def open_registry(args, addons_path):
    """(the odoo package, the registry of ``args.database``) in this process."""
    sys.path.insert(0, args.odoo_src)
    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(
        ["-c", args.config, "-d", args.database, f"--addons-path={addons_path}", "--log-level=warn"],
        setup_logging=True,
    )
    return odoo, Registry(args.database)


class Meter:
    """``with Meter(cr) as m:`` → ``m.count`` queries and ``m.seconds``."""

    def __init__(self, cr):
        self.cr = cr

    def __enter__(self):
        self.queries = self.cr.sql_log_count
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        self.count = self.cr.sql_log_count - self.queries


class QueryCallers:
    """``with QueryCallers(cr) as c:`` counts the queries of ``cr`` by caller:
    the innermost frame of the suite's addons and the innermost frame of
    Odoo's addons outside the ORM, e.g. ``aftersales_ticket/..:_notice_post <
    mail/models/mail_thread.py:_message_create``. ``c.top(n)`` → the ``n``
    busiest [(caller, queries)]. A profiling aid: it slows every query."""

    def __init__(self, cr, enabled=True):
        self.cr = cr
        self.enabled = enabled
        self.counts = {}

    def __enter__(self):
        if self.enabled:
            self.target = self.cr
            self.original = type(self.cr).execute
            counts = self.counts
            original = self.original

            def execute(cr_self, *args, **kwargs):
                if cr_self is self.target:
                    key = self.caller()
                    counts[key] = counts.get(key, 0) + 1
                return original(cr_self, *args, **kwargs)

            type(self.cr).execute = execute
        return self

    def __exit__(self, *exc):
        if self.enabled:
            type(self.cr).execute = self.original

    @staticmethod
    def caller():
        ours = theirs = None
        for frame in reversed(traceback.extract_stack()[:-2]):
            path = frame.filename
            if ours is None and "/addons/aftersales_" in path:
                ours = f"{path.split('/addons/')[-1]}:{frame.name}"
            elif theirs is None and "/addons/" in path and "/odoo/orm/" not in path and "aftersales_" not in path:
                theirs = f"{path.split('/addons/')[-1]}:{frame.name}"
            if ours and theirs:
                break
        return f"{ours or '-'} < {theirs or '-'}"

    def top(self, n=25):
        return sorted(self.counts.items(), key=lambda item: -item[1])[:n]


def settle(env):
    """Flush and run the precommit hooks (tracking) as a request's end would."""
    env.flush_all()
    env.cr.precommit.run()
    env.flush_all()


def drop_database(odoo, registry, name):
    """Close the registry and its connections, then drop the throwaway database."""
    from odoo.service import db  # noqa: PLC0415

    type(registry).delete(name)
    odoo.sql_db.close_db(name)
    db.exp_drop(name)


def base_parser(name, doc):
    """The options every benchmark takes: its throwaway database (``name`` in
    its default name), the Odoo configuration and source, keeping the
    database, and a JSON result file. Add the benchmark's own after."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("-d", "--database", default=f"aftersales_bench_{name}_{os.getpid()}")
    parser.add_argument("-c", "--config", default=str(HOME / "odoo.conf"))
    parser.add_argument("--odoo-src", default=default_odoo_src())
    parser.add_argument("--keep-db", action="store_true", help="keep the database")
    parser.add_argument("-o", "--output", help="JSON result file")
    return parser


def run_in_database(args, modules, bench):
    """Install ``modules`` into the benchmark's database, run
    ``bench(odoo, registry)`` there, drop the database (unless kept), write
    the results to ``args.output`` when asked, and return them."""
    addons_path = f"{args.odoo_src}/addons,{REPO}/addons"
    install(args, addons_path, modules)
    odoo, registry = open_registry(args, addons_path)
    try:
        results = bench(odoo, registry)
    finally:
        if not args.keep_db:
            drop_database(odoo, registry, args.database)
    if args.output:
        Path(args.output).write_text(json.dumps(results, indent=2, default=str))
    return results
