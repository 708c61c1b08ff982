"""Follow-up survey benchmark: KPIs over 100,000 answers and the follow-up job
over 10,000 closed tickets.

Not a test (pytest only collects tests/test_*.py). It builds a throwaway
database, so run it with the suite's virtualenv python (see README_survey.md):

    ~/.local/share/aftersales-suite/venv/bin/python tests/benchmarks/bench_survey.py

Measured:

1. ``kpi``: N (100,000) answered follow-ups (inserted with SQL over 37,000
   closed tickets, 8 teams of 5 technicians, 20 products and 12 months,
   random CSAT 1-5 and NPS 0-10), counted into the running totals
   (``_kpi_rebuild``, as the ORM keeps them for answers it records), read as
   NPS, CSAT per dimension and response rate by team x month with one
   ``_read_group`` on the reporting model ``aftersales.followup.report``:
   queries and milliseconds (median of several runs after a warm-up), and the
   plan; the same ``_read_group`` on the detailed per-invitation analysis
   ``aftersales.followup.analysis`` for comparison.
2. ``job``: M (10,000) closed tickets whose 24 hours follow-up is due (one
   customer each) are invited by ``_cron_send_followups`` in committed
   batches: queries per batch (min / max), seconds, invitations and emails.
"""

import argparse
import json
import os
import statistics
import time
from datetime import datetime, timedelta
from pathlib import Path

from benchlib import HOME, REPO, default_odoo_src, drop_database, install, open_registry


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", default=f"aftersales_bench_survey_{os.getpid()}")
    parser.add_argument("-c", "--config", default=str(HOME / "odoo.conf"))
    parser.add_argument("--odoo-src", default=default_odoo_src())
    parser.add_argument("--answers", type=int, default=100_000, help="answered follow-ups for the KPI query")
    parser.add_argument("--tickets", type=int, default=10_000, help="closed tickets with a due follow-up")
    parser.add_argument("--batch", type=int, default=500, help="follow-ups per job batch")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of the KPI query")
    parser.add_argument("--parts", default="kpi,job", help="what to measure: kpi, job or both")
    parser.add_argument("--keep-db", action="store_true", help="keep the database (and reuse it when it exists)")
    parser.add_argument("-o", "--output", help="JSON result file")
    return parser.parse_args(argv)


def insert_closed_tickets(env, count, team_ids, partner_ids, *, closed_from, closed_span_days):
    """Closed tickets inserted with SQL, spread over teams, customers and time."""
    archive = env.ref("aftersales_ticket.stage_archive")
    cr = env.cr
    cr.execute(
        """
        INSERT INTO aftersales_ticket (name, number, company_id, team_id, partner_id, commercial_partner_id,
                                       stage_id, milestone, is_closed, is_cancelled, active, channel, urgency,
                                       priority_rank, category, service_mode, acceptance_state,
                                       date_reported, date_closed, create_date, write_date, create_uid, write_uid)
        SELECT 'Bench ticket ' || g, 'BENCH-' || %(tag)s || '-' || g, %(company)s,
               (%(teams)s::int[])[1 + g %% array_length(%(teams)s::int[], 1)],
               (%(partners)s::int[])[1 + g %% array_length(%(partners)s::int[], 1)],
               (%(partners)s::int[])[1 + g %% array_length(%(partners)s::int[], 1)],
               %(stage)s, 'archive', TRUE, FALSE, TRUE, 'phone', 'general', 1, 'consultation', 'carry_in',
               'waived',
               %(start)s + (g %% %(span)s) * interval '1 day' - interval '2 days',
               %(start)s + (g %% %(span)s) * interval '1 day',
               now(), now(), 1, 1
          FROM generate_series(1, %(count)s) g
        RETURNING id
        """,
        {
            "tag": f"{closed_from:%Y%m%d}{count}",
            "company": env.company.id,
            "teams": team_ids,
            "partners": partner_ids,
            "stage": archive.id,
            "start": closed_from,
            "span": closed_span_days,
            "count": count,
        },
    )
    return [row[0] for row in cr.fetchall()]


