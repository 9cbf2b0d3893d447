"""GET /jobs as a participant browses it (first page, filtered first page, second page) in a table
of 10,000 jobs and in a baseline table of 100, taking turns in one run. Target: one Query a page
in both (and one GetItem: the organisations that made the participant a favourite); the ratio
of the medians shows whether a page's time grows with the table.

    python -m bench.browse_jobs [--jobs 10000] [--rounds 20]

Jobs are made by tremplin.logic.jobs.create_for (its insert captured) and written with the data
layer's own item builders; a fifth of the shifts are full.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from unittest.mock import patch
from urllib.parse import quote

from bench import harness  # first: puts the shared layer on sys.path
from local import resources
from local.environment import LocalEnvironment
from tests.aws_calls import AwsCalls
from tests.helpers import Api, org_body
from tremplin import clock
from tremplin.data import jobs as job_store
from tremplin.data import organisations as org_store
from tremplin.data.dynamo import table
from tremplin.logic import jobs as job_logic
from tremplin.models.jobs import Category, JobCreate

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
PAGE = 50
CASES = ("first_page", "first_page_filtered", "second_page")
# Real Swiss postcodes; 9 of 30 start with "30" (Bern and around), which the filtered case asks for.
PLACES = re.findall(
    r"(\d{4}) ([^,]+)",
    "3011 Bern,3012 Bern,3013 Bern,3014 Bern,3018 Bern,3027 Bern,3072 Ostermundigen,3084 Wabern,3098 Köniz,"
    "3110 Münsingen,3400 Burgdorf,3600 Thun,3700 Spiez,3800 Interlaken,2502 Biel,2000 Neuchâtel,1700 Fribourg,"
    "1003 Lausanne,1201 Genève,1950 Sion,4051 Basel,4500 Solothurn,4900 Langenthal,5000 Aarau,6003 Luzern,"
    "6900 Lugano,7000 Chur,8001 Zürich,8400 Winterthur,9000 St. Gallen",
)


def _job(rng: random.Random, n: int) -> JobCreate:
    category, (postcode, city), shifts = rng.choice(list(Category)), rng.choice(PLACES), []
    for _ in range(rng.randint(1, 3)):  # on one of the next 60 days, 06:00 to 16:45 in Zurich
        day = (NOW.astimezone(clock.ZURICH) + timedelta(days=rng.randint(1, 60))).date()
        start = datetime(day.year, day.month, day.day, rng.randint(6, 16), rng.choice((0, 15, 30, 45)))
        start, hours = start.replace(tzinfo=clock.ZURICH), rng.randint(2, 8)
        shift = {"starts_at": start, "ends_at": start + timedelta(hours=hours), "slots": rng.randint(1, 5)}
        shifts.append(shift | {"break_minutes": 30 if hours >= 5 else 0})
    job: dict[str, Any] = {"title": f"{category.value.capitalize()} help #{n}", "category": category}
    job |= {"description": f"Benchmark job {n}: {category.value} work in {city}.", "shifts": shifts, "publish": True}
    job |= {"location": {"street": f"Hauptstrasse {rng.randint(1, 200)}", "postcode": postcode, "city": city}}
    job |= {"hourly_wage": Decimal(rng.choice(("22.40", "23.50", "24.50", "26.00", "28.00")))}
    return JobCreate.model_validate(job | {"requirements": {"skills": [category.value], "languages": ["de"]}})


def load_jobs(org_id: str, n_jobs: int, rng: random.Random) -> dict[str, Any]:
    """`n_jobs` published jobs of the organisation, a fifth of their shifts full."""
    org = org_store.get(org_id)
    made: list[tuple[dict[str, Any], list[dict[str, Any]], bool]] = []

    def insert(job: dict[str, Any], shifts: list[dict[str, Any]], browsable: bool) -> None:
        made.append((job, shifts, browsable))

    with harness.Stopwatch() as took:
        with patch.object(job_store, "insert", insert), patch.object(org_store, "get", return_value=org):
            for n in range(n_jobs):
                job_logic.create_for(org_id, _job(rng, n))
        with table().batch_writer() as batch:
            for job, shifts, browsable in made:
                batch.put_item(Item=job_store._job_item(job))
                for shift in shifts:
                    full = rng.random() < 0.2
                    shift["filled"] = shift["slots"] if full else rng.randint(0, shift["slots"] - 1)
                    batch.put_item(Item=job_store._shift_item(shift, browsable))
    return {"jobs": n_jobs, "shifts": sum(len(s) for _, s, _ in made), "load_seconds": round(took.seconds, 1)}


class Subject:
    """One table: its jobs, the paths of the cases, what each call measured."""

    def __init__(self, api: Api, label: str, refs: dict[str, Any], jobs: int, rng: random.Random):
        self.label, self.refs, self.api = label, refs, api
        harness.use_table(refs)
        org = api.call("POST", "/organisations", token=api.admin(), json_body=org_body()).body["org_id"]
        print(f"{label}: loading {jobs} jobs ...", flush=True)
        self.load = load_jobs(str(org), jobs, rng)
        self.token = api.token("participant", participant_id="par_bench")
        first = api.call("GET", f"/jobs?limit={PAGE}", token=self.token).body
        self.paths = {
            "first_page": f"/jobs?limit={PAGE}",
            "first_page_filtered": f"/jobs?limit={PAGE}&category=gardening&postcode=30",
            "second_page": f"/jobs?limit={PAGE}&cursor={quote(first['next_cursor'], safe='')}",
        }
        self.samples: dict[str, list[float]] = {case: [] for case in CASES}
        self.calls: dict[str, list[dict[str, int]]] = {case: [] for case in CASES}
        self.jobs_on_page: dict[str, int] = {}

    def measure(self, case: str, repeat: int, warmup: int) -> None:
        for n in range(warmup + repeat):
            with AwsCalls() as counted, harness.Stopwatch() as took:
                answer = self.api.call("GET", self.paths[case], token=self.token)
            if answer.status != 200:
                raise RuntimeError(f"{self.paths[case]} answered {answer.status}: {answer.body}")
            if n >= warmup:
                self.samples[case].append(took.seconds * 1000)
                self.calls[case].append(counted.dynamodb())
                self.jobs_on_page[case] = len(answer.body["items"])


def measure(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    clock.pin(NOW)
    try:
        with LocalEnvironment(data_dir=None, prefix="bench-browse", keep_environment=True) as env:
            api = Api()
            baseline = Subject(api, "baseline", env.refs, args.baseline_jobs, rng)
            large = Subject(api, "large", resources.provision("bench-browse-large"), args.jobs, rng)
            print(f"measuring: {args.rounds} rounds ...", flush=True)
            for n, subject in harness.turns([baseline, large], args.rounds):
                harness.use_table(subject.refs)
                for case in CASES:  # the JVM compiles DynamoDB Local's query path after a while
                    subject.measure(case, args.repeat // args.rounds, warmup=60 if n == 0 else 3)
    finally:
        clock.pin(None)
    timings = {s.label: {c: harness.Timing(s.samples[c]) for c in CASES} for s in (baseline, large)}
    ratios = {c: harness.ratio(timings["large"][c], timings["baseline"][c]) for c in CASES}
    calls = sorted({json.dumps(c, sort_keys=True) for s in (baseline, large) for case in CASES for c in s.calls[case]})
    return {
        "target": "1 Query (and 1 GetItem of favouring organisations) per page, with 100 jobs as with 10,000",
        "headline": {
            "median_ratio_large_over_baseline": ratios,
            "dynamodb_calls_per_page": [json.loads(c) for c in calls],
        },
        "meets_target": calls == ['{"GetItem": 1, "Query": 1}'],
        "clock_pinned_at": clock.iso(NOW),
        **{
            s.label: {"load": s.load, "jobs_on_page": s.jobs_on_page}
            | {c: timings[s.label][c].summary() for c in CASES}
            for s in (baseline, large)
        },
    }


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", type=int, default=10_000, help="jobs in the large table")
    parser.add_argument("--baseline-jobs", type=int, default=100, help="jobs in the baseline table")
    parser.add_argument("--repeat", type=int, default=60, help="measured calls per case and table")
    parser.add_argument("--rounds", type=int, default=20, help="the tables take turns this many times")
    parser.add_argument("--seed", type=int, default=20261125)


if __name__ == "__main__":
    sys.exit(harness.main("get_jobs_first_page", __doc__, measure, options))
