"""Report time against history: June 2027's earnings, programme and employer reports generated
by the report worker's code in a table holding June alone (the baseline) and in one also holding
the 11 months before, taking turns. Target: time (twelve months) / time (one month) <= 1.3 for
each report, with the same DynamoDB calls (tests/integration/test_report_scaling.py proves the
reads the same on small data). Months are made by tests/months.py, then copied to size.

    python -m bench.report_scaling [--participants 5] [--copies 20] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import boto3

from bench import harness  # first: puts the shared layer on sys.path
from local import resources
from local.environment import LocalEnvironment
from tests.aws_calls import AwsCalls
from tests.helpers import all_items
from tests.months import build_month
from tremplin import clock
from tremplin.data import reports as report_store
from tremplin.logic import report_generation, reports
from tremplin.models.reports import ReportType

MONTH = "2027-06"
HISTORY = reports.months_of("2026-07..2027-05")
NOW = datetime(2027, 7, 1, 6, 0, tzinfo=clock.ZURICH)  # when the monthly schedule asks for June's reports
KINDS = (ReportType.EARNINGS, ReportType.PROGRAMME, ReportType.EMPLOYER)
TARGET = 1.3
ID = re.compile(r"\b([a-z]+)_([0-9a-f]{24})[0-9a-f]{4}\b")  # tremplin.ids.new_id: prefix, 12 + 16 hex digits


@dataclass
class Base:
    """A month built once in its own scratch table, and the figures its copies must show."""

    items: list[dict[str, Any]]
    orgs: list[str]
    participants: int

    def expected(self, copies: int, org_id: str | None = None) -> dict[str, Any]:
        """What the earnings report (or one organisation's) must show for `copies` copies."""
        completed = [i for i in self.items if i.get("type") == "application" and i["status"] == "completed"]
        completed = [i for i in completed if org_id in (None, i["org_id"])]
        total = sum((Decimal(i["pay"]["gross"]) for i in completed), Decimal("0.00"))
        return {"completed_shifts": len(completed) * copies, "gross": str(total * copies)}


def base_month(month: str, participants: int, days: int, rng: random.Random) -> Base:
    refs = resources.provision(f"bench-base-{month}")
    harness.use_table(refs)
    orgs = build_month(month, participants, days, rng)
    return Base(all_items(str(refs["Table"])), orgs, participants)


def copies(items: list[dict[str, Any]], n: int, per_org: int) -> Iterator[dict[str, Any]]:
    """`n` copies of the items, each but the first with fresh ids (the last 4 hex digits of every
    id, wherever it appears: keys, index keys, application ids), `per_org` copies sharing each
    organisation; items whose key holds no other id once, the enrolment counters with their count
    times `n`."""

    def fresh(m: re.Match[str], k: int) -> str:
        j = k // per_org if m[1] == "org" else k
        return f"{m[1]}_{m[2]}{j:04x}" if j else m[0]

    def renamed(value: Any, k: int) -> Any:
        if isinstance(value, str):
            return ID.sub(lambda m: fresh(m, k), value)
        if isinstance(value, dict):
            return {renamed(key, k): renamed(v, k) for key, v in value.items()}
        return [renamed(v, k) for v in value] if isinstance(value, list) else value

    for item in items:
        yield item | {"count": item["count"] * n} if item["PK"] == "STATS" else item
        written = {(item["PK"], item["SK"])}
        for copy in (renamed(item, k) for k in range(1, n)):
            if (copy["PK"], copy["SK"]) not in written:
                written.add((copy["PK"], copy["SK"]))
                yield copy


def write_items(table_name: str, items: list[dict[str, Any]], threads: int = 4) -> float:
    """`batch_writer()` from `threads` threads (a boto3 session each); the seconds it took."""

    def write(chunk: list[dict[str, Any]]) -> None:
        with boto3.session.Session().resource("dynamodb").Table(table_name).batch_writer() as batch:
            for item in chunk:
                batch.put_item(Item=item)

    with harness.Stopwatch() as took, ThreadPoolExecutor(threads) as pool:
        list(pool.map(write, [items[i::threads] for i in range(threads)]))
    return took.seconds


def generate(kind: ReportType, org_id: str) -> tuple[float, dict[str, int], dict[str, Any]]:
    """June's report as the worker makes it: milliseconds, DynamoDB calls, summary."""
    report = reports.enqueue(kind, MONTH, org_id if kind is ReportType.EMPLOYER else None, "bench")
    attempt = int((report_store.get(report.report_id) or {})["attempt"])
    with AwsCalls() as counted, harness.Stopwatch() as took:
        outcome = report_generation.generate(report.report_id, attempt)
    done = report_store.get(report.report_id) or {}
    if outcome != "ready" or done.get("status") != "ready":
        raise RuntimeError(f"{report.report_id}: {outcome}")
    return took.seconds * 1000, counted.dynamodb(), json.loads(done["summary_json"])


def check(summaries: dict[str, Any], june: Base, copies: int, per_org: int, enrolled: int) -> dict[str, bool]:
    """The summaries show everything that was loaded, no more (`enrolled`: up to June's end)."""
    earnings, programme, employer = (summaries[k.value] for k in KINDS)
    own = june.expected(per_org, june.orgs[0])
    return {
        "earnings": earnings["gross"] == june.expected(copies)["gross"],
        "programme": (programme["new_participants"], programme["enrolled"]) == (june.participants * copies, enrolled),
        "employer": (employer["completed_shifts"], employer["wage_cost"]) == (own["completed_shifts"], own["gross"]),
    }


def measure(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    with LocalEnvironment(data_dir=None, prefix="bench-reports-one", keep_environment=True) as env:
        with harness.Stopwatch() as building:  # June over 25 days, the months before over fewer, copied more
            june = base_month(MONTH, args.participants, 25, rng)
            history = [base_month(m, args.participants, args.history_days, rng) for m in HISTORY]
        print(f"built {len(history) + 1} months in {building.seconds:.0f} s", flush=True)
        one, twelve = env.refs, resources.provision("bench-reports-twelve")
        items = {"one": list(copies(june.items, args.copies, per_org=args.copies))}  # one big employer
        more = round(args.copies * 25 / args.history_days)  # as many applications in each month as in June
        items["twelve"] = items["one"] + [i for b in history for i in copies(b.items, more, per_org=more)]
        load = {
            label: round(write_items(str(refs["Table"]), items[label]), 1)
            for label, refs in (("one", one), ("twelve", twelve))
        }
        samples: dict[str, list[float]] = {f"{t}.{k.value}": [] for t in ("one", "twelve") for k in KINDS}
        calls: dict[str, set[str]] = {key: set() for key in samples}
        summaries: dict[str, dict[str, Any]] = {}
        clock.pin(NOW)
        try:
            for n, (label, refs) in harness.turns([("one", one), ("twelve", twelve)], args.repeat + 1):
                harness.use_table(refs)
                for kind in KINDS:  # the first round unmeasured: the JVM compiles DynamoDB Local's paths
                    ms, counted, summaries.setdefault(label, {})[kind.value] = generate(kind, june.orgs[0])
                    calls[f"{label}.{kind.value}"].add(json.dumps(counted, sort_keys=True))
                    samples[f"{label}.{kind.value}"] += [ms] if n else []
                print(f"  round {n + 1}/{args.repeat + 1}: {label}", flush=True)
        finally:
            clock.pin(None)
    timings = {key: harness.Timing(s) for key, s in samples.items()}
    ratios = {k.value: harness.ratio(timings[f"twelve.{k.value}"], timings[f"one.{k.value}"]) for k in KINDS}
    same_calls = all(len(calls[f"one.{k}"] | calls[f"twelve.{k}"]) == 1 for k in ratios)
    enrolled = {"one": june.participants * args.copies}
    enrolled["twelve"] = enrolled["one"] + len(history) * args.participants * more
    checks = {label: check(summaries[label], june, args.copies, args.copies, enrolled[label]) for label in enrolled}
    return {
        "target": f"report time, 12 months in the table / 1 month <= {TARGET}, with the same DynamoDB calls",
        "headline": {
            "median_ms": {k: {t: round(timings[f"{t}.{k}"].median_ms) for t in ("one", "twelve")} for k in ratios},
            "median_ratio_twelve_over_one": ratios,
        },
        "meets_target": same_calls
        and all(r <= TARGET for r in ratios.values())
        and all(all(c.values()) for c in checks.values()),
        "month": {"participants": args.participants * args.copies, **june.expected(args.copies)},
        "items": {label: len(i) for label, i in items.items()},
        "load_seconds": load,
        "build_seconds": round(building.seconds, 1),
        "timings": {key: t.summary() for key, t in timings.items()},
        "dynamodb_calls": {key: [json.loads(c) for c in sorted(counted)] for key, counted in calls.items()},
        "dynamodb_calls_equal": same_calls,
        "checks": checks,
    }


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--participants", type=int, default=5, help="of each month as built (a multiple of 5)")
    parser.add_argument("--copies", type=int, default=20, help="copies of June written to the tables")
    parser.add_argument("--history-days", type=int, default=10, help="work days of each month before June")
    parser.add_argument("--repeat", type=int, default=5, help="measured generations per report and table")
    parser.add_argument("--seed", type=int, default=20260701)


if __name__ == "__main__":
    sys.exit(harness.main("report_scaling", __doc__, measure, options))
