from __future__ import annotations

import boto3
import pytest

from tests.helpers import Api, create_org, job_body, shift_body

pytestmark = pytest.mark.integration


def test_browsing_leaves_out_full_shifts_and_pages_by_start_on_dynamodb_local(api: Api, table_name: str) -> None:
    api.call("POST", "/_local/clock", json_body={"now": "2026-11-25T09:00:00+01:00"})
    employer = api.employer(create_org(api))
    shifts = []
    for day in range(1, 8):
        body = job_body(
            shift_body(f"2026-12-{day:02d}T08:00:00+01:00", f"2026-12-{day:02d}T12:00:00+01:00"),
            publish=True,
            title=f"Day {day}",
        )
        shifts.append(api.call("POST", "/jobs", token=employer, json_body=body).body["shifts"][0]["shift_id"])
    table = boto3.resource("dynamodb").Table(table_name)
    table.update_item(Key={"PK": f"SHIFT#{shifts[2]}", "SK": "SHIFT"}, UpdateExpression="SET filled = slots")
    token = api.token("participant", participant_id="p")
    seen, cursor = [], None
    while True:
        page = api.call("GET", "/jobs?limit=2" + (f"&cursor={cursor}" if cursor else ""), token=token).body
        seen += [j["title"] for j in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ["Day 1", "Day 2", "Day 4", "Day 5", "Day 6", "Day 7"]
