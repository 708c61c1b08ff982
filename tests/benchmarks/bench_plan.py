"""Maintenance plan benchmark: the visit job of aftersales_plan over many contracts.

Not a test (pytest only collects tests/test_*.py). It builds a throwaway
database, so run it with the suite's virtualenv python (see README_plan.md):

    ~/.local/share/aftersales-suite/venv-py3.11-*/bin/python tests/benchmarks/bench_plan.py

Measured: N (10,000) active VIP contracts, each with a quarterly plan whose
next visit is due today (lead 90 days; the visits spread over the next 90 days
at four hours of the day, so that each batch finds technicians free for some
of its visits), a two-part kit, and 20 technicians in one auto-dispatching
team. The job's batches (claim with try_lock_for_update, create the visit
tickets with their checklists and kit repairs, dispatch, chatter notes) are
run as ``_cron_plan_visits`` runs them, each batch flushed and committed:
queries and seconds per batch, which must not grow with the batch nor with the
number of plans already done; apart, the queries of each batch's precommit
hooks (tracking, and the notices of aftersales_ticket). A second run of the
job must create nothing. ``--profile`` prints, for the first batch, the
queries per calling function (job and precommit hooks apart).
"""

import statistics
import sys
from datetime import timedelta

from benchlib import Meter, QueryCallers, base_parser, run_in_database, settle

LEAD_DAYS = 90
VISIT_HOURS = (8.0, 10.0, 13.0, 15.0)  # two-hour visits, in the tier's time zone


def parse_args(argv=None):
    parser = base_parser("plan", __doc__)
    parser.add_argument("-n", "--count", type=int, default=10000, help="contracts, one plan each")
    parser.add_argument("-b", "--batch", type=int, default=200, help="plans per batch of the job")
    parser.add_argument("--profile", action="store_true", help="queries per caller in the first batch")
    return parser.parse_args(argv)


def fields_today(env):
    from odoo import fields  # noqa: PLC0415  (odoo is importable once the registry is open)

    return fields.Date.context_today(env["res.partner"])


def build(api, registry, count):
    """Technicians, a VIP tier, and ``count`` contracts with their plans, created through the ORM."""
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True})
        env = env(context=dict(env.context, mail_create_nosubscribe=True, mail_notrack=True))
        tier = env["aftersales.sla.tier"].create(
            {"name": "Bench VIP", "resource_calendar_id": env.ref("aftersales_sla.resource_calendar_24x7").id}
        )
        categ = env["product.category"].create({"name": "Bench printers"})
        product = env["product.product"].create({"name": "Bench printer", "categ_id": categ.id})
        parts = env["product.product"].create(
            [{"name": "Bench toner", "is_storable": True}, {"name": "Bench roller", "is_storable": True}]
        )
        team = env["aftersales.team"].create({"name": "Bench team", "auto_dispatch": True})
        group = env.ref("aftersales_ticket.group_aftersales_technician")
        users = env["res.users"].create(
            [{"name": f"Tech {i}", "login": f"bench_tech_{i}", "group_ids": [(4, group.id)]} for i in range(20)]
        )
        env["aftersales.technician"].create(
            [
                {
                    "user_id": user.id,
                    "team_ids": [(4, team.id)],
                    "product_category_ids": [(4, categ.id)],
                    "max_open_tickets": 0,
                }
                for user in users
            ]
        )
        today = fields_today(env)
        for start in range(0, count, 1000):
            size = min(1000, count - start)
            partners = env["res.partner"].create(
                [{"name": f"Customer {start + i}", "is_company": True} for i in range(size)]
            )
            contracts = env["aftersales.sla.contract"].create(
                [
                    {
                        "partner_id": partner.id,
                        "tier_id": tier.id,
                        "date_start": today - timedelta(days=30),
                        "date_end": today + timedelta(days=335),
                        "product_ids": [(4, product.id)],
                        "state": "active",
                    }
                    for partner in partners
                ]
            )
            env["aftersales.maintenance.plan"].create(
                [
                    {
                        "name": f"Plan {contract.name}",
                        "contract_id": contract.id,
                        "interval": "quarterly",
                        "lead_days": LEAD_DAYS,
                        "first_visit_date": today + timedelta(days=1 + (start + i) % LEAD_DAYS),
                        "visit_hour": VISIT_HOURS[(start + i) % len(VISIT_HOURS)],
                        "team_id": team.id,
                        "item_ids": [(0, 0, {"name": "Clean"}), (0, 0, {"name": "Firmware"})],
                        "part_ids": [(0, 0, {"product_id": part.id, "product_qty": 1.0}) for part in parts],
                    }
                    for i, contract in enumerate(contracts)
                ]
            )
            cr.commit()
            print(f"# {start + size} contracts and plans", flush=True)


