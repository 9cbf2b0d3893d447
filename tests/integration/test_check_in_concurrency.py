"""Check-in at the site (issue 20) under real concurrency, on DynamoDB Local: scans of one
participant racing with each other and with the employer's check-in record one arrival and one
departure, and every answer tells the one that was recorded."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest

from tests.helpers import Api, create_org
from tests.integration.test_lifecycle_concurrency import _participants, _shift

pytestmark = pytest.mark.integration

NOW = "2026-11-25T09:00:00+01:00"
SHIFT = ("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00")


def _race(api: Api, employer: str, token: str, shift: str, app_id: str, event: str) -> list[Any]:
    """Ten scans by the participant and two records by the employer, all at once."""
    code = api.call("GET", f"/shifts/{shift}/check-in-code", token=employer).body["code"]

    def send(n: int) -> Any:
        if n % 6 == 0:
            return api.call("POST", f"/applications/{app_id}/check-in", token=employer, json_body={"event": event})
        return api.call("POST", "/check-in", token=token, json_body={"code": code})

    with ThreadPoolExecutor(max_workers=12) as pool:
        return list(pool.map(send, range(12)))


def test_racing_scans_and_employer_records_make_one_arrival_and_one_departure(api: Api, table_name: str) -> None:
    api.call("POST", "/_local/clock", json_body={"now": NOW})
    employer = api.employer(create_org(api))
    [token] = _participants(api, 1)
    shift = _shift(api, employer, *SHIFT, slots=1)
    app_id = api.call("POST", f"/shifts/{shift}/applications", token=token).body["application_id"]
    assert api.call("POST", f"/applications/{app_id}/accept", token=employer).status == 200
    assert api.call("POST", f"/applications/{app_id}/confirm", token=token).status == 200
    table = boto3.resource("dynamodb").Table(table_name)

    def stored() -> dict[str, Any]:
        return dict(table.get_item(Key={"PK": f"APP#{app_id}", "SK": "APP"}, ConsistentRead=True)["Item"]["check_in"])

    try:
        api.call("POST", "/_local/clock", json_body={"now": "2026-12-01T07:55:00+01:00"})
        arrivals = _race(api, employer, token, shift, app_id, "arrival")
        assert [a.status for a in arrivals] == [200] * 12, [a.body for a in arrivals]
        recorded = stored()
        assert {a.body["check_in"]["arrival_by"] for a in arrivals} == {recorded["arrival_by"]}
        assert "departed_at" not in recorded

        api.call("POST", "/_local/clock", json_body={"now": "2026-12-01T12:05:00+01:00"})
        departures = _race(api, employer, token, shift, app_id, "departure")
        assert [d.status for d in departures] == [200] * 12, [d.body for d in departures]
        recorded = stored()
        assert {d.body["check_in"]["departure_by"] for d in departures} == {recorded["departure_by"]}
        assert {d.body["check_in"]["arrival_by"] for d in departures} == {recorded["arrival_by"]}
    finally:
        api.call("DELETE", "/_local/clock")
