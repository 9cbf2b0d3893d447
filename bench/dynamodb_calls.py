"""DynamoDB calls per request route, by operation, with the targets of the issue, against AWS's
DynamoDB Local, in one short run (call counts do not need many repetitions; times do, and the
longer benchmarks take them).

    python -m bench.dynamodb_calls [--cohort 5] [--jobs 120]

Three measurements, each the code of the benchmark that owns it:

- the shift lifecycle (`bench.lifecycle_calls.Lifecycle`): a cohort of participants through
  apply, accept, confirm, decline, reject, withdraw, the reads, hours and their approval; every
  request counted (target: apply, accept and confirm at most 2 calls each);
- browsing (`bench.browse_jobs.load_jobs`): `--jobs` published jobs, then `GET /jobs?limit=50`
  page after page to the end (target: one call per page);
- every route once or more (`bench.route_walk`), with its calls (no target but the walk's: no Scan).

Results go to section "dynamodb_calls"; the command exits with 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench import harness, route_walk  # harness first: it puts the shared layer on sys.path
from bench import lifecycle_calls as lifecycle
from bench.browse_jobs import NOW as BROWSE_NOW
from bench.browse_jobs import load_jobs
from local.environment import LocalEnvironment
from tests.helpers import Api, org_body
from tremplin import clock

SECTION = "dynamodb_calls"
PAGE = 50
TARGETS = {
    "POST /shifts/{shift_id}/applications": 2,  # apply
    "POST /applications/{application_id}/accept": 2,
    "POST /applications/{application_id}/confirm": 2,
    "GET /jobs": 1,  # per page
}


def _distinct(counts: list[dict[str, int]]) -> list[dict[str, int]]:
    return [json.loads(c) for c in sorted({json.dumps(c, sort_keys=True) for c in counts})]


def lifecycle_routes(api: Api, cohort: int) -> dict[str, list[dict[str, int]]]:
    """Route key -> the DynamoDB calls of each measured lifecycle request."""
    run = lifecycle.Lifecycle(api)
    run.organisation()
    run.cohort(cohort, measure=True)
    out: dict[str, list[dict[str, int]]] = {}
    for name, measured in run.measured.items():
        route = lifecycle.ROUTES[name]
        key = f"{route.method} {route.template.replace('{id}', '{application_id}')}"
        out.setdefault(key, []).extend(measured.calls)
    return out


def browse_pages(api: Api, jobs: int) -> list[dict[str, int]]:
    """The DynamoDB calls of each page of GET /jobs, first to last, over `jobs` published jobs."""
    clock.pin(BROWSE_NOW)
    try:
        org = api.call("POST", "/organisations", token=api.admin(), json_body=org_body(name="Browse AG")).body
        load_jobs(str(org["org_id"]), jobs, random.Random(11))
        token = api.token("participant", participant_id="par_bench")
        pages: list[dict[str, int]] = []
        cursor: str | None = None
        while True:
            path = f"/jobs?limit={PAGE}" + (f"&cursor={quote(cursor)}" if cursor else "")
            with harness.DynamoCalls() as counted:
                answer = api.call("GET", path, token=token)
            if answer.status != 200:
                raise RuntimeError(f"GET {path} answered {answer.status}: {answer.body}")
            pages.append(counted.by_operation())
            cursor = answer.body.get("next_cursor")
            if not cursor:
                return pages
    finally:
        clock.pin(None)


def summarise(measured: dict[str, list[dict[str, int]]], sources: dict[str, str]) -> dict[str, Any]:
    routes = {}
    for key in sorted(measured):
        counts = measured[key]
        totals = [sum(c.values()) for c in counts]
        entry: dict[str, Any] = {
            "requests": len(counts),
            "dynamodb_calls": _distinct(counts) if len(_distinct(counts)) > 1 else counts[0],
            "dynamodb_calls_max": max(totals),
            "measured_by": sources[key],
        }
        if key in TARGETS:
            entry["target_max_dynamodb_calls" + ("_per_page" if key == "GET /jobs" else "")] = TARGETS[key]
            entry["meets_target"] = max(totals) <= TARGETS[key]
        routes[key] = entry
    return routes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cohort", type=int, default=5, help="participants through the lifecycle")
    parser.add_argument("--jobs", type=int, default=120, help="published jobs to browse, page by page")
    parser.add_argument("--results", type=Path, default=harness.RESULTS, help="default bench/results.json")
    args = parser.parse_args(argv)
    harness.quiet_local_servers()
    with harness.Stopwatch() as whole, LocalEnvironment(data_dir=None, prefix="bench-calls", keep_environment=True):
        harness.install_call_counter()
        harness.check_call_counter()
        api = Api()
        measured: dict[str, list[dict[str, int]]] = {}
        sources: dict[str, str] = {}
        for key, counts in lifecycle_routes(api, args.cohort).items():
            measured[key], sources[key] = counts, "bench.lifecycle_calls.Lifecycle"
        pages = browse_pages(api, args.jobs)
        measured["GET /jobs"], sources["GET /jobs"] = list(pages), "bench.browse_jobs.load_jobs, every page"
        walked = route_walk.walk(api)
        for call in walked.calls:  # every request counts, those of the routes measured above too
            measured.setdefault(call.route, []).append(call.calls)
            if "bench.route_walk" not in sources.get(call.route, ""):
                sources[call.route] = ", ".join(filter(None, [sources.get(call.route), "bench.route_walk"]))
    routes = summarise(measured, sources)
    meets = all(routes[key]["meets_target"] for key in TARGETS)
    data = {
        "command": "python -m bench.dynamodb_calls",
        "what": "DynamoDB calls (botocore before-call events, by operation) of each request route through the "
        "in-process API against DynamoDB Local: the lifecycle routes over a cohort, GET /jobs page by page to the "
        "last, every other route once (bench.route_walk). Notifications are queued to SQS, not delivered: the "
        "counts are the request's own",
        "dynamodb_local": harness.dynamodb_local_version(),
        "cohort": args.cohort,
        "browse": {"jobs": args.jobs, "page_size": PAGE, "pages": len(pages)},
        "routes_measured": len(routes),
        "routes_missing": walked.missing(),
        "targets": {key: {"max_dynamodb_calls": n} for key, n in TARGETS.items()},
        "meets_target": meets,
        "routes": routes,
        "run_seconds": round(whole.seconds, 1),
    }
    harness.record(SECTION, data, args.results)
    for key, r in routes.items():
        mark = "" if "meets_target" not in r else ("  target met" if r["meets_target"] else "  target MISSED")
        print(f"  {key:55} max {r['dynamodb_calls_max']}  {r['dynamodb_calls']}{mark}")
    print(f"targets {'met' if meets else 'MISSED'}; recorded under {SECTION!r}")
    return 0 if meets else 1


if __name__ == "__main__":
    sys.exit(main())
