"""Service quality benchmark: the KPI board over 100,000 tickets and the
failure-rate alert job.

Not a test (pytest only collects tests/test_*.py). It builds a throwaway
database, so run it with the suite's virtualenv python (see README_quality.md):

    ~/.local/share/aftersales-suite/venv-py3.11-*/bin/python tests/benchmarks/bench_quality.py

Measured:

1. ``kpi``: N (100,000) tickets inserted with SQL over 8 teams of 5
   technicians, 20 products, 6 fault types, 4 tiers and 12 months (repairs,
   some repeats, reworks and complaints, SLA states, first response and
   resolution dates). Each KPI of ``kpi.py`` is read by team x month with one
   ``_read_group`` on ``aftersales.quality.report``: queries and milliseconds
   per KPI (median of several runs after a warm-up), side by side with the
   ticket pivot's own ``_read_group`` (count by team x month on
   ``aftersales.ticket``) on the same data; then all KPIs in one query.
2. ``alert``: ``_check_failure_rates`` over the same tickets and 20 models
   with serials delivered: queries of the job at 10 % of the tickets and at
   all of them (must be equal), seconds.
"""

import statistics
import time

from benchlib import base_parser, run_in_database

KPI_CODES = (
    "first_response", "handling", "fcr", "sla_compliance", "csat", "nps", "repeat_rate", "complaint_rate",
    "repair_success", "parts_cost", "warranty_cost",
)  # fmt: skip


def parse_args(argv=None):
    parser = base_parser("quality", __doc__)
    parser.add_argument("--tickets", type=int, default=100_000, help="tickets for the KPI queries")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each query")
    return parser.parse_args(argv)


def insert_tickets(env, count, *, tag):
    """``count`` tickets inserted with SQL, spread over teams, technicians,
    products, fault types, tiers and the last 12 months."""
    cr = env.cr
    data = env.context["bench_data"]
    stage = env.ref("aftersales_ticket.stage_acceptance")
    cr.execute(
        """
        INSERT INTO aftersales_ticket (name, number, company_id, team_id, technician_id, partner_id,
                                       commercial_partner_id, product_id, fault_category_id, sla_tier_id,
                                       stage_id, milestone, is_closed, is_cancelled, active, channel, urgency,
                                       priority_rank, category, service_mode, acceptance_state,
                                       date_reported, date_first_response, date_resolved,
                                       response_hours, resolution_hours, sla_response_state,
                                       create_date, write_date, create_uid, write_uid)
        SELECT 'Bench ticket ' || g, 'BQ-' || %(tag)s || '-' || g, %(company)s,
               (%(teams)s::int[])[1 + g %% 8],
               (%(techs)s::int[])[1 + g %% 40],
               (%(partners)s::int[])[1 + g %% 50],
               (%(partners)s::int[])[1 + g %% 50],
               (%(products)s::int[])[1 + g %% 20],
               (%(faults)s::int[])[1 + (g / 7) %% 6],
               (%(tiers)s::int[])[1 + g %% 4],
               %(stage)s, 'acceptance', FALSE, FALSE, TRUE, 'phone', 'general', 1,
               CASE WHEN g %% 50 = 0 THEN 'complaint' ELSE 'regular_repair' END, 'carry_in', 'pending',
               now() - (g %% 360) * interval '1 day',
               now() - (g %% 360) * interval '1 day' + (g %% 5) * interval '1 hour',
               CASE WHEN g %% 10 != 0 THEN now() - (g %% 360) * interval '1 day' + (g %% 30) * interval '1 hour' END,
               g %% 5, CASE WHEN g %% 10 != 0 THEN g %% 30 ELSE 0 END,
               (ARRAY['met', 'met', 'met', 'met_late', 'breached'])[1 + g %% 5],
               now(), now(), 1, 1
          FROM generate_series(1, %(count)s) g
        RETURNING id
        """,
        {
            "tag": tag,
            "company": env.company.id,
            "teams": data["teams"],
            "techs": data["techs"],
            "partners": data["partners"],
            "products": data["products"],
            "faults": data["faults"],
            "tiers": data["tiers"],
            "stage": stage.id,
            "count": count,
        },
    )
    ids = [row[0] for row in cr.fetchall()]
    # 4 % repeats of an earlier ticket, 1 % reworks
    cr.execute(
        "UPDATE aftersales_ticket SET repeat_of_id = id - 1, is_repeat = TRUE WHERE id = ANY(%s) AND id %% 25 = 0",
        [ids],
    )
    cr.execute("UPDATE aftersales_ticket SET rework_of_id = id - 3 WHERE id = ANY(%s) AND id %% 100 = 7", [ids])
    env.invalidate_all()
    return ids


def setup_data(env):
    teams = env["aftersales.team"].create([{"name": f"Bench team {i}", "auto_dispatch": False} for i in range(8)])
    users = env["res.users"].create([{"name": f"Bench tech {i}", "login": f"bench_q_tech_{i}"} for i in range(40)])
    techs = env["aftersales.technician"].create(
        [{"user_id": user.id, "team_ids": [(4, teams[i % 8].id)]} for i, user in enumerate(users)]
    )
    partners = env["res.partner"].create([{"name": f"Bench customer {i}"} for i in range(50)])
    products = env["product.product"].create(
        [{"name": f"Bench model {i}", "is_storable": True, "tracking": "serial"} for i in range(20)]
    )
    faults = env["aftersales.fault.category"].create([{"name": f"Bench fault {i}"} for i in range(6)])
    tiers = env["aftersales.sla.tier"].search([], limit=4)
    return {
        "teams": teams.ids,
        "techs": techs.ids,
        "partners": partners.ids,
        "products": products.ids,
        "faults": faults.ids,
        "tiers": (tiers.ids * 4)[:4],
    }


