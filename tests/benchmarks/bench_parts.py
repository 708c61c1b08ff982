"""Parts benchmark: month-end invoicing of repaired chargeable tickets, next to
Odoo's repair module invoicing the same number of repair orders the same way.

Not a test (pytest only collects tests/test_*.py). It builds a throwaway
database, so run it with the suite's virtualenv python (see README_parts.md):

    ~/.local/share/aftersales-suite/venv/bin/python tests/benchmarks/bench_parts.py -n 500

Both sides get N repairs of one part (list price 100) and one hour of labour
(list price 50), quoted on sale orders, confirmed, issued and repaired, all
prepared in batches and committed. Then, each in its own transaction that is
rolled back:

- ``ours``: ``sale.order.action_aftersales_invoice_batch()`` on the N ticket
  quotations (Intermediate tier pricelist, 70 %): one ``_create_invoices()`` and
  one ``action_post()``;
- ``odoo``: the N quotations of plain repair orders (``repair.order``
  ``action_create_sale_order`` path), invoiced with ``_create_invoices()`` and
  posted with ``action_post()``, as Odoo's repair flow does.

Queries are the cursor's ``sql_log_count`` and seconds the wall time, after
flush and precommit, as ``base.user_admin``.

``--flow`` also prints the queries of each step of one chargeable ticket's whole
flow (ticket → repair → quotation → approval → parts → repair done → invoice
posted), run twice in a rolled-back transaction and reported warm, the way the
addon's ``assertQueryCount`` budget measures it; ``--flow-sql FILE`` writes
each of those queries with its step and the code that ran it.
"""

import argparse
import cProfile
import json
import os
import pstats
import re
import traceback
from collections import Counter
from contextlib import contextmanager, nullcontext
from pathlib import Path

from benchlib import HOME, REPO, Meter, default_odoo_src, drop_database, install, open_registry, settle


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", default=f"aftersales_bench_parts_{os.getpid()}")
    parser.add_argument("-c", "--config", default=str(HOME / "odoo.conf"))
    parser.add_argument("--odoo-src", default=default_odoo_src())
    parser.add_argument("--addons", default=str(REPO / "addons"), help="our addons directory")
    parser.add_argument("-n", "--count", type=int, default=500, help="repaired tickets (and repair orders) per side")
    parser.add_argument("-r", "--repeat", type=int, default=3, help="measurements per side (medians reported)")
    parser.add_argument("--flow", action="store_true", help="also print the whole flow's queries per step")
    parser.add_argument(
        "--flow-sql", metavar="FILE", help="with --flow: write each query of the warm flow, its step and its callers"
    )
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help="after the measured runs, one run per side under cProfile: DIR/ours.prof, DIR/odoo.prof and the "
        "seconds of account's main steps",
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the database")
    parser.add_argument("-o", "--output", help="JSON result file")
    return parser.parse_args(argv)


def prepare(api, registry, count):
    """N repaired chargeable tickets and N plain repair orders, quoted,
    approved and done; returns the sale order ids of each side."""
    from dateutil.relativedelta import relativedelta  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        company = env.company
        if not company.chart_template:
            env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
        part = env["product.product"].create(
            {"name": "Bench part", "is_storable": True, "list_price": 100.0, "standard_price": 40.0, "taxes_id": []}
        )
        labour = env["product.product"].create(
            {
                "name": "Bench labour",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 50.0,
                "standard_price": 30.0,
                "taxes_id": [],
            }
        )
        company.aftersales_labour_product_id = labour
        stock = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1).lot_stock_id
        env["stock.quant"]._update_available_quantity(part, stock, 2.0 * count + 10)
        tier = env.ref("aftersales_sla.tier_intermediate")
        partners = env["res.partner"].create([{"name": f"Bench customer {i}"} for i in range(50)])
        unit = env["product.product"].create({"name": "Bench unit", "type": "consu"})
        tickets = env["aftersales.ticket"].create(
            [
                {
                    "name": f"Bench ticket {i}",
                    "partner_id": partners[i % 50].id,
                    "product_id": unit.id,
                    "purchase_date": (env.cr.now() - relativedelta(years=3)).date(),
                    "sla_tier_id": tier.id,
                }
                for i in range(count)
            ]
        )
        move = {"product_id": part.id, "product_uom_qty": 1.0, "repair_line_type": "add"}
        ours = env["repair.order"].create(
            [
                {
                    "aftersales_ticket_id": t.id,
                    "partner_id": t.partner_id.id,
                    "location_id": stock.id,
                    "aftersales_labour_hours": 1.0,
                    "move_ids": [(0, 0, dict(move))],
                }
                for t in tickets
            ]
        )
        ours._create_sale_order()
        odoo_side = env["repair.order"].create(
            [{"partner_id": partners[i % 50].id, "move_ids": [(0, 0, dict(move))]} for i in range(count)]
        )
        odoo_side._create_sale_order()
        # Odoo's repair quotes the parts; the labour is a line added by hand.
        env["sale.order.line"].create(
            [{"order_id": r.sale_order_id.id, "product_id": labour.id, "product_uom_qty": 1.0} for r in odoo_side]
        )
        (ours | odoo_side).sale_order_id.action_confirm()
        ours.action_aftersales_issue_parts()
        (ours | odoo_side).action_repair_start()
        (ours | odoo_side).action_repair_end()
        cr.commit()  # pylint: disable=invalid-commit
        freeze_statistics(cr)
        return ours.sale_order_id.ids, odoo_side.sale_order_id.ids


