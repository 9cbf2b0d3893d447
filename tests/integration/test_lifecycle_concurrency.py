"""The invariants of the shift lifecycle under real concurrency, on DynamoDB Local."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest

from tests.helpers import Api, create_org, job_body, participant_body, shift_body

pytestmark = pytest.mark.integration

NOW = "2026-11-25T09:00:00+01:00"


def _participants(api: Api, n: int) -> list[str]:
    def enrol(i: int) -> str:
        # No weekly cap: twenty rounds of offers may land on one participant in one week.
        body = participant_body(email=f"c{i}@example.ch", weekly_hours_limit=None)
        answer = api.call("POST", "/participants", token=api.token("caseworker", "cw-1"), json_body=body)
        assert answer.status == 201, answer.body
        token = api.token("participant", f"u{i}", participant_id=answer.body["participant_id"])
        assert api.call("POST", "/me/consent", token=token, json_body={"version": "2026-01"}).status == 200
        return token

    with ThreadPoolExecutor(max_workers=10) as pool:
        return list(pool.map(enrol, range(n)))


def _shift(api: Api, employer: str, start: str, end: str, slots: int) -> str:
    body = job_body(shift_body(start, end, slots=slots), publish=True)
    answer = api.call("POST", "/jobs", token=employer, json_body=body)
    assert answer.status == 201, answer.body
    return str(answer.body["shifts"][0]["shift_id"])


def _stored_shift(table: str, shift_id: str) -> dict[str, Any]:
    return dict(
        boto3.resource("dynamodb").Table(table).get_item(Key={"PK": f"SHIFT#{shift_id}", "SK": "SHIFT"})["Item"]
    )


def test_fifty_accepts_on_a_five_slot_shift_make_exactly_five_offers_twenty_times(api: Api, table_name: str) -> None:
    api.call("POST", "/_local/clock", json_body={"now": NOW})
    employer = api.employer(create_org(api))
    tokens = _participants(api, 50)
    for round_ in range(20):
        day = 1 + round_
        shift = _shift(api, employer, f"2026-12-{day:02d}T08:00:00+01:00", f"2026-12-{day:02d}T12:00:00+01:00", slots=5)

        def apply(token: str, shift: str = shift) -> str:
            answer = api.call("POST", f"/shifts/{shift}/applications", token=token)
            assert answer.status == 201, answer.body
            return str(answer.body["application_id"])

        with ThreadPoolExecutor(max_workers=10) as pool:
            apps = list(pool.map(apply, tokens))
        barrier = threading.Barrier(50)

        def accept(app_id: str, barrier: threading.Barrier = barrier) -> tuple[int, str | None]:
            barrier.wait()
            answer = api.call("POST", f"/applications/{app_id}/accept", token=employer)
            return answer.status, answer.error_code

        with ThreadPoolExecutor(max_workers=50) as pool:
            results = Counter(pool.map(accept, apps))
        assert results == Counter({(200, None): 5, (409, "shift_full"): 45}), f"round {round_}: {results}"
        stored = _stored_shift(table_name, shift)
        assert (stored["filled"], stored["slots"]) == (5, 5)


def test_two_employers_offering_overlapping_shifts_at_once_make_one_offer_twenty_times(
    api: Api, table_name: str
) -> None:
    api.call("POST", "/_local/clock", json_body={"now": NOW})
    first, second = api.employer(create_org(api, name="A AG")), api.employer(create_org(api, name="B AG"))
    tokens = _participants(api, 20)
    for round_, token in enumerate(tokens):
        day = 1 + round_
        a = _shift(api, first, f"2026-12-{day:02d}T08:00:00+01:00", f"2026-12-{day:02d}T12:00:00+01:00", slots=3)
        b = _shift(api, second, f"2026-12-{day:02d}T10:00:00+01:00", f"2026-12-{day:02d}T14:00:00+01:00", slots=3)
        apps = [
            (api.call("POST", f"/shifts/{s}/applications", token=token).body["application_id"], employer)
            for s, employer in ((a, first), (b, second))
        ]
        barrier = threading.Barrier(2)

        def accept(pair: tuple[str, str], barrier: threading.Barrier = barrier) -> tuple[int, str | None]:
            barrier.wait()
            answer = api.call("POST", f"/applications/{pair[0]}/accept", token=pair[1])
            return answer.status, answer.error_code

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = sorted(pool.map(accept, apps), key=str)
        assert results == sorted([(200, None), (409, "overlapping_shift")], key=str), f"round {round_}: {results}"
        assert _stored_shift(table_name, a)["filled"] + _stored_shift(table_name, b)["filled"] == 1


def test_the_same_accept_sent_ten_times_at_once_takes_one_slot(api: Api, table_name: str) -> None:
    api.call("POST", "/_local/clock", json_body={"now": NOW})
    employer = api.employer(create_org(api))
    token = _participants(api, 1)[0]
    shift = _shift(api, employer, "2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00", slots=5)
    app_id = api.call("POST", f"/shifts/{shift}/applications", token=token).body["application_id"]
    barrier = threading.Barrier(10)

    def accept(_: int) -> int:
        barrier.wait()
        return api.call("POST", f"/applications/{app_id}/accept", token=employer).status

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = Counter(pool.map(accept, range(10)))
    assert statuses == Counter({200: 1, 409: 9})
    assert _stored_shift(table_name, shift)["filled"] == 1


def test_fifty_participants_applying_at_once_each_get_one_application(api: Api, table_name: str) -> None:
    api.call("POST", "/_local/clock", json_body={"now": NOW})
    employer = api.employer(create_org(api))
    tokens = _participants(api, 50)
    shift = _shift(api, employer, "2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00", slots=5)
    barrier = threading.Barrier(50)

    def apply_twice(token: str) -> list[int]:
        barrier.wait()
        return [api.call("POST", f"/shifts/{shift}/applications", token=token).status for _ in range(2)]

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(apply_twice, tokens))
    assert results == [[201, 409]] * 50
    listed = api.call("GET", f"/shifts/{shift}/applications?limit=200", token=employer).body["items"]
    assert len(listed) == 50
