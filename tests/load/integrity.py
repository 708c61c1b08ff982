"""Integrity check after a load run, run by setup/load with ``odoo-bin shell``
once the server is stopped. Reads LOAD_FIXTURE and LOAD_RESULT, prints one
line per check and writes {"failures": [...]} to LOAD_INTEGRITY: setup/load
exits non-zero when the list is not empty."""

import json
import math
import os
from collections import Counter

env = env  # noqa: F821,PLW0127  # given by odoo-bin shell
fixture = json.load(open(os.environ["LOAD_FIXTURE"], encoding="utf-8"))  # noqa: SIM115
result = json.load(open(os.environ["LOAD_RESULT"], encoding="utf-8"))  # noqa: SIM115
cr = env.cr
failures = []


def check(name, problems, summary=""):
    problems = list(problems)
    status = "ok  " if not problems else "FAIL"
    print(f"  [{status}] {name}{': ' + summary if summary else ''}")
    for problem in problems[:10]:
        print(f"         {problem}")
    if problems:
        failures.append(f"{name}: {len(problems)} problem(s), first: {problems[0]}")


print("Integrity check")

# 1. Each submitted ticket exists once: a confirmed submission (303 to the
# new ticket) exactly once, a refused one never, one whose answer was lost
# (a killed worker) at most once.
submitted = result["submitted"]
cr.execute("SELECT name, count(*) FROM aftersales_ticket WHERE name = ANY(%s) GROUP BY name", [list(submitted)])
counts = dict(cr.fetchall())
problems = []
for name, outcome in submitted.items():
    n = counts.get(name, 0)
    if (outcome == "created" and n != 1) or (outcome == "refused" and n != 0) or n > 1:
        problems.append(f"{name}: {outcome} by the server, {n} ticket(s) in the database")
by_outcome = Counter(submitted.values())
check(
    "each submitted ticket once",
    problems,
    f"{by_outcome['created']} created, {by_outcome['refused']} refused, "
    f"{by_outcome['sent']} without an answer ({sum(1 for n in submitted if counts.get(n))} of all in the database)",
)

# 2. Unique ticket numbers.
cr.execute("SELECT number, count(*) FROM aftersales_ticket GROUP BY number HAVING count(*) > 1 OR number IS NULL")
check("unique ticket numbers", [f"number {number!r} on {n} tickets" for number, n in cr.fetchall()])

# 3. Stock: no negative stock in an internal location, no reservation above
# the quantity, and each van balanced: its initial stock plus the done moves
# in minus the done moves out (parts issued) equals what its quants hold.
# Stock is counted per product, location, lot, package and owner, not per
# quant: when a quant is locked by another transaction, stock's
# _update_available_quantity writes the change on a new quant (a negative one
# when it is a move out) rather than wait, and its scheduler merges them later
# (_merge_quants). One negative quant next to a larger one is that, not a
# shortage.
cr.execute(
    "SELECT l.complete_name, q.product_id, q.lot_id, SUM(q.quantity), SUM(q.reserved_quantity) "
    "FROM stock_quant q JOIN stock_location l ON l.id = q.location_id "
    "WHERE l.usage = 'internal' "
    "GROUP BY l.complete_name, q.product_id, q.lot_id, q.package_id, q.owner_id "
    "HAVING SUM(q.quantity) < 0 OR SUM(q.reserved_quantity) < 0 OR SUM(q.reserved_quantity) > SUM(q.quantity)"
)
check("no negative or over-reserved stock", [f"stock {row}" for row in cr.fetchall()])
problems = []
issued_total = 0
for van_id in fixture["van_ids"]:
    cr.execute(
        "SELECT COALESCE(SUM(CASE WHEN location_dest_id = %(van)s THEN quantity ELSE 0 END), 0) "
        "     - COALESCE(SUM(CASE WHEN location_id = %(van)s THEN quantity ELSE 0 END), 0), "
        "       COALESCE(SUM(CASE WHEN location_id = %(van)s THEN quantity ELSE 0 END), 0) "
        "FROM stock_move WHERE state = 'done' AND product_id = %(part)s "
        "AND (location_id = %(van)s OR location_dest_id = %(van)s) AND location_id != location_dest_id",
        {"van": van_id, "part": fixture["part_id"]},
    )
    moved, issued = cr.fetchone()
    issued_total += issued
    cr.execute(
        "SELECT COALESCE(SUM(quantity), 0) FROM stock_quant WHERE location_id = %s AND product_id = %s",
        [van_id, fixture["part_id"]],
    )
    (held,) = cr.fetchone()
    # prepare.py put the initial stock in the van's quant directly (no move)
    if abs(fixture["van_stock"] + float(moved) - float(held)) > 1e-6:
        problems.append(f"van {van_id}: {fixture['van_stock']} + moves {moved:+g} but the quants hold {held:g}")