def freeze_statistics(cr):
    """Turn autovacuum off in the throwaway database: each measured run inserts
    thousands of invoice rows and rolls them back, and a vacuum of those dead
    rows between two runs records the invoice tables as empty, after which
    PostgreSQL plans account's payment-state query for empty tables and the
    next runs take three to five times longer, on whichever side comes next."""
    cr.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    for (table,) in cr.fetchall():
        cr.execute(f'ALTER TABLE "{table}" SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)')
    cr.commit()  # pylint: disable=invalid-commit


def bench_invoice(api, registry, order_ids, ours, profiler=None):
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        env = env(user=env.ref("base.user_admin"), context=env["res.users"].context_get())
        orders = env["sale.order"].browse(order_ids)
        settle(env)
        env.invalidate_all()
        with Meter(cr) as meter, profiler or nullcontext():
            if ours:
                orders.action_aftersales_invoice_batch()
            else:
                invoices = orders._create_invoices()
                invoices.action_post()
            settle(env)
        posted = env["account.move"].search_count(
            [("line_ids.sale_line_ids.order_id", "in", order_ids), ("state", "=", "posted")]
        )
        total = sum(orders.mapped("invoice_ids.amount_total"))
        cr.rollback()
    return {
        "queries": meter.count,
        "seconds": round(meter.seconds, 2),
        "queries_per_ticket": round(meter.count / len(order_ids), 2),
        "ms_per_ticket": round(1000 * meter.seconds / len(order_ids), 2),
        "invoices_posted": posted,
        "amount_total": total,
    }


# Where the invoicing time goes: (label, file, function) of the profile.
PROFILE_STEPS = [
    ("account.move create (sale _create_invoices)", "account/models/account_move.py", "create"),
    ("account.move _post", "account/models/account_move.py", "_post"),
    ("account.move write, all calls", "account/models/account_move.py", "write"),
    ("sequence gap flags, one write per move", "account/models/account_move.py", "_update_sequence_made_gap"),
    ("account.move.line write, all calls", "account/models/account_move_line.py", "write"),
    ("fields_get of every line field in line writes", "odoo/orm/models.py", "fields_get"),
    ("chatter message_post", "mail/models/mail_thread.py", "message_post"),
    ("ORM modified (recompute triggers)", "odoo/orm/models.py", "modified"),
    ("SQL (cursor execute)", "odoo/sql_db.py", "execute"),
]


def profile_steps(stats):
    """Seconds (cumulative) and calls of PROFILE_STEPS in a pstats.Stats."""
    total = stats.total_tt
    rows = {}
    for label, path, name in PROFILE_STEPS:
        found = [
            (cumtime, calls)
            for (filename, _line, func), (_cc, calls, _tt, cumtime, _callers) in stats.stats.items()
            if filename.endswith(path) and func == name
        ]
        cumtime, calls = max(found, default=(0.0, 0))
        rows[label] = {"seconds": round(cumtime, 2), "share": round(cumtime / total, 3) if total else 0, "calls": calls}
    return {"total": round(total, 2), "steps": rows}


def profile_invoice(api, registry, order_ids, ours, path):
    profiler = cProfile.Profile()
    bench_invoice(api, registry, order_ids, ours, profiler=profiler)
    profiler.dump_stats(path)
    return profile_steps(pstats.Stats(profiler))


SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def caller_frames(depth=5):
    """Where a query comes from: the innermost frames of addon code, leaving
    out the ORM, the cursor and this file."""
    skip = ("/odoo/orm/", "/odoo/sql_db.py", "/odoo/fields", "/odoo/api", "/odoo/tools/", __file__, "contextlib.py")
    frames = [f for f in traceback.extract_stack() if not any(part in f.filename for part in skip)]
    return " < ".join(f"{f.filename.rsplit('/addons/', 1)[-1]}:{f.lineno} {f.name}" for f in reversed(frames[-depth:]))


