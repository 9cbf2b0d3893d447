"""Load against the running local stack: 50 participants applying and confirming, 5 employers
accepting and rejecting, all at once for `LOAD_SECONDS` (default 60) over HTTP. No answer is
a 5xx and the lifecycle's invariants hold at the end (bench/load.py says which and how they are
read). Latencies are recorded by `python -m bench.load`, never asserted here."""

from __future__ import annotations

import os

import pytest

from bench.load import run_load
from tests.e2e.conftest import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("stack")]

SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))


def test_participants_and_employers_at_once_get_no_5xx_and_break_no_invariant(stack: Stack) -> None:
    result = run_load(stack.base, SECONDS, participants=50, employers=5, seed_value=20261125)

    assert result["server_errors"] == 0, result["server_error_samples"]
    assert result["transport_errors"] == 0, result["transport_error_samples"]
    assert result["client_thread_errors"] == []
    assert result["invariants"]["ok"], result["invariants"]["violations"]
    # The run did what it is for: applications were made, offered, confirmed and refused.
    routes = result["routes"]
    for route in (
        "POST /shifts/{shift_id}/applications",
        "POST /applications/{application_id}/accept",
        "POST /applications/{application_id}/confirm",
    ):
        statuses = routes.get(route, {}).get("statuses", {})
        assert any(status.startswith("2") for status in statuses), (route, statuses)
    checked = result["invariants"]["checked"]
    assert checked["applications"] > 0 and checked["seats_filled"] > 0
    assert result["invariants"]["applications_by_status"].get("confirmed", 0) > 0
