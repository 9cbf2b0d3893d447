"""GET /jobs as a participant browses it: the first page, a filtered first page and the second
page, against AWS's DynamoDB Local, on a table of 100 jobs (baseline) and one of N jobs.

    python -m bench.browse_jobs [--jobs 10000]

What it shows: one page is one Query on the browsing index (GSI2), and its cost does not grow
with the number of jobs in the table. Results go to section "get_jobs_first_page" of
bench/results.json.

Both tables live in the same DynamoDB Local and take turns, round by round (baseline first,
then the large table; the next round the other way round), so the JVM warming up or another
process taking the CPU for a while weighs on both alike; the ratio of the medians is then
about the tables, not about when each was measured.

The jobs are built by the domain itself (`tremplin.logic.jobs.create_for`, with the data
layer's `insert` captured instead of called) and written with the data layer's own item
builders (`_job_item`, `_shift_item`) through `batch_writer()`, so the items have exactly the
shape the API writes, without 10,000 transactions through the HTTP handler.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest.mock import patch
from urllib.parse import quote

from bench import harness  # first: puts the shared layer on sys.path
from local import resources
from local.environment import LocalEnvironment
from tests.helpers import Api, org_body
from tremplin import clock
from tremplin.data import jobs as job_store
from tremplin.data import organisations as org_store
from tremplin.data import reset
from tremplin.data.dynamo import table
from tremplin.logic import jobs as job_logic
from tremplin.models.jobs import Category, JobCreate

SECTION = "get_jobs_first_page"
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
PAGE = 50
FILTER = {"category": "gardening", "postcode": "30"}
FULL_SHARE = 0.2  # of shifts with filled == slots: in the browsing index, filtered out by DynamoDB
TARGET_CALLS = {"Query": 1}

# Real Swiss postcodes; 9 of 30 start with "30" (Bern and around), which the filtered case asks for.
PLACES = [
    ("3011", "Bern"),
    ("3012", "Bern"),
    ("3013", "Bern"),
    ("3014", "Bern"),
    ("3018", "Bern"),
    ("3027", "Bern"),
    ("3072", "Ostermundigen"),
    ("3084", "Wabern"),
    ("3098", "Köniz"),
    ("3110", "Münsingen"),
    ("3400", "Burgdorf"),
    ("3600", "Thun"),
    ("3700", "Spiez"),
    ("3800", "Interlaken"),
    ("2502", "Biel/Bienne"),
    ("2000", "Neuchâtel"),
    ("1700", "Fribourg"),
    ("1003", "Lausanne"),
    ("1201", "Genève"),
    ("1950", "Sion"),
    ("4051", "Basel"),
    ("4500", "Solothurn"),
    ("4900", "Langenthal"),
    ("5000", "Aarau"),
    ("6003", "Luzern"),
    ("6900", "Lugano"),
    ("7000", "Chur"),
    ("8001", "Zürich"),
    ("8400", "Winterthur"),
    ("9000", "St. Gallen"),
]


# ---------------------------------------------------------------- data


def _shift(rng: random.Random) -> dict[str, Any]:
    """A shift on one of the 60 days after NOW, starting between 06:00 and 16:45 in Zurich."""
    day = (NOW.astimezone(clock.ZURICH) + timedelta(days=rng.randint(1, 60))).date()
    start = datetime(day.year, day.month, day.day, rng.randint(6, 16), rng.choice((0, 15, 30, 45)), tzinfo=clock.ZURICH)
    hours = rng.randint(2, 8)
    return {
        "starts_at": start,
        "ends_at": start + timedelta(hours=hours),
        "break_minutes": 30 if hours >= 5 else 0,
        "slots": rng.randint(1, 5),
    }


def _job_body(rng: random.Random, n: int) -> JobCreate:
    category = rng.choice(list(Category))
    postcode, city = rng.choice(PLACES)
    return JobCreate.model_validate(
        {
            "title": f"{category.value.capitalize()} help #{n}",
            "description": f"Benchmark job {n}: a few days of {category.value} work in {city}.",
            "category": category,
            "location": {"street": f"Hauptstrasse {rng.randint(1, 200)}", "postcode": postcode, "city": city},
            "hourly_wage": Decimal(rng.choice(("22.00", "23.50", "24.50", "26.00", "28.00"))),
            "requirements": {"skills": [category.value], "languages": ["de"]},
            "shifts": [_shift(rng) for _ in range(rng.randint(1, 3))],
            "publish": True,
        }
    )


def load_jobs(org_id: str, n_jobs: int, rng: random.Random) -> dict[str, Any]:
    """Builds `n_jobs` published jobs with the domain's own code and writes their items with
    batch_writer(). Some shifts are full (filled == slots), as accepted applications leave them."""
    org = org_store.get(org_id)
    assert org is not None
    captured: list[tuple[dict[str, Any], list[dict[str, Any]], bool]] = []

    def capture(job: dict[str, Any], shifts: list[dict[str, Any]], browsable: bool) -> None:
        captured.append((job, shifts, browsable))

    with harness.Stopwatch() as built:
        with patch.object(job_store, "insert", capture), patch.object(org_store, "get", lambda _: org):
            for n in range(n_jobs):
                job_logic.create_for(org_id, _job_body(rng, n))
        items: list[dict[str, Any]] = []
        full = 0
        for job, shifts, browsable in captured:
            items.append(job_store._job_item(job))
            for shift in shifts:
                if rng.random() < FULL_SHARE:
                    shift["filled"] = shift["slots"]
                    full += 1
                else:
                    shift["filled"] = rng.randint(0, shift["slots"] - 1)
                items.append(job_store._shift_item(shift, browsable))
    with harness.DynamoCalls() as counted, harness.Stopwatch() as written, table().batch_writer() as batch:
        for item in items:
            batch.put_item(Item=item)
    shifts_total = sum(len(shifts) for _, shifts, _ in captured)
    return {
        "jobs": n_jobs,
        "shifts": shifts_total,
        "full_shifts": full,
        "items_written": len(items),
        "build_seconds": round(built.seconds, 3),
        "write_seconds": round(written.seconds, 3),
        "load_seconds": round(built.seconds + written.seconds, 3),
        "write_items_per_second": round(len(items) / written.seconds, 1) if written.seconds else None,
        "write_dynamodb_calls": counted.by_operation(),
        "write_http_requests": dict(sorted(counted.http_requests.items())),
    }


# ---------------------------------------------------------------- measurement

CASES = ("first_page", "first_page_filtered", "second_page")


@dataclass
class Subject:
    """One loaded table, the paths its cases call, and what the calls measured."""

    label: str
    refs: dict[str, Any]
    load: dict[str, Any]
    paths: dict[str, str] = field(default_factory=dict)
    samples_ms: dict[str, list[float]] = field(default_factory=lambda: {c: [] for c in CASES})
    calls: dict[str, list[dict[str, int]]] = field(default_factory=lambda: {c: [] for c in CASES})
    last_body: dict[str, dict[str, Any]] = field(default_factory=dict)


def use_table(refs: dict[str, Any]) -> str:
    """Points the functions at the table (and queues, buckets) of `refs`, as
    tests/integration/conftest.py does, and checks the call counter sees that table."""
    os.environ.update(resources.function_environment(refs))
    reset()
    harness.check_call_counter()
    return str(refs["Table"])


def load_table(api: Api, label: str, refs: dict[str, Any], n_jobs: int, rng: random.Random) -> Subject:
    """A new organisation and `n_jobs` of its published jobs in the table of `refs`."""
    table_name = use_table(refs)
    created = api.call("POST", "/organisations", token=api.admin(), json_body=org_body())
    if created.status != 201:
        raise RuntimeError(f"creating the organisation answered {created.status}: {created.body}")
    print(f"{label}: loading {n_jobs} jobs into {table_name} ...", flush=True)
    load = load_jobs(str(created.body["org_id"]), n_jobs, rng)
    print(
        f"  {load['items_written']} items ({load['shifts']} shifts, {load['full_shifts']} full) "
        f"in {load['load_seconds']:.1f} s (build {load['build_seconds']:.1f} s, write {load['write_seconds']:.1f} s)",
        flush=True,
    )
    return Subject(label, refs, load)


def prepare(api: Api, token: str, subject: Subject, jvm_warmup: int) -> None:
    """The paths of the cases (the second page needs this table's cursor), then unmeasured
    calls: DynamoDB Local runs on the JVM, which compiles the query path after a while."""
    use_table(subject.refs)
    first = f"/jobs?limit={PAGE}"
    answer = api.call("GET", first, token=token)
    if answer.status != 200 or not answer.body.get("next_cursor"):
        raise RuntimeError(f"the first page has no next page: {answer.status} {answer.body}")
    subject.paths = {
        "first_page": first,
        "first_page_filtered": f"{first}&category={FILTER['category']}&postcode={FILTER['postcode']}",
        "second_page": f"{first}&cursor={quote(answer.body['next_cursor'], safe='')}",
    }
    for _ in range(jvm_warmup):
        for path in subject.paths.values():
            api.call("GET", path, token=token)


def measure_block(api: Api, token: str, subject: Subject, case: str, repeat: int, warmup: int) -> None:
    """Times `repeat` calls of one case through the in-process API, counting each call's
    DynamoDB calls; the table must be in use (use_table)."""
    path = subject.paths[case]
    counts: list[dict[str, int]] = []

    def call() -> None:
        with harness.DynamoCalls() as counted:
            answer = api.call("GET", path, token=token)
        if answer.status != 200:
            raise RuntimeError(f"GET {path} answered {answer.status}: {answer.body}")
        counts.append(counted.by_operation())
        subject.last_body[case] = answer.body

    timing = harness.measure(call, repeat=repeat, warmup=warmup)
    subject.samples_ms[case].extend(timing.samples_ms)
    subject.calls[case].extend(counts[warmup:])


def _page_facts(body: dict[str, Any]) -> dict[str, Any]:
    starts = sorted(shift["starts_at"] for job in body["items"] for shift in job["shifts"])
    return {
        "jobs_on_page": len(body["items"]),
        "shifts_on_page": len(starts),
        "shifts_start_between": [starts[0], starts[-1]] if starts else None,
        "has_next_cursor": body.get("next_cursor") is not None,
    }


def summarise(subject: Subject) -> dict[str, Any]:
    cases = {}
    for case in CASES:
        distinct = sorted({json.dumps(c, sort_keys=True) for c in subject.calls[case]})
        same = len(distinct) == 1
        path = subject.paths[case]
        cases[case] = {
            "path": path.split("&cursor=")[0]
            + ("&cursor=<next_cursor of the first page>" if "cursor=" in path else ""),
            **harness.Timing(subject.samples_ms[case]).summary(),
            "dynamodb_calls_per_page": subject.calls[case][0] if same else None,
            "dynamodb_calls_per_page_varied": None if same else distinct,
            "meets_target": same and subject.calls[case][0] == TARGET_CALLS,
            **_page_facts(subject.last_body[case]),
        }
    return {"table": str(subject.refs["Table"]), "load": subject.load, "cases": cases}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--jobs", type=int, default=10_000, help="jobs in the large table (default 10000)")
    parser.add_argument("--baseline-jobs", type=int, default=100, help="jobs in the baseline table (default 100)")
    parser.add_argument("--repeat", type=int, default=60, help="measured calls per case and table (default 60)")
    parser.add_argument("--rounds", type=int, default=20, help="the tables take turns this many times (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured calls before each block (default 3)")
    parser.add_argument("--jvm-warmup", type=int, default=20, help="unmeasured rounds of all cases per table")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--results", type=Path, default=harness.RESULTS, help="default bench/results.json")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    per_block = math.ceil(args.repeat / args.rounds)
    harness.quiet_local_servers()

    with harness.Stopwatch() as whole:
        clock.pin(NOW)
        try:
            with LocalEnvironment(data_dir=None, prefix="bench-browse-baseline", keep_environment=True) as env:
                harness.install_call_counter()
                api = Api()
                token = api.token("participant", participant_id="par_bench")
                baseline = load_table(api, "baseline", env.refs, args.baseline_jobs, rng)
                large = load_table(api, "large", resources.provision("bench-browse-large"), args.jobs, rng)
                for subject in (baseline, large):
                    prepare(api, token, subject, args.jvm_warmup)
                print(f"measuring: {args.rounds} rounds x {per_block} calls per case and table ...", flush=True)
                load_before = harness.load_average()
                for n in range(args.rounds):
                    # Baseline first, then the large table; the next round the other way round,
                    # so a machine that gets busier or quieter meanwhile weighs on both alike.
                    for subject in (baseline, large) if n % 2 == 0 else (large, baseline):
                        use_table(subject.refs)
                        for case in CASES:
                            measure_block(api, token, subject, case, per_block, args.warmup)
        finally:
            clock.pin(None)

    runs = {"baseline": summarise(baseline), "large": summarise(large)}
    ratios = {
        case: round(runs["large"]["cases"][case]["median_ms"] / runs["baseline"]["cases"][case]["median_ms"], 3)
        for case in CASES
    }
    calls = {
        f"{size}.{case}": run["cases"][case]["dynamodb_calls_per_page"] for size, run in runs.items() for case in CASES
    }
    meets = all(run["cases"][case]["meets_target"] for run in runs.values() for case in CASES)
    data = {
        "command": "python -m bench.browse_jobs" + (f" --jobs {args.jobs}" if args.jobs != 10_000 else ""),
        "what": "GET /jobs as a participant (limit 50) through the in-process API gateway and handler, "
        "against DynamoDB Local in memory; first page, filtered first page "
        f"(category={FILTER['category']}, postcode={FILTER['postcode']}) and second page (next_cursor); "
        "the baseline and the large table take turns, round by round",
        "dynamodb_local": harness.dynamodb_local_version(),
        "clock_pinned_at": clock.iso(NOW),
        "seed": args.seed,
        "page_limit": PAGE,
        "repetitions_per_case": per_block * args.rounds,
        "rounds": args.rounds,
        "warmup_calls_per_block": args.warmup,
        "jvm_warmup_rounds": args.jvm_warmup,
        "load_average_before_measuring": load_before,
        "jobs_loaded": args.jobs,
        "load_seconds": large.load["load_seconds"],
        "baseline": runs["baseline"],
        "large": runs["large"],
        "median_ratio_large_over_baseline": ratios,
        "dynamodb_calls_per_page": calls,
        "targets": {"dynamodb_calls_per_page": 1},
        "meets_target": meets,
        "run_seconds": round(whole.seconds, 1),
    }
    harness.record(SECTION, data, args.results)

    print()
    print(
        f"GET /jobs, limit {PAGE}: {args.baseline_jobs} jobs vs {args.jobs} jobs ({per_block * args.rounds} calls each)"
    )
    for case in CASES:
        b, g = runs["baseline"]["cases"][case], runs["large"]["cases"][case]
        print(
            f"  {case:20} median {b['median_ms']:6.2f} -> {g['median_ms']:6.2f} ms (x{ratios[case]:.2f})  "
            f"p95 {b['p95_ms']:6.2f} -> {g['p95_ms']:6.2f} ms  calls {g['dynamodb_calls_per_page']}  "
            f"jobs on page {b['jobs_on_page']} / {g['jobs_on_page']}"
        )
    print(f"  load: {args.jobs} jobs, {large.load['items_written']} items in {large.load['load_seconds']:.1f} s")
    print(f"  target {TARGET_CALLS} per page: {'met' if meets else 'MISSED'}; whole run {whole.seconds:.0f} s")
    print(f"  recorded in {args.results} under {SECTION!r}")
    return 0 if meets else 1


if __name__ == "__main__":
    sys.exit(main())
