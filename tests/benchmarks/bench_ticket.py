"""Ticket benchmark: batch create and stage move, aftersales_ticket against OCA helpdesk_mgmt.

Not a test (pytest only collects tests/test_*.py). Run it through setup/bench, which
builds a throwaway database holding both addons; see tests/benchmarks/README.md.

For each side the same measurement is taken, in one transaction that is rolled back:

* create: one ``create()`` of N tickets (name, description, customer, team, and
  the assignee: our auto-dispatch picks a technician, OCA gets ``user_id``);
* stage move: ``write({"stage_id": next_stage})`` on those N tickets.

Each measured section starts with an empty record cache and ends with
``env.flush_all()`` + ``cr.precommit.run()`` + ``env.flush_all()``, so deferred
ORM writes and the tracking messages (written at precommit) are counted. Queries
are counted with the cursor's ``sql_log_count``, time with ``time.perf_counter``.
Tracking stays on (no ``tracking_disable``, no ``mail_notrack``). A small batch
is created and moved first as warm-up. ``--breakdown`` adds an unmeasured round
that attributes every query to the code that issued it.
"""

import argparse
import collections
import json
import os
import re
import statistics
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

OUR_MODULE = "aftersales_ticket"
OCA_MODULE = "helpdesk_mgmt"
PARTNERS = 50
TECHNICIANS = 4
# Moving the whole batch one stage goes through core's mail path (one tracking
# message per ticket, posted by mail's _message_track): the goal is time, at
# most this share of OCA's (issue 17; formerly 5 queries per 100 tickets, when
# the tracking was written with SQL).
STAGE_MOVE_TIME_RATIO = 0.35


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", required=True, help="database holding both addons")
    parser.add_argument("-c", "--config", help="Odoo config file (db host, user, password)")
    parser.add_argument("--addons-path", help="addons path (must include helpdesk_mgmt's directory)")
    parser.add_argument("--odoo-src", default=os.environ.get("ODOO_SRC"), help="Odoo source tree (default $ODOO_SRC)")
    parser.add_argument("-n", "--count", type=int, default=1000, help="tickets per measured batch (default 1000)")
    parser.add_argument("--warmup", type=int, default=10, help="tickets of the warm-up batch (default 10)")
    parser.add_argument("--rounds", type=int, default=1, help="measured batches per side; medians are reported")
    parser.add_argument("--sides", default="ours,oca", help="comma separated: ours, oca (default both)")
    parser.add_argument("--breakdown", action="store_true", help="add a round that attributes the queries")
    parser.add_argument("--log-sql", action="store_true", help="log every query (odoo.sql_db at DEBUG)")
    parser.add_argument("--top", type=int, default=12, help="lines per breakdown table (default 12)")
    parser.add_argument("-o", "--output", help="JSON result file")
    parser.add_argument("--check", action="store_true", help="exit 1 when our figures miss the goal")
    return parser.parse_args(argv)


def open_odoo(args):
    if args.odoo_src:
        sys.path.insert(0, args.odoo_src)
    import odoo  # noqa: PLC0415 -- importable only once the source tree is on sys.path
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    odoo_args = ["-d", args.database, "--log-level=warn"]
    if args.config:
        odoo_args[:0] = ["-c", args.config]
    if args.log_sql:
        odoo_args.append("--log-sql")
    if args.addons_path:
        odoo_args.append(f"--addons-path={args.addons_path}")
    config.parse_config(odoo_args, setup_logging=True)
    threading.current_thread().dbname = args.database
    return odoo, Registry(args.database)


# ----------------------------------------------------------------------------
# Fixtures
# ----------------------------------------------------------------------------


def make_common(env):
    """Customers and the users who take tickets, shared by both sides."""
    partners = env["res.partner"].create(
        [
            {
                "name": f"Bench Customer {i:02d}",
                "email": f"bench.customer{i:02d}@example.com",
                "phone": f"+86 21 5555 {i:04d}",
                "street": f"{i} Bench Road",
                "city": "Shanghai",
                "zip": "200000",
            }
            for i in range(PARTNERS)
        ]
    )
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {"name": f"Bench Technician {i}", "login": f"bench_tech_{i}", "email": f"bench.tech{i}@example.com"}
                for i in range(TECHNICIANS)
            ]
        )
    )
    return partners, users


def add_groups(env, users, xmlid):
    group = env.ref(xmlid)
    users.write({"group_ids": [(4, group.id)]})


