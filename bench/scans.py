"""Scans on request paths: every HTTP route of template.yaml called once (bench.route_walk),
against AWS's DynamoDB Local, with its DynamoDB calls counted by operation.

    python -m bench.scans

Target: no route makes a Scan (a Scan reads the whole table, so its cost grows with the data).
Results go to section "scans_on_request_paths"; the command exits with 1 when a route scans or
the walk misses a route. tests/unit/test_no_scans.py checks the same on moto.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bench import harness, route_walk  # harness first: it puts the shared layer on sys.path
from local.environment import LocalEnvironment
from tests.helpers import Api

SECTION = "scans_on_request_paths"


def summarise(walked: route_walk.Walk) -> dict[str, Any]:
    routes: dict[str, Any] = {}
    for c in walked.calls:
        entry = routes.setdefault(c.route, {"requests": 0, "statuses": [], "scans": 0, "dynamodb_calls": []})
        entry["requests"] += 1
        entry["statuses"] = sorted({*entry["statuses"], c.status})
        entry["scans"] += c.calls.get("Scan", 0)
        if c.calls not in entry["dynamodb_calls"]:
            entry["dynamodb_calls"].append(c.calls)
    total = sum(r["scans"] for r in routes.values())
    missing = walked.missing()
    return {
        "routes_walked": len(routes),
        "routes_missing": missing,
        "requests": len(walked.calls),
        "scans_total": total,
        "routes_with_scans": sorted(name for name, r in routes.items() if r["scans"]),
        "target": {"scans_total": 0, "routes_missing": []},
        "meets_target": total == 0 and not missing,
        "routes": dict(sorted(routes.items())),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--results", type=Path, default=harness.RESULTS, help="default bench/results.json")
    args = parser.parse_args(argv)
    harness.quiet_local_servers()
    with harness.Stopwatch() as whole, LocalEnvironment(data_dir=None, prefix="bench-scans", keep_environment=True):
        harness.install_call_counter()
        harness.check_call_counter()
        walked = route_walk.walk(Api())
    data = {
        "command": "python -m bench.scans",
        "what": "every HTTP route of template.yaml called once or more through the in-process API (local gateway, "
        "authorizer, handler) on data that gives it real work (bench.route_walk), against DynamoDB Local; "
        "DynamoDB calls counted by operation per request (botocore before-call events)",
        "dynamodb_local": harness.dynamodb_local_version(),
        **summarise(walked),
        "run_seconds": round(whole.seconds, 1),
    }
    harness.record(SECTION, data, args.results)
    print(f"{data['routes_walked']} routes, {data['requests']} requests, scans: {data['scans_total']}")
    if data["routes_missing"]:
        print(f"  routes not walked: {data['routes_missing']}")
    print(f"  target 0 scans, every route walked: {'met' if data['meets_target'] else 'MISSED'}")
    return 0 if data["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