@contextmanager
def trace_queries(cursor_class, current, log):
    """Record each query run while ``current["step"]`` is set, with its step
    and callers, by wrapping the cursor's execute."""
    execute = cursor_class.execute

    def traced(self, query, params=None, log_exceptions=True):
        if current.get("step"):
            sql = " ".join(str(getattr(query, "code", query)).split())
            match = re.search(r'\b(?:FROM|INTO|UPDATE)\s+"?(\w+)', sql)
            table = match.group(1) if match else sql.split(" ", 1)[0]
            log.append((current["step"], table, sql[:160], caller_frames()))
        return execute(self, query, params, log_exceptions)

    cursor_class.execute = traced
    try:
        yield log
    finally:
        cursor_class.execute = execute


def flow_fixtures(env):
    """A technician with a van holding the bench part, their team, a customer,
    a serial-tracked laptop with two serials, bought three years ago."""
    from dateutil.relativedelta import relativedelta  # noqa: PLC0415

    from odoo import fields  # noqa: PLC0415

    tech_user = env["res.users"].create(
        {
            "name": "Flow technician",
            "login": "bench_flow_tech",
            "group_ids": [(4, env.ref("aftersales_ticket.group_aftersales_technician").id)],
        }
    )
    team = env["aftersales.team"].create({"name": "Flow team", "auto_dispatch": False})
    tech = env["aftersales.technician"].create({"user_id": tech_user.id, "team_ids": [(4, team.id)]})
    laptop = env["product.product"].create({"name": "Flow laptop", "is_storable": True, "tracking": "serial"})
    part = env["product.product"].search([("name", "=", "Bench part")], limit=1)
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    van = env["stock.location"].create(
        {"name": "Flow van", "usage": "internal", "location_id": warehouse.view_location_id.id}
    )
    tech.van_location_id = van
    env["stock.quant"]._update_available_quantity(part, van, 5.0)
    return {
        "customer": env["res.partner"].create({"name": "Flow customer", "is_company": True}),
        "laptop": laptop,
        "lots": env["stock.lot"].create([{"name": f"FLOW-000{i}", "product_id": laptop.id} for i in (1, 2)]),
        "part": part,
        "team": team,
        "tech": tech,
        "tier": env.ref("aftersales_sla.tier_intermediate"),
        "purchase_date": fields.Date.context_today(tech) - relativedelta(months=36),
    }


def bench_flow(api, registry, sql_file=None):
    """Queries per step of one chargeable ticket's whole flow, warm (second
    run); with ``sql_file``, each query of the warm run, its step and callers."""
    from odoo import fields, sql_db  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        fx = flow_fixtures(env)
        steps = {}
        current = {}

        def step(name, call, *call_args):
            start = cr.sql_log_count
            current["step"] = name
            result = call(*call_args)
            env.flush_all()
            current["step"] = None
            steps[name] = cr.sql_log_count - start
            return result

        def run_flow(lot):
            env.flush_all()
            env.invalidate_all()
            steps.clear()
            ticket_vals = {
                "name": "Screen stays black",
                "partner_id": fx["customer"].id,
                "product_id": fx["laptop"].id,
                "team_id": fx["team"].id,
                "lot_id": lot.id,
                "purchase_date": fx["purchase_date"],
                "sla_tier_id": fx["tier"].id,
                "technician_id": fx["tech"].id,
            }
            ticket = step(
                "ticket create (aftersales_ticket, aftersales_sla)", env["aftersales.ticket"].create, ticket_vals
            )
            action = step("repair.order create (action_create_repair)", ticket.action_create_repair)
            repair = env["repair.order"].browse(action["res_id"])
            part_vals = {"product_id": fx["part"].id, "product_uom_qty": 1.0, "repair_line_type": "add"}
            repair_vals = {"aftersales_labour_hours": 1.0, "move_ids": [(0, 0, part_vals)]}
            step("repair.order write: part and labour hours", repair.write, repair_vals)
            step("quotation: sale.order create with its lines", repair.sudo()._create_sale_order)
            order = repair.sale_order_id
            step("quotation sent (action_quotation_sent)", order.action_quotation_sent)
            signature = {"signed_by": "Li Wei", "signed_on": fields.Datetime.now(), "signature": SIGNATURE}
            step("signature written", order.write, signature)
            step("approval: sale.order action_confirm (+ repair confirm, reservation)", order.action_confirm)
            step("parts issued (action_aftersales_issue_parts)", repair.action_aftersales_issue_parts)
            step("repair start", repair.action_repair_start)
            step("repair end (action_repair_done, stock moves done)", repair.action_repair_end)
            invoice = step("invoice: sale.order _create_invoices", order._create_invoices)
            step("invoice: account.move action_post", invoice.action_post)

        run_flow(fx["lots"][0])  # cold: fills the ORM caches
        with trace_queries(sql_db.Cursor, current, []) as log:
            run_flow(fx["lots"][1])
        cr.rollback()
    if sql_file:
        write_flow_sql(sql_file, log)
    steps["total"] = sum(steps.values())
    return steps


