"""Latency under load, as a user waits for it: tests/load/locustfile.py run headless against a fresh
local stack, first alone (one participant and one employer: the baseline), then loaded (`--users`
at once); p50 and p99 of each request type and the ratio loaded / alone. Target: no failed
request and every invariant holding after both runs. Latency is recorded, not targeted: the local
stack is one Python process beside DynamoDB Local, not a Lambda per request.

    python -m bench.load [--users 22] [--employers 2] [--seconds 30]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import harness
from tests.e2e.conftest import Stack  # the e2e tests' way of running `python -m local`


def locust(host: str, users: int, employers: int, seconds: int, report: Path) -> dict[str, Any]:
    """One headless Locust run of tests/load/locustfile.py; its report."""
    command = [sys.executable, "-m", "locust", "-f", str(harness.ROOT / "tests/load/locustfile.py"), "--headless"]
    command += ["-u", str(users), "-r", str(users), "-t", f"{seconds}s", "-s", "30", "--host", host, "--only-summary"]
    subprocess.run([*command, "--employers", str(employers), "--report", str(report)], cwd=harness.ROOT, check=False)  # noqa: S603
    return dict(json.loads(report.read_text()))


def measure(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="tremplin-load-") as folder:
        stack = Stack(Path(folder)).start()
        try:
            alone = locust(stack.base, 2, 1, args.seconds, Path(folder) / "alone.json")
            loaded = locust(stack.base, args.users, args.employers, args.seconds, Path(folder) / "loaded.json")
        finally:
            stack.stop()
    p50 = {r: (alone["routes"].get(r, {}).get("p50_ms"), f["p50_ms"]) for r, f in loaded["routes"].items()}
    return {
        "target": "no failed request, every invariant holding after the run (latency: recorded)",
        "headline": {
            "p50_ms_alone_loaded_ratio": {r: [a, b, round(b / a, 2) if a else None] for r, (a, b) in p50.items()},
            "p99_ms_loaded": {r: f["p99_ms"] for r, f in loaded["routes"].items()},
            "requests_per_second_loaded": loaded["requests_per_second"],
            "failures": alone["failures"] + loaded["failures"],
        },
        "meets_target": not (alone["failures"] or loaded["failures"])
        and alone["invariants"]["ok"]
        and loaded["invariants"]["ok"],
        "alone": alone,
        "loaded": loaded,
        "stack": "python -m local (DynamoDB Local on disk, moto's server), one process, a fresh data folder",
    }


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--users", type=int, default=22, help="users at once in the loaded run")
    parser.add_argument("--employers", type=int, default=2, help="of them employers, the rest participants")
    parser.add_argument("--seconds", type=int, default=30, help="of each run")


if __name__ == "__main__":
    sys.exit(harness.main("api", __doc__, measure, options))
