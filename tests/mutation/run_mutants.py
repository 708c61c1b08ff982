#!/usr/bin/env python3
"""Mutation check: does the suite catch the bugs a user would notice first?

Each mutant of ``mutants.py`` is one small, realistic bug (a boundary moved by
one, a check taken out, a setting no longer read). For each, this script makes
a scratch copy of the committed tree (``git worktree add --detach``), applies
the bug, runs the tests of the addon it belongs to (``setup/test --no-lint
--no-e2e --addons ... --test-tags ...``) and expects at least one failure.
A mutant that passes every test is a hole in the suite.

Run on demand, not in CI (each mutant installs its addon: 1-3 minutes):

    tests/mutation/run_mutants.py                 # every mutant
    tests/mutation/run_mutants.py --only sla-warranty-last-day,kb-title-weight
    tests/mutation/run_mutants.py --list
    tests/mutation/run_mutants.py --readme        # also write the table into README.md

Exit status 1 when a mutant survives or cannot be applied.
"""

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

from mutants import MUTANTS  # noqa: E402

SUMMARY = re.compile(r"^(?:\w+: )?(\d+) passed, (\d+) failed", re.MULTILINE)
README = HERE / "README.md"
RESULTS_START = "<!-- results -->"
RESULTS_END = "<!-- /results -->"


def apply(tree, mutant):
    path = tree / mutant["file"]
    text = path.read_text()
    count = text.count(mutant["find"])
    if count != 1:
        return f"the text to change occurs {count} times in {mutant['file']} (expected once)"
    path.write_text(text.replace(mutant["find"], mutant["replace"]))
    return None


def run_one(mutant):
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="aftersales-mutant-") as scratch:
        tree = Path(scratch) / "tree"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), "HEAD"],
                       check=True, capture_output=True)  # fmt: skip
        try:
            problem = apply(tree, mutant)
            if problem:
                return "not applied", problem, time.monotonic() - started
            cmd = [str(tree / "setup/test"), "--no-lint", "--no-e2e", "--addons", mutant["addons"]]
            if mutant.get("tags"):
                cmd += ["--test-tags", mutant["tags"]]
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
            found = SUMMARY.findall(proc.stdout)
            if not found:
                return "killed", "the addon did not install or no test ran", time.monotonic() - started
            passed, failed = (int(x) for x in found[-1])
            verdict = "killed" if failed or proc.returncode else "SURVIVED"
            return verdict, f"{passed} passed, {failed} failed", time.monotonic() - started
        finally:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], capture_output=True, check=False
            )


def write_readme(rows):
    table = ["| mutant | addon | bug | verdict | tests | seconds |", "|---|---|---|---|---|---|"]
    table += [
        f"| `{m['id']}` | {m['addons'].split(',')[-1]} | {m['bug']} | {verdict} | {detail} | {seconds:.0f} |"
        for m, verdict, detail, seconds in rows
    ]
    head = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    )
    block = "\n".join(
        [
            RESULTS_START,
            f"Last run: {time.strftime('%Y-%m-%d')} on commit {head.stdout.strip()}.",
            "",
            *table,
            RESULTS_END,
        ]
    )
    text = README.read_text()
    text = re.sub(re.escape(RESULTS_START) + ".*?" + re.escape(RESULTS_END), lambda _m: block, text, flags=re.S)
    README.write_text(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="comma-separated mutant ids")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--readme", action="store_true", help="write the results table into README.md")
    args = parser.parse_args()
    mutants = MUTANTS
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {m["id"] for m in MUTANTS}
        if unknown:
            parser.error(f"unknown mutants: {', '.join(sorted(unknown))}")
        mutants = [m for m in MUTANTS if m["id"] in wanted]
    if args.list:
        for m in mutants:
            print(f"{m['id']:32} {m['file']}: {m['bug']}")
        return 0
    rows = []
    for m in mutants:
        verdict, detail, seconds = run_one(m)
        rows.append((m, verdict, detail, seconds))
        print(f"{verdict:12} {m['id']:32} {detail} ({seconds:.0f}s)", flush=True)
    survived = [m["id"] for m, verdict, _d, _s in rows if verdict != "killed"]
    print(f"{len(rows) - len(survived)} killed, {len(survived)} survived or not applied")
    if args.readme:
        write_readme(rows)
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
