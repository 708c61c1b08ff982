"""Prints the figures of a locust run (its CSV stats) per kind of request:
count, failures, requests/s, p50/p95/p99 in ms; then the refusals and
server errors counted by locustfile.py. Usage: summary.py CSV_PREFIX RESULT_JSON"""

import csv
import json
import sys


def main(prefix, result_file):
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with open(result_file, encoding="utf-8") as f:
        result = json.load(f)
    refused = result.get("refused", {})
    print(f"{'kind':<20} {'requests':>8} {'fail':>5} {'refused':>7} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}")
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        name = "ALL" if row["Name"] == "Aggregated" else row["Name"]
        n_refused = sum(refused.values()) if name == "ALL" else refused.get(name, 0)
        print(
            f"{name:<20} {row['Request Count']:>8} {row['Failure Count']:>5} {n_refused:>7} "
            f"{float(row['Requests/s']):>7.2f} {row['50%']:>6} {row['95%']:>6} {row['99%']:>6}"
        )
    errors = result.get("server_errors", {})
    print(f"server errors (HTTP 5xx or unexpected JSON-RPC errors): {sum(errors.values())} {dict(errors) or ''}")
    lost = result.get("connection_lost", {})
    print(f"requests left without an answer (connection lost): {sum(lost.values())} {dict(lost) or ''}")
    for sample in result.get("error_samples", [])[:10]:
        print(f"  {sample}")
    return sum(errors.values())


if __name__ == "__main__":
    sys.exit(1 if main(*sys.argv[1:3]) else 0)