def run_job(api, registry, batch, profile=False):
    """The job's batches, each measured, flushed (with the precommit hooks) and committed."""
    batches = []
    profiles = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        Plan = env["aftersales.maintenance.plan"]
        today = fields_today(env)
        domain = Plan._due_domain(today)
        while True:
            env.invalidate_all()
            callers = QueryCallers(cr, enabled=profile and not batches)
            with Meter(cr) as job, callers:
                plans = Plan.search(domain, limit=batch).try_lock_for_update()
                if not plans:
                    break
                tickets = plans._create_visits(today)
                env.flush_all()
            hook_callers = QueryCallers(cr, enabled=profile and not batches)
            with Meter(cr) as notices, hook_callers:
                settle(env)  # the precommit hooks: tracking, aftersales_ticket's notices
            cr.commit()
            if callers.enabled:
                profiles = {"job": callers.top(), "precommit": hook_callers.top()}
            batches.append(
                {
                    "plans": len(plans),
                    "tickets": len(tickets),
                    "dispatched": len(tickets.filtered("technician_id")),
                    "queries": job.count,
                    "seconds": round(job.seconds, 3),
                    "precommit_queries": notices.count,
                    "precommit_seconds": round(notices.seconds, 3),
                }
            )
            print(f"# batch {len(batches)}: {batches[-1]}", flush=True)
        with Meter(cr) as again:
            done = Plan._cron_plan_visits(batch_size=batch)
        visits = env["aftersales.ticket"].search_count([("maintenance_plan_id", "!=", False)])
    return batches, {"plans": len(done), "queries": again.count, "visits": visits}, profiles


def main(argv=None):
    args = parse_args(argv)

    def bench(odoo, registry):
        build(odoo.api, registry, args.count)
        batches, second_run, profiles = run_job(odoo.api, registry, args.batch, args.profile)
        return {
            "count": args.count,
            "batch": args.batch,
            "batches": batches,
            "second_run": second_run,
            "profile": profiles,
        }

    results = run_in_database(args, ["aftersales_plan"], bench)
    print_results(results)
    # The first batch warms the caches up (registry, ormcache). The full
    # batches after it must cost the same within 10 % of their median (a
    # batch varies with its data, e.g. dispatch asking a next technician when
    # the first is booked at that hour), and must not grow as plans are done: the last
    # batches cost no more than the first ones.
    full = [b["queries"] for b in results["batches"][1:] if b["plans"] == args.batch]
    if full:
        median = statistics.median(full)
        ten = max(1, len(full) // 5)
        growing = statistics.mean(full[-ten:]) > statistics.mean(full[:ten]) * 1.02
        if max(full) > median * 1.1 or growing:
            print(f"# per-batch queries not constant: median {median}, max {max(full)}, growing: {growing}")
            sys.exit(1)
    if results["second_run"]["plans"]:
        sys.exit(1)


def print_results(results):
    batches = results["batches"]
    queries = [b["queries"] for b in batches]
    seconds = [b["seconds"] for b in batches]
    print(f"\n## plan job over {results['count']} contracts, batches of {results['batch']}")
    print(
        f"batches: {len(batches)}; tickets: {sum(b['tickets'] for b in batches)}; "
        f"dispatched: {sum(b['dispatched'] for b in batches)}"
    )
    print(
        f"queries per batch: min {min(queries)}, max {max(queries)} (first batch {queries[0]}; full batches "
        f"after it: {sorted({b['queries'] for b in batches[1:] if b['plans'] == results['batch']})})"
    )
    print(
        f"seconds per batch: median {statistics.median(seconds):.2f}, max {max(seconds):.2f}; total {sum(seconds):.1f}"
    )
    for part, callers in results.get("profile", {}).items():
        print(f"\nfirst batch, {part}: queries per caller (ours, then the Odoo code that ran them)")
        for caller, count in callers:
            print(f"{count:6d}  {caller}")
    second = results["second_run"]
    print(f"second run: {second['plans']} plans, {second['queries']} queries; visit tickets in all: {second['visits']}")


if __name__ == "__main__":
    main()
