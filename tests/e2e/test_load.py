"""Load against the running local stack: participants browsing, applying and confirming while
employers accept and reject, all at once over HTTP (tests/load/locustfile.py, Locust headless) for
`LOAD_SECONDS` (default 10) and until every kind of request was answered. No request fails (a 409
the rules call for is an answer), and the lifecycle's invariants hold at the end. Latencies are
recorded by `python -m bench.load`, never asserted here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import Stack
from tests.helpers import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("stack")]

SECONDS = int(os.environ.get("LOAD_SECONDS", "10"))
REQUESTS = [
    "GET /jobs",
    "GET /jobs/{job_id}",
    "POST /shifts/{shift_id}/applications",
    "GET /me/applications",
    "POST /applications/{application_id}/confirm",
    "POST /applications/{application_id}/decline",
    "POST /applications/{application_id}/withdraw",
    "GET /shifts/{shift_id}/applications",
    "POST /applications/{application_id}/accept",
    "POST /applications/{application_id}/reject",
]


def test_participants_and_employers_at_once_fail_nothing_and_break_no_invariant(stack: Stack, tmp_path: Path) -> None:
    report = tmp_path / "load.json"
    command = [sys.executable, "-m", "locust", "-f", "tests/load/locustfile.py", "--headless", "--only-summary"]
    # At least SECONDS, then until every kind of request was answered (at most 180 s): on a busy
    # machine a fixed time may end before any employer met an applicant.
    command += ["-u", "20", "-r", "10", "-t", "180s", "--until-answered", str(SECONDS), "-s", "30"]
    command += ["--host", stack.base]
    run = subprocess.run(  # noqa: S603
        [*command, "--employers", "3", "--report", str(report)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    result = json.loads(report.read_text())

    assert result["failures"] == 0, result["errors"]
    assert result["invariants"]["ok"], result["invariants"]["broken"]
    assert run.returncode == 0, run.stderr[-2000:]
    answered = {" ".join(status.split()[:2]) for status in result["statuses"] if status.split()[2].startswith("2")}
    assert answered == set(REQUESTS)
    assert result["invariants"]["seats_filled"] > 0
    assert result["invariants"]["applications_by_status"].get("confirmed", 0) > 0
