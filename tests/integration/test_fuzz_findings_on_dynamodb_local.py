"""Regressions for what schemathesis found that only DynamoDB itself shows (moto accepts what it refuses)."""

from __future__ import annotations

import pytest

from tests.helpers import Api, create_org, job_body, shift_body

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("to", ["0386-04-24T13%3A20%3A15.6-11%3A16", "2026-11-25T07%3A59%3A59%2B01%3A00"])
def test_browsing_a_window_that_ends_before_now_is_an_empty_page_not_a_500(api: Api, to: str) -> None:
    # DynamoDB refuses a BETWEEN whose upper bound is below its lower bound (now).
    api.call("POST", "/_local/clock", json_body={"now": "2026-11-25T09:00:00+01:00"})
    employer = api.employer(create_org(api))
    body = job_body(shift_body("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00"), publish=True)
    assert api.call("POST", "/jobs", token=employer, json_body=body).status == 201
    participant = api.token("participant", participant_id="p")
    answer = api.call("GET", f"/jobs?to={to}", token=participant)
    assert answer.status == 200, answer.body
    assert answer.body == {"items": [], "next_cursor": None}
    assert len(api.call("GET", "/jobs", token=participant).body["items"]) == 1