def deliver(env, products, units):
    """``units`` serials of each product delivered to customers, through stock moves."""
    customers = env.ref("stock.stock_location_customers")
    stock = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1).lot_stock_id
    for product in products:
        lots = env["stock.lot"].create(
            [{"name": f"BQ-{product.id}-{i}", "product_id": product.id} for i in range(units)]
        )
        move = env["stock.move"].create(
            {
                "product_id": product.id,
                "product_uom_qty": units,
                "product_uom": product.uom_id.id,
                "location_id": stock.id,
                "location_dest_id": customers.id,
            }
        )
        move._action_confirm()
        move.move_line_ids.unlink()
        move.move_line_ids = [
            (0, 0, {"product_id": product.id, "lot_id": lot.id, "quantity": 1, "location_id": stock.id,
                    "location_dest_id": customers.id})
            for lot in lots
        ]  # fmt: skip
        move.picked = True
        move._action_done()


def timed(env, runs, call):
    cr = env.cr
    call()  # warm-up
    timings, queries = [], []
    for _run in range(runs):
        env.invalidate_all()
        before = cr.sql_log_count
        start = time.perf_counter()
        result = call()
        timings.append((time.perf_counter() - start) * 1000)
        queries.append(cr.sql_log_count - before)
    return {"ms_median": round(statistics.median(timings), 1), "ms_max": round(max(timings), 1),
            "queries": max(queries), "groups": len(result)}  # fmt: skip


def bench(odoo, registry, args):
    api = odoo.api
    results = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        data = setup_data(env)
        env = env(context={"bench_data": data})
        # the alert job at 10 % of the tickets first, then at all of them
        products = env["product.product"].browse(data["products"])
        start = time.perf_counter()
        deliver(env, products, 200)
        results["deliveries_s"] = round(time.perf_counter() - start, 1)
        Alert = env["aftersales.quality.alert"]
        insert_tickets(env, args.tickets // 10, tag="a")
        env.flush_all()
        env.invalidate_all()
        before = cr.sql_log_count
        Alert._check_failure_rates(env.company)
        results["alert_queries_10pct"] = cr.sql_log_count - before
        cr.execute("DELETE FROM aftersales_quality_alert")
        cr.execute("DELETE FROM mail_activity WHERE res_model = 'aftersales.quality.alert'")
        insert_tickets(env, args.tickets - args.tickets // 10, tag="b")
        env.flush_all()
        env.invalidate_all()
        before = cr.sql_log_count
        start = time.perf_counter()
        alerts = Alert._check_failure_rates(env.company)
        results["alert_seconds"] = round(time.perf_counter() - start, 2)
        results["alert_queries_all"] = cr.sql_log_count - before
        results["alerts"] = len(alerts)
        cr.execute("SELECT count(*) FROM aftersales_ticket")
        results["tickets"] = cr.fetchone()[0]
        cr.execute("ANALYZE")

        admin = env.ref("base.user_admin")
        Report = env["aftersales.quality.report"].with_user(admin)
        Ticket = env["aftersales.ticket"].with_user(admin)
        groupby = ["team_id", "date:month"]
        results["ticket_pivot"] = timed(
            env, args.runs, lambda: Ticket._read_group([], ["team_id", "date_reported:month"], ["__count"])
        )
        results["kpis"] = {
            code: timed(env, args.runs, lambda code=code: Report._read_group([], groupby, [f"{code}:avg"]))
            for code in KPI_CODES
        }
        results["all_kpis_one_query"] = timed(
            env, args.runs, lambda: Report._read_group([], groupby, [f"{code}:avg" for code in KPI_CODES])
        )
        results["board"] = timed(env, args.runs, lambda: Report._kpi_board([], ["date:month"]))
        cr.rollback()
    return results


def main(argv=None):
    args = parse_args(argv)
    results = run_in_database(args, ["aftersales_quality"], lambda odoo, registry: bench(odoo, registry, args))
    print_results(results)


def print_results(results):
    print(f"\n## KPI queries over {results['tickets']} tickets, team x month")
    pivot = results["ticket_pivot"]
    print(f"ticket pivot's _read_group (count): {pivot['queries']} query, median {pivot['ms_median']} ms "
          f"(max {pivot['ms_max']}), {pivot['groups']} groups")  # fmt: skip
    for code, figures in results["kpis"].items():
        print(f"{code:16} {figures['queries']} query, median {figures['ms_median']} ms (max {figures['ms_max']})")
    allk = results["all_kpis_one_query"]
    print(f"all 11 KPIs in one _read_group: median {allk['ms_median']} ms (max {allk['ms_max']})")
    board = results["board"]
    print(f"_kpi_board by month (with targets and states): {board['queries']} queries, median {board['ms_median']} ms")
    print(f"\n## failure-rate alert job (20 models x 200 serials delivered in {results['deliveries_s']} s)")
    print(f"queries at 10 % of the tickets: {results['alert_queries_10pct']}, at all of them: "
          f"{results['alert_queries_all']}; {results['alert_seconds']} s; {results['alerts']} alerts")  # fmt: skip


if __name__ == "__main__":
    main()