class Side:
    """One ticket model under test: its fixture, ticket values and stages."""

    key = label = model = stage_model = ""

    def __init__(self, env, partners, users):
        self.env = env
        self.partners = partners
        self.users = users

    def ticket_vals(self, count, tag):
        partners = self.partners
        return [
            {
                "name": f"{tag} ticket {i}: unit does not power on",
                "description": f"<p>Unit {i} does not power on after the firmware update; "
                f"the status light blinks red three times.</p>",
                "partner_id": partners[i % len(partners)].id,
            }
            for i in range(count)
        ]

    def next_stage(self, tickets):
        current = tickets.stage_id
        assert len(current) == 1, f"{self.label}: batch spread over stages {current.mapped('name')}"
        stages = self.env[self.stage_model].search([])
        later = stages.filtered(lambda s: (s.sequence, s.id) > (current.sequence, current.id))
        assert later, f"{self.label}: no stage after {current.name}"
        return current, later[0]


class Ours(Side):
    key, label, model, stage_model = "ours", "aftersales_ticket", "aftersales.ticket", "aftersales.stage"

    def setup(self):
        env = self.env
        add_groups(env, self.users, "aftersales_ticket.group_aftersales_technician")
        self.team = env["aftersales.team"].create(
            {
                "name": "Bench Service Centre",
                "auto_dispatch": True,
                "manager_id": env.ref("base.user_admin").id,
                "member_ids": [(4, env.ref("base.user_admin").id)],
            }
        )
        levels = ["basic", "professional", "advanced", "trainer"]
        self.technicians = env["aftersales.technician"].create(
            [
                {
                    "user_id": user.id,
                    "team_ids": [(4, self.team.id)],
                    "certification_level": levels[i % len(levels)],
                    # 0 = no capacity limit: every ticket of the batch gets a technician.
                    "max_open_tickets": 0,
                }
                for i, user in enumerate(self.users)
            ]
        )

    def ticket_vals(self, count, tag):
        vals_list = super().ticket_vals(count, tag)
        for vals in vals_list:
            vals["team_id"] = self.team.id
        return vals_list

    def check(self, tickets):
        unassigned = tickets.filtered(lambda t: not t.technician_id)
        assert not unassigned, f"auto-dispatch left {len(unassigned)} tickets without technician"


class Oca(Side):
    key, label, model, stage_model = "oca", "OCA helpdesk_mgmt", "helpdesk.ticket", "helpdesk.ticket.stage"

    def setup(self):
        env = self.env
        add_groups(env, self.users, "helpdesk_mgmt.group_helpdesk_user")
        self.team = env["helpdesk.ticket.team"].create(
            {
                "name": "Bench Helpdesk Team",
                "user_ids": [(6, 0, self.users.ids)],
                "user_id": env.ref("base.user_admin").id,
            }
        )

    def ticket_vals(self, count, tag):
        vals_list = super().ticket_vals(count, tag)
        for i, vals in enumerate(vals_list):
            partner = self.partners.browse(vals["partner_id"])
            # What the form sends: the partner onchange fills name and email;
            # the assignee stands for our auto-dispatch.
            vals.update(
                team_id=self.team.id,
                user_id=self.users[i % len(self.users)].id,
                partner_name=partner.name,
                partner_email=partner.email,
            )
        return vals_list

    def check(self, tickets):
        assert all(tickets.mapped("user_id")), "OCA tickets without user"


SIDES = {"ours": Ours, "oca": Oca}


# ----------------------------------------------------------------------------
# Measurement
# ----------------------------------------------------------------------------


def settle(env):
    """Write everything pending, tracking messages included (they are made at precommit)."""
    env.flush_all()
    env.cr.precommit.run()
    env.flush_all()


def measured(env, func):
    """Run func with an empty record cache, then flush and run the precommit hooks.

    Returns (result, figures): figures holds the total queries and seconds and
    the queries of the precommit part (tracking messages) on its own.
    """
    settle(env)
    env.invalidate_all()
    cr = env.cr
    queries = cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    before_precommit = cr.sql_log_count
    cr.precommit.run()
    env.flush_all()
    seconds = time.perf_counter() - start
    return result, {
        "queries": cr.sql_log_count - queries,
        "seconds": round(seconds, 4),
        "precommit_queries": cr.sql_log_count - before_precommit,
    }


def run_batch(side, count, tag):
    Model = side.env[side.model]
    vals_list = side.ticket_vals(count, tag)
    tickets, create = measured(side.env, lambda: Model.create(vals_list))
    side.check(tickets)
    current, target = side.next_stage(tickets)
    _res, move = measured(side.env, lambda: tickets.write({"stage_id": target.id}))
    assert tickets.stage_id == target, f"{side.label}: stage move failed"
    create["queries_per_ticket"] = round(create["queries"] / count, 3)
    create["ms_per_ticket"] = round(1000 * create["seconds"] / count, 3)
    move["queries_per_ticket"] = round(move["queries"] / count, 3)
    return {"tickets": count, "create": create, "stage_move": {"from": current.name, "to": target.name, **move}}