def write_flow_sql(path, log):
    """Per step, the queries by table, then every query with its callers."""
    by_table = {}
    for name, table, _sql, _callers in log:
        by_table.setdefault(name, Counter())[table] += 1
    lines = []
    for name, tables in by_table.items():
        lines.append(f"{sum(tables.values()):>4}  {name}: " + ", ".join(f"{t} {n}" for t, n in tables.most_common()))
    lines.append("")
    lines += [f"[{i}] {name} | {sql}\n    {callers}" for i, (name, _table, sql, callers) in enumerate(log)]
    Path(path).write_text("\n".join(lines) + "\n")


def median_run(runs):
    """The run of median seconds, with every run's queries and seconds."""
    ordered = sorted(runs, key=lambda r: r["seconds"])
    result = dict(ordered[len(ordered) // 2])
    result["runs"] = [(r["queries"], r["seconds"]) for r in runs]
    return result


def main(argv=None):
    args = parse_args(argv)
    addons_path = f"{args.odoo_src}/addons,{args.addons}"
    install(args, addons_path, ["aftersales_parts"])
    odoo, registry = open_registry(args, addons_path)
    api = odoo.api
    results = {"count": args.count, "repeat": args.repeat}
    try:
        ours_ids, odoo_ids = prepare(api, registry, args.count)
        print(f"# prepared {len(ours_ids)} ticket quotations and {len(odoo_ids)} repair quotations", flush=True)
        runs = {"ours": [], "odoo": []}
        for i in range(args.repeat):
            # Alternate the sides so that a busy machine weighs on both alike.
            for side in ("ours", "odoo") if i % 2 == 0 else ("odoo", "ours"):
                run = bench_invoice(api, registry, ours_ids if side == "ours" else odoo_ids, ours=side == "ours")
                print(f"# run {i + 1} {side}: {run['queries']} queries, {run['seconds']} s", flush=True)
                runs[side].append(run)
        results["ours"] = median_run(runs["ours"])
        results["odoo"] = median_run(runs["odoo"])
        if args.profile:
            Path(args.profile).mkdir(parents=True, exist_ok=True)
            results["profile"] = {
                side: profile_invoice(api, registry, ids, side == "ours", Path(args.profile) / f"{side}.prof")
                for side, ids in (("ours", ours_ids), ("odoo", odoo_ids))
            }
        if args.flow:
            results["flow"] = bench_flow(api, registry, args.flow_sql)
    finally:
        if not args.keep_db:
            drop_database(odoo, registry, args.database)
    print_results(results)
    if args.output:
        Path(args.output).write_text(json.dumps(results, indent=2, default=str))


def print_results(results):
    n = results["count"]
    print(f"\n## Invoice {n} repaired chargeable tickets in one batch (median of {results['repeat']} runs)")
    print(f"{'':6} {'queries':>8} {'q/ticket':>9} {'seconds':>8} {'ms/ticket':>10} {'invoices':>9} {'total':>10}")
    for side in ("ours", "odoo"):
        r = results[side]
        print(
            f"{side:6} {r['queries']:>8} {r['queries_per_ticket']:>9} {r['seconds']:>8} {r['ms_per_ticket']:>10} "
            f"{r['invoices_posted']:>9} {r['amount_total']:>10}   runs {r['runs']}"
        )
    ours, odoo = results["ours"], results["odoo"]
    q_ratio = ours["queries"] / odoo["queries"] if odoo["queries"] else 0
    s_ratio = ours["seconds"] / odoo["seconds"] if odoo["seconds"] else 0
    print(f"ours / odoo: queries {q_ratio:.2f}, seconds {s_ratio:.2f} (goal: at most 0.50 each)")
    if "profile" in results:
        ours, odoo = results["profile"]["ours"], results["profile"]["odoo"]
        print(f"\n## Under cProfile: seconds (share of the run, calls), ours {ours['total']} s, odoo {odoo['total']} s")
        for label in ours["steps"]:
            cells = []
            for side in (ours, odoo):
                row = side["steps"][label]
                cells.append(f"{row['seconds']:>7} ({row['share']:.0%}, {row['calls']})")
            print(f"{label:48} {cells[0]:>24} {cells[1]:>24}")
    if "flow" in results:
        print("\n## Whole flow of one chargeable ticket, queries per step (warm)")
        for name, count in results["flow"].items():
            print(f"{count:>5}  {name}")


if __name__ == "__main__":
    main()
