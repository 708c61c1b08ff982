"""Knowledge base benchmark: indexed Chinese and English search on many articles.

Not a test (pytest only collects tests/test_*.py). It builds a throwaway
database, so run it with the suite's virtualenv python (see README_kb.md):

    ~/.local/share/aftersales-suite/venv-py3.11-*/bin/python tests/benchmarks/bench_kb.py

Measured:

1. ``create``: N (10,000) published articles created through the ORM in batches
   of 1,000 (the search documents are built in Python at write time): queries
   and seconds per batch.
2. ``plans``: for each query, ``EXPLAIN (ANALYZE, BUFFERS)`` of the ranked SQL
   that ``kb_search`` runs; the plan must use the GIN index
   ``aftersales_kb_article_search_vector_idx`` and no sequential scan.
3. ``search``: ``kb_search()`` as a plain agent (record rules on), each query
   run R times after a warm-up: median, 95th percentile and max milliseconds,
   the number of results and whether the expected article comes first.
4. ``suggest``: the suggestions of a ticket (product, fault type, text).
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

from benchlib import HOME, REPO, default_odoo_src, drop_database, install, open_registry

TARGET_ZH = "设备无法开机的排查步骤"
TARGET_EN = "Device does not power on"
# (query, expected first result or None)
QUERIES = [
    ("开机", TARGET_ZH),
    ("无法开机", TARGET_ZH),
    ("屏幕", None),
    ("充电", None),
    ("机", None),
    ("power", TARGET_EN),
    ("does not power on", TARGET_EN),
    ("paper jam", None),
    ("ProBook 开机", None),
]

ZH_PRODUCTS = ["笔记本", "打印机", "路由器", "投影仪", "扫描仪", "显示器", "平板", "服务器", "空调", "洗衣机"]
ZH_PARTS = ["屏幕", "电源", "电池", "主板", "风扇", "键盘", "硬盘", "网卡", "摄像头", "扬声器", "排线", "充电口"]
ZH_FAULTS = [
    "无法开机",
    "自动关机",
    "闪烁",
    "出现条纹",
    "无法充电",
    "发热严重",
    "异响",
    "频繁断网",
    "卡纸",
    "蓝屏",
    "死机",
    "无法识别",
    "漏水",
    "不制冷",
    "噪音大",
]
ZH_STEPS = [
    "检查电源适配器",
    "更新驱动程序",
    "重新插好排线",
    "清理灰尘",
    "恢复出厂设置",
    "更换配件",
    "校准传感器",
    "升级固件",
    "检查网络设置",
    "联系工程师上门",
]
EN_PRODUCTS = ["laptop", "printer", "router", "projector", "scanner", "monitor", "tablet", "server", "air conditioner"]
EN_PARTS = ["screen", "battery", "board", "fan", "keyboard", "disk", "network card", "camera", "speaker", "cable"]
EN_FAULTS = [
    "flickers",
    "overheats",
    "makes noise",
    "drops the connection",
    "jams",
    "freezes",
    "is not recognised",
    "leaks",
    "does not cool",
    "shuts down",
    "does not charge",
]
EN_STEPS = [
    "update the driver",
    "reseat the cable",
    "clean the dust",
    "reset to factory settings",
    "replace the part",
    "upgrade the firmware",
    "check the network settings",
    "call a technician",
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", default=f"aftersales_bench_kb_{os.getpid()}")
    parser.add_argument("-c", "--config", default=str(HOME / "odoo.conf"))
    parser.add_argument("--odoo-src", default=default_odoo_src())
    parser.add_argument("-n", "--count", type=int, default=10000, help="articles")
    parser.add_argument("-r", "--repeat", type=int, default=50, help="runs of each query")
    parser.add_argument("--keep-db", action="store_true", help="keep the database (and reuse it when it exists)")
    parser.add_argument("-o", "--output", help="JSON result file")
    return parser.parse_args(argv)


def article_values(rng, index):
    """A published article in Chinese (two thirds) or English."""
    if index % 3:
        product, part, fault = rng.choice(ZH_PRODUCTS), rng.choice(ZH_PARTS), rng.choice(ZH_FAULTS)
        steps = rng.sample(ZH_STEPS, 3)
        return {
            "name": f"{product}{part}{fault}的处理方法 {index}",
            "lang": "zh_CN",
            "symptom": f"<p>客户反映{product}的{part}{fault}, 出现在使用{rng.randint(1, 36)}个月后。</p>",
            "resolution": "<ol>" + "".join(f"<li>{step}</li>" for step in steps) + "</ol>",
            "precautions": "<p>操作前请断开电源。</p>",
        }
    product, part, fault = rng.choice(EN_PRODUCTS), rng.choice(EN_PARTS), rng.choice(EN_FAULTS)
    steps = rng.sample(EN_STEPS, 3)
    return {
        "name": f"The {product} {part} {fault} ({index})",
        "lang": "en_US",
        "symptom": f"<p>The customer reports that the {part} of the {product} {fault}.</p>",
        "resolution": "<ol>" + "".join(f"<li>{step.capitalize()}.</li>" for step in steps) + "</ol>",
        "precautions": "<p>Unplug the device first.</p>",
    }


def create_articles(api, registry, count):
    rng = random.Random(42)
    batches = []
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True})
        Article = env["aftersales.kb.article"]
        if Article.search_count([]) >= count:
            print("# articles already there (--keep-db)", flush=True)
            return batches
        laptop = env["product.product"].create({"name": "ProBook 14", "is_storable": True})
        power = env["aftersales.fault.category"].create({"name": "Power"})
        targets = Article.create(
            [
                {
                    "name": TARGET_ZH,
                    "lang": "zh_CN",
                    "visibility": "customer",
                    "symptom": "<p>按下电源键后设备无法开机, 指示灯不亮。</p>",
                    "resolution": "<ol><li>检查电源适配器</li><li>长按电源键十五秒后重新开机</li></ol>",
                    "product_tmpl_ids": [(6, 0, laptop.product_tmpl_id.ids)],
                    "fault_category_ids": [(6, 0, power.ids)],
                },
                {
                    "name": TARGET_EN,
                    "lang": "en_US",
                    "visibility": "customer",
                    "symptom": "<p>The device does not power on when the power button is pressed.</p>",
                    "resolution": "<ol><li>Check the power adapter.</li><li>Hold the power button.</li></ol>",
                },
            ]
        )
        targets.action_publish()
        done = 2
        while done < count:
            size = min(1000, count - done)
            vals_list = [article_values(rng, done + i) for i in range(size)]
            start, queries = time.perf_counter(), cr.sql_log_count
            Article.create(vals_list)
            env.flush_all()
            # Published with SQL: the workflow itself is not what is measured here.
            cr.execute(
                "UPDATE aftersales_kb_article SET state = 'published', visibility = 'customer',"
                " review_date = CURRENT_DATE + 90 WHERE state = 'draft'"
            )
            batches.append(
                {"articles": size, "seconds": time.perf_counter() - start, "queries": cr.sql_log_count - queries}
            )
            done += size
            print(f"# {done} articles", flush=True)
        # The reference articles are the ones the agents use: 20 solved tickets
        # each (usefulness raises the rank a little among equal text matches).
        cr.execute("UPDATE aftersales_kb_article SET solved_count = 20 WHERE name IN %s", [(TARGET_ZH, TARGET_EN)])
    # As autovacuum would after a bulk load: visibility map, hint bits, statistics.
    with registry.cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute("VACUUM ANALYZE aftersales_kb_article")
    return batches


def bench_search(api, registry, repeat):
    from odoo.fields import Domain  # noqa: PLC0415
    from odoo.tools import SQL  # noqa: PLC0415

    results = []
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        agent = env["res.users"].create(
            {
                "name": "Bench agent",
                "login": "bench_kb_agent",
                "group_ids": [(4, env.ref("aftersales_ticket.group_aftersales_user").id)],
            }
        )
        env = env(user=agent, su=False, context=agent.context_get())
        Article = env["aftersales.kb.article"]
        for text, expected in QUERIES:
            # The SQL kb_search runs, explained.
            from odoo.addons.aftersales_kb.tools import build_tsquery  # noqa: PLC0415

            tsquery = build_tsquery(text)
            query = Article._search(
                Domain.custom(
                    to_sql=lambda model, alias, query, tsquery=tsquery: SQL(
                        "%s @@ to_tsquery('simple', %s)", SQL.identifier(alias, "search_vector"), tsquery
                    )
                )
            )
            query.order = SQL("%s DESC", Article._rank_sql(query.table, tsquery))
            query.limit = 10
            cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", query.select()))
            plan = "\n".join(row[0] for row in cr.fetchall())
            index_used = (
                "aftersales_kb_article_search_vector_idx" in plan and "Seq Scan on aftersales_kb_article" not in plan
            )
            found = Article.kb_search(text)  # warm-up
            timings = []
            for _run in range(repeat):
                env.invalidate_all()
                start = time.perf_counter()
                found = Article.kb_search(text)
                timings.append((time.perf_counter() - start) * 1000)
            cr.execute(
                SQL(
                    "SELECT count(*) FROM aftersales_kb_article WHERE search_vector @@ to_tsquery('simple', %s)",
                    tsquery,
                )
            )
            matches = cr.fetchone()[0]
            timings.sort()
            results.append(
                {
                    "query": text,
                    "matches": matches,
                    "index_used": index_used,
                    "first": found[:1].name,
                    "expected_position": next(
                        (pos + 1 for pos, name in enumerate(found.mapped("name")) if name == expected), None
                    ),
                    "first_ok": expected is None or found[:1].name == expected,
                    "median_ms": round(statistics.median(timings), 2),
                    "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
                    "max_ms": round(timings[-1], 2),
                    "plan": plan,
                }
            )
            print(f"# {text}: {results[-1]['median_ms']} ms, {matches} matches, index {index_used}", flush=True)

        # Suggestions of a ticket
        ticket = (
            env["aftersales.ticket"]
            .sudo()
            .create(
                {
                    "name": "设备无法开机",
                    "product_id": env["product.product"].sudo().search([("name", "=", "ProBook 14")], limit=1).id,
                    "fault_category_id": env["aftersales.fault.category"]
                    .sudo()
                    .search([("name", "=", "Power")], limit=1)
                    .id,
                    "description": "<p>客户反映按电源键没有反应</p>",
                }
            )
        )
        timings = []
        for _run in range(repeat):
            start = time.perf_counter()
            suggested = Article.kb_suggest_for_tickets(ticket.with_env(env))[ticket.id]
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        suggest = {
            "first": suggested[:1].name,
            "median_ms": round(statistics.median(timings), 2),
            "max_ms": round(timings[-1], 2),
        }
        cr.rollback()
    return results, suggest


def main(argv=None):
    args = parse_args(argv)
    addons_path = f"{args.odoo_src}/addons,{REPO}/addons"
    install(args, addons_path, ["aftersales_kb"])
    odoo, registry = open_registry(args, addons_path)
    api = odoo.api
    results = {"count": args.count, "repeat": args.repeat}
    try:
        results["create"] = create_articles(api, registry, args.count)
        results["search"], results["suggest"] = bench_search(api, registry, args.repeat)
    finally:
        if not args.keep_db:
            drop_database(odoo, registry, args.database)
    print_results(results)
    if args.output:
        Path(args.output).write_text(json.dumps(results, indent=2, default=str))
    if not all(r["index_used"] and r["first_ok"] for r in results["search"]):
        sys.exit(1)


def print_results(results):
    if results["create"]:
        seconds = sum(b["seconds"] for b in results["create"])
        queries = sum(b["queries"] for b in results["create"])
        articles = sum(b["articles"] for b in results["create"])
        print(
            f"\n## create: {articles} articles in {seconds:.1f} s ({1000 * seconds / articles:.2f} ms/article), "
            f"{queries} queries ({max(b['queries'] for b in results['create'])} max per batch of 1,000)"
        )
    print(f"\n## search on {results['count']} articles, {results['repeat']} runs each (kb_search as an agent)")
    print(f"{'query':<20} {'matches':>8} {'index':>6} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}  first result")
    for r in results["search"]:
        print(
            f"{r['query']:<20} {r['matches']:>8} {'yes' if r['index_used'] else 'NO':>6} {r['median_ms']:>10} "
            f"{r['p95_ms']:>8} {r['max_ms']:>8}  {r['first']}{'' if r['first_ok'] else '  (WRONG)'}"
        )
    s = results["suggest"]
    print(f"\n## ticket suggestions: median {s['median_ms']} ms, max {s['max_ms']} ms, first: {s['first']}")
    for r in results["search"]:
        if r["query"] in ("开机", "power"):
            print(f"\n## plan for {r['query']!r}\n{r['plan']}")


if __name__ == "__main__":
    main()
