"""SLA benchmark: deadline computation and monitoring at scale, and SLA tickets
next to OCA helpdesk_mgmt_sla.

Not a test (pytest only collects tests/test_*.py). It builds a throwaway
database, so run it with the suite's virtualenv python (see README_sla.md):

    ~/.local/share/aftersales-suite/venv/bin/python tests/benchmarks/bench_sla.py

Measured, each section in its own transaction:

1. ``create``: one ``create()`` of N (1,000) tickets on our side with a service
   tier, on OCA's side with a team using an SLA (``helpdesk.sla`` 8 h); then
   ``write({"stage_id": next})`` on them. Queries (cursor ``sql_log_count``) and
   seconds, after flush and precommit; ``--rounds`` (3) rounds alternating the
   sides (a ``Side`` class each), medians reported.
2. ``deadlines``: 10,000 and 100,000 open tickets (inserted with SQL, spread over
   two tiers: a working-hours calendar and 24x7) get their deadlines from
   ``_sla_refresh`` in batches of 1,000 committed one by one: queries per batch
   (min / max) and seconds.
3. ``monitor``: the scheduled job over the 100,000 open tickets at the moment
   ``--due`` (35,000) of them are due at once: due tickets found by one indexed
   search per batch (the plan is printed), alerts raised and handed out
   (activities or one digest per person), queries per batch, batches committed.

OCA's addon is installed only in the throwaway database, from its PyPI wheels
unpacked in a temporary directory (``--wheels``, default /tmp/oca; download
them with ``pip download --no-deps odoo-addon-helpdesk-mgmt-sla==19.0.*
odoo-addon-helpdesk-mgmt==19.0.*``).
"""

import argparse
import contextlib
import cProfile
import glob
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
import zipfile
from datetime import datetime
from pathlib import Path

from benchlib import HOME, REPO, Meter, default_odoo_src, drop_database, install, open_registry, settle


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", default=f"aftersales_bench_sla_{os.getpid()}")
    parser.add_argument("-c", "--config", default=str(HOME / "odoo.conf"))
    parser.add_argument("--odoo-src", default=default_odoo_src())
    parser.add_argument("--wheels", default="/tmp/oca", help="directory of the OCA wheels")
    parser.add_argument("-n", "--count", type=int, default=1000, help="tickets of the create/stage batch")
    parser.add_argument(
        "--sizes",
        default="10000,100000",
        help="open tickets for the deadline runs; empty: create/move only (no deadline nor monitoring run)",
    )
    parser.add_argument("--batch", type=int, default=1000, help="tickets per deadline batch")
    parser.add_argument("--due", type=int, default=35000, help="tickets due at once when the monitor runs")
    parser.add_argument("--sides", default="ours,oca")
    parser.add_argument("--rounds", type=int, default=3, help="create/move rounds per side; medians are reported")
    parser.add_argument("--keep-db", action="store_true", help="keep the database (and reuse it when it exists)")
    parser.add_argument(
        "--opted-out",
        action="store_true",
        help="our customers opted out of notices (no acknowledgement): what the create costs without it",
    )
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help="one more round per side under cProfile: DIR/<side>_create.prof, DIR/<side>_move.prof, "
        "and the heaviest functions printed",
    )
    parser.add_argument("-o", "--output", help="JSON result file")
    return parser.parse_args(argv)


class Side:
    """One ticket model under test with an SLA: its fixture, ticket values and
    the stage a batch is moved to."""

    key = model = stage_model = ""

    def __init__(self, env):
        self.env = env
        self.partners = env["res.partner"].create(
            [{"name": f"SLA bench customer {i}", "email": f"c{i}@x.example"} for i in range(50)]
        )
        self.stages = env[self.stage_model].search([], order="sequence")
        self.setup()

    def setup(self):
        raise NotImplementedError

    def ticket_vals(self, count):
        return [
            {
                "name": f"Ticket {i}",
                "description": "<p>Broken</p>",
                "partner_id": self.partners[i % 50].id,
                "team_id": self.team.id,
            }
            for i in range(count)
        ]

    def check(self, tickets):
        """Assert that the created tickets carry their SLA."""
        raise NotImplementedError


