"""The local stack as a user meets it: `make run`, then HTTP on port 3000."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import Stack
from tests.helpers import ROOT, org_body

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("stack")]


def test_health_openapi_and_docs_are_served(stack: Stack) -> None:
    assert stack.request("GET", "/health") == (200, {"status": "ok"})
    status, spec = stack.request("GET", "/openapi.json")
    assert status == 200
    assert {"/organisations", "/organisations/{org_id}", "/organisations/{org_id}/suspend"} <= set(spec["paths"])
    status, html = stack.request("GET", "/docs")
    assert status == 200 and "swagger-ui" in html


def test_organisation_routes_answer_in_the_contract_format(stack: Stack) -> None:
    admin = stack.token("admin")
    status, org = stack.request("POST", "/organisations", org_body(name="E2E AG"), admin)
    assert status == 201 and org["status"] == "active"
    assert stack.request("GET", f"/organisations/{org['org_id']}", token=admin) == (200, org)
    status, body = stack.request("GET", "/organisations")
    assert status == 401 and body["error"]["code"] == "unauthorized"
    status, body = stack.request("POST", "/organisations", org_body(), stack.token("participant", participant_id="p1"))
    assert status == 403 and body["error"]["code"] == "forbidden"
    other = stack.token("employer", org_id="org_someone_else")
    status, body = stack.request("GET", f"/organisations/{org['org_id']}", token=other)
    assert status == 404 and body["error"]["code"] == "not_found"


def test_data_survives_a_restart_and_a_crash(tmp_path: Path) -> None:
    first = Stack(tmp_path).start()
    try:
        admin = first.token("admin")
        status, org = first.request("POST", "/organisations", org_body(name="Persistent AG"), admin)
        assert status == 201
    finally:
        first.stop()
    second = Stack(tmp_path, port=first.port).start()
    try:
        # The signing key is kept too: the token from before the restart still works.
        assert second.request("GET", f"/organisations/{org['org_id']}", token=admin) == (200, org)
    finally:
        second.stop(signal.SIGKILL)  # a crash: no clean shutdown
    third = Stack(tmp_path, port=first.port).start()
    try:
        assert third.request("GET", f"/organisations/{org['org_id']}", token=admin)[1]["name"] == "Persistent AG"
    finally:
        third.stop()


def test_starting_twice_says_it_is_already_running(stack: Stack) -> None:
    again = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "local", "--port", str(stack.port), "--data-dir", str(stack.data_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert again.returncode == 0
    assert f"already running on http://127.0.0.1:{stack.port}" in again.stdout
    assert stack.request("GET", "/health")[0] == 200