def median_result(rounds):
    if len(rounds) == 1:
        return rounds[0]
    result = json.loads(json.dumps(rounds[0]))
    for phase in ("create", "stage_move"):
        for key, value in result[phase].items():
            if isinstance(value, (int, float)):
                result[phase][key] = statistics.median(r[phase][key] for r in rounds)
    result["rounds"] = rounds
    return result


# ----------------------------------------------------------------------------
# Query breakdown
# ----------------------------------------------------------------------------

SQL_FROM = re.compile(r"\bFROM\s+\"?(\w+)", re.IGNORECASE)


def query_shape(query):
    text = query.decode() if isinstance(query, bytes) else str(query)
    match = re.match(r"\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", text, re.IGNORECASE)
    if match:
        return f"{match.group(1).split()[0].upper()} {match.group(2)}"
    match = re.match(r"\s*SELECT\s+(nextval|setval)\(", text, re.IGNORECASE)
    if match:
        return f"SELECT {match.group(1)}()"
    froms = SQL_FROM.findall(text)
    verb = text.split(None, 1)[0].upper() if text.strip() else "?"
    return f"{verb} {froms[0]}" if froms else verb


class QueryRecorder:
    """Query hook (Cursor.execute calls current_thread.query_hooks) keeping, for
    each query, its shape and the code that issued it."""

    def __init__(self, module_dirs):
        self.module_dirs = module_dirs
        self.shapes = collections.Counter()
        self.callers = collections.Counter()
        self.sql_seconds = 0.0

    def __call__(self, cr, query, params, start, depth):
        self.shapes[query_shape(query)] += 1
        self.callers[self.caller(sys._getframe(1))] += 1

        def done(delay):
            self.sql_seconds += delay

        return done

    def caller(self, frame):
        """Innermost frame of the addon under test, with the innermost ORM/mail frame below it."""
        inner = None
        while frame is not None:
            filename = frame.f_code.co_filename
            if any(d in filename for d in self.module_dirs):
                where = f"{Path(filename).name}:{frame.f_lineno} {frame.f_code.co_name}"
                return f"{where} <- {inner}" if inner else where
            if inner is None and "sql_db.py" not in filename and "/odoo/" in filename:
                inner = f"{Path(filename).parent.name}/{Path(filename).name} {frame.f_code.co_name}"
            frame = frame.f_back
        return f"(framework) {inner}"


def breakdown_batch(side, count, tag, top):
    """One more batch, not timed, with every query attributed to its caller."""
    env = side.env
    module_dirs = [f"/{OUR_MODULE}/" if side.key == "ours" else f"/{OCA_MODULE}/"]
    thread = threading.current_thread()
    Model = env[side.model]
    vals_list = side.ticket_vals(count, tag)
    report = {}

    def recorded(phase, func):
        recorder = QueryRecorder(module_dirs)
        settle(env)
        env.invalidate_all()
        thread.query_hooks = (recorder,)
        try:
            result = func()
            settle(env)
        finally:
            del thread.query_hooks
        report[phase] = {
            "queries": sum(recorder.shapes.values()),
            "sql_seconds": round(recorder.sql_seconds, 4),
            "by_statement": dict(recorder.shapes.most_common(top)),
            "by_caller": dict(recorder.callers.most_common(top)),
        }
        return result

    tickets = recorded("create", lambda: Model.create(vals_list))
    target = side.next_stage(tickets)[1]
    recorded("stage_move", lambda: tickets.write({"stage_id": target.id}))
    return report


# ----------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------


def verdict(results, count):
    ours, oca = results.get("ours"), results.get("oca")
    if not (ours and oca):
        return None
    checks = {
        "create_queries_per_ticket": ours["create"]["queries_per_ticket"] <= oca["create"]["queries_per_ticket"] / 2,
        "create_ms_per_ticket": ours["create"]["ms_per_ticket"] <= oca["create"]["ms_per_ticket"] / 2,
        "stage_move_seconds": ours["stage_move"]["seconds"] <= STAGE_MOVE_TIME_RATIO * oca["stage_move"]["seconds"],
    }
    return {
        "goal": (
            "create: at most half of OCA's queries and ms per ticket; "
            f"stage move of the whole batch, tracking included: at most {STAGE_MOVE_TIME_RATIO} of OCA's time"
        ),
        "checks": checks,
        "met": all(checks.values()),
    }