def insert_kpi_data(env, answers):
    """N answered follow-ups inserted with SQL, then counted into the running totals."""
    cr = env.cr
    teams = env["aftersales.team"].create([{"name": f"Bench team {i}", "auto_dispatch": False} for i in range(8)])
    partners = env["res.partner"].create([{"name": f"Bench customer {i}"} for i in range(200)])
    users = env["res.users"].create([{"name": f"Bench technician {i}", "login": f"bench_tech_{i}"} for i in range(40)])
    technicians = env["aftersales.technician"].create(
        [{"user_id": user.id, "team_ids": [(4, teams[i // 5].id)]} for i, user in enumerate(users)]
    )
    products = env["product.product"].create([{"name": f"Bench product {i}"} for i in range(20)])
    steps = [env.ref(f"aftersales_survey.followup_step_{s}") for s in ("24h", "7d", "30d")]
    invitations = -(-answers * 10 // 9)  # 9 of 10 invitations are answered
    tickets = insert_closed_tickets(
        env, -(-invitations // 3), teams.ids, partners.ids, closed_from=datetime(2025, 1, 1), closed_span_days=365
    )
    # each ticket repaired by one of its team's five technicians, on one of 20 products
    cr.execute(
        """
        UPDATE aftersales_ticket t
           SET technician_id = (%(techs)s::int[])[(array_position(%(teams)s::int[], t.team_id) - 1) * 5
                                                   + 1 + t.id %% 5],
               product_id = (%(products)s::int[])[1 + t.id %% 20]
         WHERE t.id = ANY(%(tickets)s)
        """,
        {"techs": technicians.ids, "teams": teams.ids, "products": products.ids, "tickets": tickets},
    )
    for index, step in enumerate(steps):
        cr.execute(
            """
            INSERT INTO aftersales_followup (ticket_id, step_id, survey_id, channel, company_id, partner_id,
                                             team_id, technician_id, product_id, state, date_closed,
                                             date_scheduled, date_sent,
                                             date_expire, date_answered, csat_quality, csat_attitude,
                                             csat_speed, csat_score, nps_answered, nps_score, nps_value,
                                             no_answer_count, create_date, write_date, create_uid, write_uid)
            SELECT t.id, %(step)s, %(survey)s, 'email', t.company_id, t.partner_id, t.team_id,
                   t.technician_id, t.product_id,
                   CASE WHEN r.k %% 10 < 9 THEN 'answered' ELSE 'expired' END,
                   t.date_closed, t.date_closed + %(offset)s * interval '1 hour',
                   t.date_closed + %(offset)s * interval '1 hour',
                   t.date_closed + %(offset)s * interval '1 hour' + interval '7 days',
                   CASE WHEN r.k %% 10 < 9 THEN t.date_closed + %(offset)s * interval '1 hour' END,
                   CASE WHEN r.k %% 10 < 9 THEN r.a END, CASE WHEN r.k %% 10 < 9 THEN r.b END,
                   CASE WHEN r.k %% 10 < 9 THEN r.c END,
                   CASE WHEN r.k %% 10 < 9 THEN (r.a + r.b + r.c) / 3.0 ELSE 0 END,
                   r.k %% 10 < 9, r.n, CASE WHEN r.n >= 9 THEN 100 WHEN r.n <= 6 THEN -100 ELSE 0 END,
                   0, now(), now(), 1, 1
              FROM aftersales_ticket t,
                   LATERAL (SELECT t.id AS k, 1 + floor(random() * 5)::int AS a,
                                   1 + floor(random() * 5)::int AS b, 1 + floor(random() * 5)::int AS c,
                                   floor(random() * 11)::int AS n, t.id AS tid) r
             WHERE t.id = ANY(%(tickets)s)
             LIMIT %(limit)s
            """,
            {
                "step": step.id,
                "survey": step.survey_id.id,
                "offset": step.offset_hours,
                "tickets": tickets,
                "limit": invitations - index * len(tickets) if index == 2 else len(tickets),
            },
        )
    cr.execute("ANALYZE aftersales_followup")
    cr.execute("ANALYZE aftersales_ticket")
    # The follow-ups were inserted with SQL: count them into the running
    # totals the way an upgrade or a repair does (the ORM keeps them up to
    # date for the answers it records).
    start = time.perf_counter()
    env["aftersales.followup.kpi"]._kpi_rebuild()
    rebuild_seconds = time.perf_counter() - start
    cr.execute("ANALYZE aftersales_followup_kpi")
    cr.commit()
    cr.execute("SELECT count(*), count(*) FILTER (WHERE state = 'answered') FROM aftersales_followup")
    total, answered = cr.fetchone()
    cr.execute("SELECT count(*), count(*) FILTER (WHERE kind = 'invitation') FROM aftersales_followup_kpi")
    kpi_rows, kpi_invitation_rows = cr.fetchone()
    print(f"# {total} follow-ups inserted, {answered} answered; {kpi_rows} KPI rows", flush=True)
    return {
        "total": total,
        "answered": answered,
        "kpi_rows": kpi_rows,
        "kpi_invitation_rows": kpi_invitation_rows,
        "rebuild_seconds": rebuild_seconds,
    }


def bench_kpi(odoo, registry, answers, runs):
    api = odoo.api
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        data = insert_kpi_data(env, answers)

        admin = env.ref("base.user_admin")
        Report = env["aftersales.followup.report"].with_user(admin)
        Detailed = env["aftersales.followup.analysis"].with_user(admin)
        domain = [("kind", "=", "invitation")]
        groupby = ["team_id", "date:month"]
        aggregates = ["nps:avg", "csat:avg", "csat_quality:avg", "csat_attitude:avg", "csat_speed:avg",
                      "response_rate:avg", "answer_count:sum"]  # fmt: skip
        Report._read_group(domain, groupby, aggregates)  # warm-up
        Detailed._read_group(domain, groupby, aggregates)
        # How fast is this machine right now: a fixed aggregate over 1,000,000 generated rows
        # (about 60-80 ms on an idle current laptop core).
        calibration = []
        for _run in range(3):
            start = time.perf_counter()
            cr.execute("SELECT count(*), avg(g), sum(g % 7) FROM generate_series(1, 1000000) g")
            calibration.append((time.perf_counter() - start) * 1000)

        def timed(model):
            timings, queries, groups = [], [], None
            for _run in range(runs):
                env.invalidate_all()
                before = cr.sql_log_count
                start = time.perf_counter()
                groups = model._read_group(domain, groupby, aggregates)
                timings.append((time.perf_counter() - start) * 1000)
                queries.append(cr.sql_log_count - before)
            return timings, queries, groups

        timings, queries, groups = timed(Report)
        detailed_timings, __, detailed_groups = timed(Detailed)
        # the fast path and the detailed analysis give the same figures
        fast = {(team.id, str(month)[:7]): values for team, month, *values in groups}
        slow = {(team.id, str(month)[:7]): values for team, month, *values in detailed_groups}
        mismatches = sum(
            1
            for key in fast.keys() | slow.keys()
            if key not in fast
            or key not in slow
            or any(abs((a or 0) - (b or 0)) > 1e-6 for a, b in zip(fast[key], slow[key], strict=True))
        )
        # the SQL of that one query, for its plan
        captured = []
        cursor_class = type(cr)
        original = cursor_class.execute

        def spy(self, query, params=None, log_exceptions=True):
            captured.append((query, params))
            return original(self, query, params, log_exceptions)

        cursor_class.execute = spy
        try:
            env.invalidate_all()
            Report._read_group(domain, groupby, aggregates)
        finally:
            cursor_class.execute = original
        query, params = captured[-1]
        if hasattr(query, "code"):
            query, params = query.code, query.params
        cr.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query}", params)
        plan = "\n".join(row[0] for row in cr.fetchall())
        cr.rollback()
    return {
        "answers": data["answered"],
        "invitations": data["total"],
        "groups": len(groups),
        "queries": max(queries),
        "ms_median": round(statistics.median(timings), 1),
        "ms_min": round(min(timings), 1),
        "ms_max": round(max(timings), 1),
        "calibration_ms": round(statistics.median(calibration), 1),
        "kpi_rows": data["kpi_rows"],
        "kpi_invitation_rows": data["kpi_invitation_rows"],
        "rebuild_s": round(data["rebuild_seconds"], 1),
        "detailed_ms_median": round(statistics.median(detailed_timings), 1),
        "mismatching_groups": mismatches,
        "plan": plan,
    }


def bench_job(odoo, registry, count, batch):
    api = odoo.api
    now = datetime.now().replace(microsecond=0)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        team = env["aftersales.team"].create({"name": "Bench job team", "auto_dispatch": False})
        partners = env["res.partner"].create(
            [{"name": f"Bench job customer {i}", "email": f"job{i}@bench.example"} for i in range(count)]
        )
        tickets = insert_closed_tickets(
            env, count, [team.id], partners.ids, closed_from=now - timedelta(days=2), closed_span_days=1
        )
        env.invalidate_all()
        # Closing planned the follow-ups: plan them the same way for the inserted tickets.
        env["aftersales.followup"]._schedule_for_tickets(env["aftersales.ticket"].browse(tickets))
        env.flush_all()
        cr.commit()
        cr.execute("SELECT count(*) FROM aftersales_followup WHERE state = 'scheduled' AND date_scheduled <= %s", [now])
        due = cr.fetchone()[0]
        print(f"# {count} closed tickets, {due} follow-ups due", flush=True)

    Followup = registry["aftersales.followup"]
    original = Followup._send_batch
    per_batch = []

    def counting_batch(self, when, limit):
        before = self.env.cr.sql_log_count
        processed = original(self, when, limit)
        self.env.flush_all()
        if processed:
            per_batch.append((processed, self.env.cr.sql_log_count - before))
        return processed

    Followup._send_batch = counting_batch
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            start = time.perf_counter()
            env["aftersales.followup"]._cron_send_followups(batch_size=batch, commit=True)
            cr.commit()
            seconds = time.perf_counter() - start
            cr.execute("SELECT state, count(*) FROM aftersales_followup WHERE team_id = %s GROUP BY state", [team.id])
            states = dict(cr.fetchall())
            cr.execute(
                "SELECT count(*) FROM mail_mail mm JOIN mail_message m ON m.id = mm.mail_message_id "
                "WHERE m.model = 'aftersales.followup' AND m.res_id IN "
                "(SELECT id FROM aftersales_followup WHERE team_id = %s)",
                [team.id],
            )
            mails = cr.fetchone()[0]
    finally:
        Followup._send_batch = original
    full = [q for n, q in per_batch if n == batch]
    return {
        "due": due,
        "batches": len(per_batch),
        "batch_size": batch,
        "queries_per_full_batch_min": min(full) if full else None,
        "queries_per_full_batch_max": max(full) if full else None,
        "queries_last_batch": per_batch[-1][1] if per_batch else None,
        "seconds": round(seconds, 1),
        "states": states,
        "emails": mails,
    }


def main(argv=None):
    args = parse_args(argv)
    addons_path = f"{args.odoo_src}/addons,{REPO}/addons"
    install(args, addons_path, ["aftersales_survey"])
    odoo, registry = open_registry(args, addons_path)
    results = {}
    try:
        parts = args.parts.split(",")
        if "kpi" in parts:
            results["kpi"] = bench_kpi(odoo, registry, args.answers, args.runs)
            print(f"# kpi: { {k: v for k, v in results['kpi'].items() if k != 'plan'} }", flush=True)
        if "job" in parts:
            results["job"] = bench_job(odoo, registry, args.tickets, args.batch)
            print(f"# job: {results['job']}", flush=True)
    finally:
        if not args.keep_db:
            drop_database(odoo, registry, args.database)
    print_results(results)
    if args.output:
        Path(args.output).write_text(json.dumps(results, indent=2, default=str))


def print_results(results):
    kpi = results.get("kpi")
    if kpi:
        print(f"\n## NPS and CSAT over {kpi['answers']} answers ({kpi['invitations']} invitations), team x month")
        print(
            f"one _read_group: {kpi['queries']} query, {kpi['groups']} groups, "
            f"median {kpi['ms_median']} ms (min {kpi['ms_min']}, max {kpi['ms_max']}); "
            f"calibration query (1,000,000 generated rows): {kpi['calibration_ms']} ms"
        )
        print(
            f"running totals: {kpi['kpi_rows']} rows ({kpi['kpi_invitation_rows']} of invitations), "
            f"rebuilt in {kpi['rebuild_s']} s; detailed analysis, same _read_group: median "
            f"{kpi['detailed_ms_median']} ms; groups whose figures differ: {kpi['mismatching_groups']}"
        )
        if kpi.get("plan"):
            print(kpi["plan"])
    job = results.get("job")
    if job:
        print(f"\n## follow-up job over {job['due']} due follow-ups, batches of {job['batch_size']}")
        print(
            f"{job['batches']} committed batches, queries per full batch {job['queries_per_full_batch_min']}"
            f"-{job['queries_per_full_batch_max']} (last batch {job['queries_last_batch']}), "
            f"{job['seconds']} s, states {job['states']}, {job['emails']} emails"
        )


if __name__ == "__main__":
    main()