check("stock balanced in every van", problems, f"{issued_total:g} parts issued in the run")

# 4. Deadlines on every open ticket with a service tier.
cr.execute(
    "SELECT id, number FROM aftersales_ticket WHERE NOT is_closed AND active AND sla_tier_id IS NOT NULL "
    "AND (sla_response_deadline IS NULL AND sla_resolution_deadline IS NULL)"
)
rows = cr.fetchall()
cr.execute("SELECT count(*) FROM aftersales_ticket WHERE NOT is_closed AND active")
check("deadlines on every open ticket", [f"ticket {row}" for row in rows], f"{cr.fetchone()[0]} open tickets")

# 5. No notice twice: the same notice message (subject) on one ticket, or a
# key twice in a ticket's notice log; every confirmed submission has its
# acknowledgement.
company_partner = env.company.partner_id.id
cr.execute(
    "SELECT res_id, subject, count(*) FROM mail_message WHERE model = 'aftersales.ticket' AND author_id = %s "
    "AND subject IS NOT NULL AND subject NOT LIKE '%%assigned to you' "
    "GROUP BY res_id, subject HAVING count(*) > 1",
    [company_partner],
)
problems = [f"ticket {res_id}: {subject!r} {n} times" for res_id, subject, n in cr.fetchall()]
cr.execute("SELECT id, notice_log FROM aftersales_ticket WHERE notice_log IS NOT NULL")
for ticket_id, log in cr.fetchall():
    keys = [key for key in log.split(",") if key]
    problems += [f"ticket {ticket_id}: notice {key!r} logged twice" for key, n in Counter(keys).items() if n > 1]
created = [name for name, outcome in submitted.items() if outcome == "created"]
cr.execute(
    "SELECT t.name FROM aftersales_ticket t WHERE t.name = ANY(%s) AND NOT EXISTS ("
    "SELECT 1 FROM mail_message m WHERE m.model = 'aftersales.ticket' AND m.res_id = t.id "
    "AND m.subject LIKE '%%we received your service request')",
    [created],
)
problems += [f"{name}: no acknowledgement" for (name,) in cr.fetchall()]
cr.execute("SELECT count(*) FROM mail_mail WHERE state = 'outgoing'")
check("each notice once, every acknowledgement there", problems, f"{cr.fetchone()[0]} mails in the outbox")

# 6. No follow-up twice: one invitation (survey answer) per follow-up.
cr.execute(
    "SELECT aftersales_followup_id, count(*) FROM survey_user_input WHERE aftersales_followup_id IS NOT NULL "
    "GROUP BY aftersales_followup_id HAVING count(*) > 1"
)
check("each follow-up sent once", [f"follow-up {fid}: {n} invitations" for fid, n in cr.fetchall()])

# 7. No alert twice: one alert per ticket, phase and level; one activity per
# alert handed out individually; one review reminder per stale article.
cr.execute(
    "SELECT ticket_id, phase, level, count(*) FROM aftersales_sla_alert GROUP BY ticket_id, phase, level "
    "HAVING count(*) > 1"
)
problems = [f"ticket {t}: {phase} level {level} alerted {n} times" for t, phase, level, n in cr.fetchall()]
cr.execute("SELECT count(*) FROM aftersales_sla_alert")
alerts = cr.fetchone()[0]
cr.execute(
    "SELECT res_id, count(*) FROM mail_activity WHERE res_model = 'aftersales.kb.article' "
    "AND activity_type_id = %s GROUP BY res_id HAVING count(*) > 1",
    [env.ref("aftersales_kb.mail_activity_type_kb_review").id],
)
problems += [f"article {res_id}: {n} review reminders" for res_id, n in cr.fetchall()]
check("each alert and reminder once", problems, f"{alerts} SLA alerts")


# 8. KPI totals equal a recount from the raw data. The running totals keep a
# score sum as a stored number (15 significant digits), the recount sums the
# raw floats: equal means equal to that precision.
def same_measures(a, b):
    return (
        a is not None
        and b is not None
        and len(a) == len(b)
        and all(math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-9) for x, y in zip(a, b, strict=True))
    )


Kpi = env["aftersales.followup.kpi"]
totals, recount = Kpi._kpi_totals(), Kpi._kpi_recount()
keys = set(totals) | set(recount)
check(
    "follow-up KPI totals equal a recount",
    [
        f"{key}: totals {totals.get(key)} recount {recount.get(key)}"
        for key in keys
        if not same_measures(totals.get(key), recount.get(key))
    ],
    f"{len(keys)} keys",
)

env.cr.rollback()
with open(os.environ["LOAD_INTEGRITY"], "w", encoding="utf-8") as f:
    json.dump({"failures": failures}, f, indent=1)
