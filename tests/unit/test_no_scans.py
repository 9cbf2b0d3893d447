"""No request route scans the table: a Scan reads every item, so its cost grows with the table.
Every HTTP route of the template is called once (bench.route_walk) with DynamoDB calls counted."""

from __future__ import annotations

from typing import Any

from bench import harness, route_walk
from tests.helpers import Api


def test_every_route_is_walked_and_none_scans(aws: dict[str, Any]) -> None:
    harness.install_call_counter()
    walked = route_walk.walk(Api())
    assert walked.missing() == []
    scanning = {c.route: c.calls["Scan"] for c in walked.calls if c.calls.get("Scan")}
    assert scanning == {}
    assert all(c.status < 300 for c in walked.calls)
