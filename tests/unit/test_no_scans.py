"""No request route scans the table: a Scan reads every item, so its cost grows with the table.
Every HTTP route of the template is called at least once (tests/route_walk.py) with its DynamoDB
calls counted; tests/unit/test_call_counts.py pins each route's calls exactly."""

from __future__ import annotations

from typing import Any

from tests.helpers import Api
from tests.route_walk import walk


def test_every_route_is_walked_and_none_scans(aws: dict[str, Any]) -> None:
    walked = walk(Api())
    assert walked.missing() == []
    scanning = {c.route: c.calls["Scan"] for c in walked.calls if c.calls.get("Scan")}
    assert scanning == {}
    assert all(c.status < 300 for c in walked.calls)