class Ours(Side):
    key, model, stage_model = "ours", "aftersales.ticket", "aftersales.stage"

    opted_out = False  # --opted-out

    def setup(self):
        self.team = self.env["aftersales.team"].create({"name": "SLA bench team", "auto_dispatch": False})
        self.tier = self.env.ref("aftersales_sla.tier_basic")
        # The acknowledgement is posted (and its email queued) in the creating
        # transaction, so it is part of the measured create.
        self.partners.aftersales_notice_opt_out = self.opted_out

    def ticket_vals(self, count):
        return [dict(vals, sla_tier_id=self.tier.id) for vals in super().ticket_vals(count)]

    def check(self, tickets):
        assert all(tickets.mapped("sla_response_deadline"))


class Oca(Side):
    key, model, stage_model = "oca", "helpdesk.ticket", "helpdesk.ticket.stage"

    def setup(self):
        env = self.env
        self.team = env["helpdesk.ticket.team"].create(
            {"name": "SLA bench team", "use_sla": True, "resource_calendar_id": env.company.resource_calendar_id.id}
        )
        env["helpdesk.sla"].create({"name": "8 h", "team_ids": [(4, self.team.id)], "hours": 8})

    def ticket_vals(self, count):
        return [
            dict(vals, partner_name=self.partners[i % 50].name, partner_email=self.partners[i % 50].email)
            for i, vals in enumerate(super().ticket_vals(count))
        ]

    def check(self, tickets):
        assert tickets.ticket_sla_ids


SIDES = {side.key: side for side in (Ours, Oca)}


@contextlib.contextmanager
def profiled(path):
    """cProfile around the block when ``path`` is given (stats dumped there)."""
    if not path:
        yield
        return
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        profiler.dump_stats(path)


def print_profile(path, top=25):
    """The functions of ``path`` with the most cumulative time."""
    print(f"\n## {Path(path).name}: top {top} by cumulative time")
    pstats.Stats(path).sort_stats("cumulative").print_stats(top)


def run_profiles(api, registry, sides, count, profile_dir):
    """One more round per side under cProfile; prints the heaviest functions."""
    Path(profile_dir).mkdir(parents=True, exist_ok=True)
    profiled = {}
    for key in sides:
        profiled[key] = bench_create_move(api, registry, SIDES[key], count, profile_dir=profile_dir)
        for step in ("create", "move"):
            print_profile(f"{profile_dir}/{key}_{step}.prof")
    return profiled


def bench_create_move(api, registry, side_class, count, profile_dir=None):
    """One round: create ``count`` tickets in one create(), then move them one
    stage, as base.user_admin with tracking on; rolled back. With
    ``profile_dir``, each step runs under cProfile (slower: no timing to read)."""
    prof = {step: profile_dir and f"{profile_dir}/{side_class.key}_{step}.prof" for step in ("create", "move")}
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        env = env(user=env.ref("base.user_admin"), context=env["res.users"].context_get())
        side = side_class(env)
        model = env[side.model]
        model.create(side.ticket_vals(10)).write({"stage_id": side.stages[1].id})  # warm-up
        settle(env)
        env.invalidate_all()
        with Meter(cr) as create, profiled(prof["create"]):
            tickets = model.create(side.ticket_vals(count))
            settle(env)
        side.check(tickets)
        env.invalidate_all()
        with Meter(cr) as move, profiled(prof["move"]):
            tickets.write({"stage_id": side.stages[1].id})
            settle(env)
        cr.rollback()
    return {
        "create_queries": create.count,
        "create_seconds": round(create.seconds, 2),
        "move_queries": move.count,
        "move_seconds": round(move.seconds, 2),
    }


def median_rounds(rounds):
    """The median of each figure over the rounds, and the rounds themselves."""
    result = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    result["rounds"] = rounds
    return result