def print_table(results, count):
    head = (
        f"{'side':<18} {'create q/ticket':>15} {'create ms/ticket':>16} {'create s':>8} {'(precommit q)':>13}"
        f" {'move queries':>12} {'(precommit q)':>13} {'move s':>7}"
    )
    print(f"\nTicket benchmark: batch of {count} tickets (create, then move one stage)\n")
    print(head)
    print("-" * len(head))
    for key, result in results.items():
        create, move = result["create"], result["stage_move"]
        print(
            f"{SIDES[key].label:<18} {create['queries_per_ticket']:>15.2f} {create['ms_per_ticket']:>16.2f}"
            f" {create['seconds']:>8.2f} {create['precommit_queries']:>13}"
            f" {move['queries']:>12} {move['precommit_queries']:>13} {move['seconds']:>7.2f}"
        )
    if "ours" in results and "oca" in results:
        ours, oca = results["ours"], results["oca"]
        ratio = [
            ours["create"]["queries_per_ticket"] / oca["create"]["queries_per_ticket"],
            ours["create"]["ms_per_ticket"] / oca["create"]["ms_per_ticket"],
            ours["stage_move"]["queries"] / max(oca["stage_move"]["queries"], 1),
            ours["stage_move"]["seconds"] / max(oca["stage_move"]["seconds"], 1e-9),
        ]
        print(
            f"{'ours / OCA':<18} {ratio[0]:>15.2f} {ratio[1]:>16.2f} {'':>8} {'':>13}"
            f" {ratio[2]:>12.2f} {'':>13} {ratio[3]:>7.2f}"
        )


def print_breakdown(key, report):
    for phase, data in report.items():
        print(f"\n{SIDES[key].label} - {phase}: {data['queries']} queries, {data['sql_seconds']:.2f} s in SQL")
        print("  by statement:")
        for shape, n in data["by_statement"].items():
            print(f"    {n:>6}  {shape}")
        print("  by caller:")
        for caller, n in data["by_caller"].items():
            print(f"    {n:>6}  {caller}")


def main(argv=None):
    args = parse_args(argv)
    sides = [s.strip() for s in args.sides.split(",") if s.strip()]
    unknown = set(sides) - set(SIDES)
    if unknown:
        sys.exit(f"unknown side(s): {', '.join(sorted(unknown))}")
    odoo, registry = open_odoo(args)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    results, breakdown = {}, {}
    with registry.cursor() as cr:
        root = api.Environment(cr, SUPERUSER_ID, {})
        installed = set(root["ir.module.module"].search([("state", "=", "installed")]).mapped("name"))
        modules = {"ours": OUR_MODULE, "oca": OCA_MODULE}
        missing = [modules[s] for s in sides if modules[s] not in installed]
        if missing:
            sys.exit(f"not installed in {args.database}: {', '.join(missing)}")
        partners, users = make_common(root)
        # A plain manager user, with the context a request would have.
        admin = root.ref("base.user_admin")
        env = api.Environment(cr, admin.id, {})
        env = env(context=env["res.users"].context_get())
        assert not (env.context.get("tracking_disable") or env.context.get("mail_notrack"))
        objects = {}
        for key in sides:
            side = SIDES[key](root, partners, users)
            side.setup()
            side.env = env
            side.partners, side.users = partners.with_env(env), users.with_env(env)
            objects[key] = side
        settle(root)
        for side in objects.values():
            run_batch(side, args.warmup, "Warm-up")
        for key, side in objects.items():
            rounds = [run_batch(side, args.count, f"Round {r + 1}") for r in range(args.rounds)]
            results[key] = median_result(rounds)
        if args.breakdown:
            for key, side in objects.items():
                breakdown[key] = breakdown_batch(side, args.count, "Breakdown", args.top)
        cr.rollback()

    print_table(results, args.count)
    for key, report in breakdown.items():
        print_breakdown(key, report)
    goal = verdict(results, args.count)
    if goal:
        print(f"\nGoal ({goal['goal']}): {'MET' if goal['met'] else 'MISSED'}")
        for name, ok in goal["checks"].items():
            print(f"  {'ok  ' if ok else 'MISS'} {name}")
    if args.output:
        payload = {
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "database": args.database,
            "odoo": odoo.release.version,
            "count": args.count,
            "warmup": args.warmup,
            "rounds": args.rounds,
            "user": "base.user_admin (plain manager user, tracking on)",
            "method": "sql_log_count and perf_counter around create()/write() + flush_all + precommit.run",
            "results": results,
            "verdict": goal,
            "breakdown": breakdown,
        }
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(json.dumps(payload, indent=2) + "\n")
        print(f"\nResults written to {args.output}")
    return 1 if args.check and goal and not goal["met"] else 0


if __name__ == "__main__":
    sys.exit(main())