def insert_open_tickets(api, registry, total, offset=0):
    """Bulk-insert open tickets (reported over the last 36 hours, 80 % on the
    Basic tier's working calendar, 20 % VIP 24x7) with SQL: the benchmark is
    about the deadlines, not about creating tickets."""
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        team = env["aftersales.team"].create(
            {"name": "SLA bench monitoring", "auto_dispatch": False, "manager_id": env.ref("base.user_admin").id}
        )
        stage = env["aftersales.stage"].search([("milestone", "=", "report")], limit=1)
        basic, vip = env.ref("aftersales_sla.tier_basic"), env.ref("aftersales_sla.tier_vip")
        now = datetime.now().replace(microsecond=0)
        cr.execute(
            """
            INSERT INTO aftersales_ticket (name, number, company_id, team_id, stage_id, active, channel, urgency,
                   priority_rank, category, service_mode, acceptance_state, date_reported,
                   sla_tier_id, sla_alert_level, is_closed, is_cancelled, create_uid, write_uid, create_date,
                   write_date)
            SELECT 'Bench ' || g, 'BENCH-' || (g + %(offset)s), %(company)s, %(team)s, %(stage)s, true, 'phone',
                   (ARRAY['emergency', 'general', 'non_fault'])[1 + g %% 3], g %% 3, 'regular_repair', 'carry_in',
                   'pending', %(now)s - (g %% 2160) * interval '1 minute',
                   CASE WHEN g %% 5 = 0 THEN %(vip)s ELSE %(basic)s END, 0, false, false, 1, 1, %(now)s, %(now)s
              FROM generate_series(1, %(total)s) g
            RETURNING id
            """,
            {
                "offset": offset,
                "company": env.company.id,
                "team": team.id,
                "stage": stage.id,
                "now": now,
                "total": total,
                "vip": vip.id,
                "basic": basic.id,
            },
        )
        ids = [row[0] for row in cr.fetchall()]
        cr.execute("ANALYZE aftersales_ticket")
        cr.commit()
    return ids


def bench_deadlines(api, registry, ids, batch):
    per_batch, start = [], time.perf_counter()
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        Ticket = env["aftersales.ticket"]
        for offset in range(0, len(ids), batch):
            env.invalidate_all()
            with Meter(cr) as meter:
                Ticket.browse(ids[offset : offset + batch])._sla_refresh(batch_size=batch)
            per_batch.append(meter.count)
            cr.commit()
        cr.execute(
            "SELECT count(*) FROM aftersales_ticket WHERE id = ANY(%s) AND sla_resolution_deadline IS NULL", [ids]
        )
        missing = cr.fetchone()[0]
    return {
        "tickets": len(ids),
        "batches": len(per_batch),
        "queries_per_batch_min": min(per_batch),
        "queries_per_batch_max": max(per_batch),
        "seconds": round(time.perf_counter() - start, 2),
        "without_deadline": missing,
    }


def bench_monitor(api, registry, due_target, batch=500):
    """The job at the moment ``due_target`` open tickets are due at once (a
    Monday morning): time frozen at the due_target-th smallest next check."""
    from freezegun import freeze_time  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        cr.execute("SELECT count(*) FROM aftersales_ticket WHERE is_closed IS NOT TRUE")
        open_count = cr.fetchone()[0]
        cr.execute(
            "SELECT sla_next_check FROM aftersales_ticket WHERE sla_next_check IS NOT NULL "
            "ORDER BY sla_next_check OFFSET %s LIMIT 1",
            [due_target - 1],
        )
        now = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM aftersales_ticket WHERE sla_next_check <= %s", [now])
        due = cr.fetchone()[0]
        cr.execute(
            "EXPLAIN SELECT id FROM aftersales_ticket WHERE sla_next_check <= %s "
            "ORDER BY sla_next_check LIMIT %s FOR UPDATE SKIP LOCKED",
            [now, batch],
        )
        plan = "\n".join(row[0] for row in cr.fetchall())
        cr.execute("SELECT count(*) FROM mail_activity")
        activities_before = cr.fetchone()[0]
        model_class = type(env["aftersales.ticket"])
        claim, per_batch = model_class._sla_monitor_batch, []

        def counting_claim(self, now, limit):
            start = self.env.cr.sql_log_count
            claimed = claim(self, now, limit)
            if claimed:
                self.env.flush_all()
                per_batch.append((claimed, self.env.cr.sql_log_count - start))
            return claimed

        model_class._sla_monitor_batch = counting_claim
        try:
            # Meter outside freeze_time: freezegun also stops perf_counter.
            with Meter(cr) as meter, freeze_time(now):
                env["aftersales.ticket"]._cron_sla_monitor(batch_size=batch, commit=True)
                cr.commit()
        finally:
            model_class._sla_monitor_batch = claim
        cr.execute("SELECT delivery, count(*) FROM aftersales_sla_alert GROUP BY delivery")
        deliveries = dict(cr.fetchall())
        cr.execute("SELECT count(*) FROM mail_activity")
        activities = cr.fetchone()[0] - activities_before
    queries = [count for _claimed, count in per_batch]
    return {
        "open_tickets": open_count,
        "due": due,
        "alerts": sum(deliveries.values()),
        "deliveries": deliveries,
        "activities": activities,
        "batches": len(per_batch),
        "queries": meter.count,
        "queries_per_batch_min": min(queries, default=0),
        "queries_per_batch_max": max(queries, default=0),
        "queries_per_batch": queries,
        "seconds": round(meter.seconds, 2),
        "plan": plan,
    }


def main(argv=None):
    args = parse_args(argv)
    sides = args.sides.split(",")
    Ours.opted_out = args.opted_out
    tmp = tempfile.mkdtemp(prefix="bench-sla-")
    oca_path = ""
    if "oca" in sides:
        wheels = sorted(glob.glob(f"{args.wheels}/odoo_addon_helpdesk_mgmt*-19.0.*.whl"))
        if len(wheels) < 2:
            sys.exit(f"Put odoo_addon_helpdesk_mgmt and odoo_addon_helpdesk_mgmt_sla 19.0 wheels in {args.wheels}")
        for wheel in wheels:
            zipfile.ZipFile(wheel).extractall(tmp)
        oca_path = f",{tmp}/odoo/addons"
    addons_path = f"{args.odoo_src}/addons,{REPO}/addons{oca_path}"
    modules = ["aftersales_sla"] + (["helpdesk_mgmt_sla"] if "oca" in sides else [])
    install(args, addons_path, modules)
    odoo, registry = open_registry(args, addons_path)
    api = odoo.api
    results = {"count": args.count}
    try:
        # Rounds alternate between the sides, so that a change of load on the
        # machine weighs on both.
        rounds = {key: [] for key in sides}
        for number in range(args.rounds):
            for key in sides:
                rounds[key].append(bench_create_move(api, registry, SIDES[key], args.count))
                print(f"# {key} round {number + 1}: {rounds[key][-1]}", flush=True)
        for key in sides:
            results[key] = median_rounds(rounds[key])
        print(f"# create/move: {results.get('ours')} / {results.get('oca')}", flush=True)
        if args.profile:
            results["profiled"] = run_profiles(api, registry, sides, args.count, args.profile)
        sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
        done = []
        results["deadlines"] = []
        for size in sizes:
            done += insert_open_tickets(api, registry, size - len(done), offset=len(done))
            print(f"# {len(done)} open tickets inserted", flush=True)
            results["deadlines"].append(bench_deadlines(api, registry, done, args.batch))
            print(f"# deadlines: {results['deadlines'][-1]}", flush=True)
        if done:
            results["monitor"] = bench_monitor(api, registry, min(args.due, len(done)))
    finally:
        if not args.keep_db:
            drop_database(odoo, registry, args.database)
    print_results(results)
    if args.output:
        Path(args.output).write_text(json.dumps(results, indent=2, default=str))


def print_results(results):
    n = results["count"]
    print(f"\n## {n} tickets with an SLA: create one batch, then move it one stage (medians)")
    print(f"{'':8} {'create q':>9} {'q/ticket':>9} {'ms/ticket':>10} {'move q':>8} {'move s':>7}")
    for side in ("ours", "oca"):
        if side in results:
            r = results[side]
            print(
                f"{side:8} {r['create_queries']:>9} {r['create_queries'] / n:>9.1f} "
                f"{1000 * r['create_seconds'] / n:>10.2f} {r['move_queries']:>8} {r['move_seconds']:>7.2f}"
            )
    if "ours" in results and "oca" in results:
        ours, oca = results["ours"], results["oca"]
        print(
            f"ours / OCA: create {ours['create_seconds'] / oca['create_seconds']:.3f} of the time "
            f"({oca['create_seconds'] / ours['create_seconds']:.1f}x faster), "
            f"move {ours['move_seconds'] / oca['move_seconds']:.3f} of the time"
        )
    if not results["deadlines"]:
        return
    print("\n## Deadlines (_sla_refresh, committed batches)")
    for r in results["deadlines"]:
        print(
            f"{r['tickets']:>7} tickets: {r['batches']} batches of {r['tickets'] // r['batches']}, "
            f"{r['queries_per_batch_min']}-{r['queries_per_batch_max']} queries per batch, {r['seconds']} s, "
            f"{r['without_deadline']} without deadline"
        )
    m = results["monitor"]
    print("\n## Monitoring job")
    print(
        f"{m['open_tickets']} open tickets, {m['due']} due: {m['alerts']} alerts {m['deliveries']} in "
        f"{m['batches']} batches, {m['activities']} activities; {m['queries']} queries "
        f"({m['queries_per_batch_min']}-{m['queries_per_batch_max']} per batch), {m['seconds']} s"
    )
    print("claim query plan:\n" + m["plan"])


if __name__ == "__main__":
    main()
