"""Invitations racing with applications for one shift's slots, on DynamoDB Local (favourites)."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest

from tests.helpers import Api, create_org, job_body, shift_body
from tests.integration.test_lifecycle_concurrency import _participants, _shift

pytestmark = pytest.mark.integration

NOW = "2026-11-25T09:00:00+01:00"
WORKED = ("2026-11-26T08:00:00+01:00", "2026-11-26T12:00:00+01:00")
HOURS = {"started_at": WORKED[0], "ended_at": WORKED[1], "break_minutes": 0}


def _pid(api: Api, token: str) -> str:
    return str(api.call("GET", "/me", token=token).body["participant_id"])


def _worked_with_all(api: Api, employer: str, tokens: list[str]) -> None:
    """Every participant completes a shift with the employer's organisation."""
    shift = _shift(api, employer, *WORKED, slots=len(tokens))

    def confirm(token: str) -> str:
        app_id = api.call("POST", f"/shifts/{shift}/applications", token=token).body["application_id"]
        assert api.call("POST", f"/applications/{app_id}/accept", token=employer).status == 200
        assert api.call("POST", f"/applications/{app_id}/confirm", token=token).status == 200
        return str(app_id)

    with ThreadPoolExecutor(max_workers=10) as pool:
        apps = list(pool.map(confirm, tokens))
    api.call("POST", "/_local/clock", json_body={"now": "2026-11-26T12:30:00+01:00"})

    def complete(pair: tuple[str, str]) -> None:
        app_id, token = pair
        assert api.call("POST", f"/applications/{app_id}/hours", token=employer, json_body=HOURS).status == 200
        assert api.call("POST", f"/applications/{app_id}/hours/approve", token=token).status == 200

    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(complete, zip(apps, tokens, strict=True)))


def _stored_shift(table: str, shift_id: str) -> dict[str, Any]:
    return dict(
        boto3.resource("dynamodb").Table(table).get_item(Key={"PK": f"SHIFT#{shift_id}", "SK": "SHIFT"})["Item"]
    )


def test_invitations_and_accepts_racing_for_five_slots_make_exactly_five_offers_five_times(
    api: Api, table_name: str
) -> None:
    api.call("POST", "/_local/clock", json_body={"now": NOW})
    org = create_org(api)
    employer = api.employer(org)
    tokens = _participants(api, 30)
    _worked_with_all(api, employer, tokens)
    favourites = [_pid(api, t) for t in tokens[:15]]
    for pid in favourites:
        assert api.call("PUT", f"/organisations/{org}/favourites/{pid}", token=employer).status == 200
    for round_ in range(5):
        day = 1 + round_
        shift = _shift(api, employer, f"2026-12-{day:02d}T08:00:00+01:00", f"2026-12-{day:02d}T12:00:00+01:00", 5)
        apps = [api.call("POST", f"/shifts/{shift}/applications", token=t).body["application_id"] for t in tokens[15:]]
        barrier = threading.Barrier(30)

        def invite(pid: str, shift: str = shift, barrier: threading.Barrier = barrier) -> tuple[int, str | None]:
            barrier.wait()
            answer = api.call("POST", f"/shifts/{shift}/invitations", token=employer, json_body={"participant_id": pid})
            return answer.status, answer.error_code

        def accept(app_id: str, barrier: threading.Barrier = barrier) -> tuple[int, str | None]:
            barrier.wait()
            answer = api.call("POST", f"/applications/{app_id}/accept", token=employer)
            return answer.status, answer.error_code

        with ThreadPoolExecutor(max_workers=30) as pool:
            invited = [pool.submit(invite, pid) for pid in favourites]
            accepted = [pool.submit(accept, app_id) for app_id in apps]
            results = Counter(f.result() for f in invited + accepted)
        made = results[(201, None)] + results[(200, None)]
        assert made == 5 and results[(409, "shift_full")] == 25, f"round {round_}: {results}"
        stored = _stored_shift(table_name, shift)
        assert (stored["filled"], stored["slots"]) == (5, 5)


def test_one_invitation_sent_ten_times_at_once_makes_one_offer(api: Api, table_name: str) -> None:
    api.call("POST", "/_local/clock", json_body={"now": NOW})
    org = create_org(api)
    employer = api.employer(org)
    [token] = _participants(api, 1)
    _worked_with_all(api, employer, [token])
    pid = _pid(api, token)
    assert api.call("PUT", f"/organisations/{org}/favourites/{pid}", token=employer).status == 200
    body = job_body(shift_body("2026-12-03T08:00:00+01:00", "2026-12-03T12:00:00+01:00", slots=3), publish=True)
    shift = api.call("POST", "/jobs", token=employer, json_body=body).body["shifts"][0]["shift_id"]
    barrier = threading.Barrier(10)

    def invite(_: int) -> tuple[int, str]:
        barrier.wait()
        answer = api.call("POST", f"/shifts/{shift}/invitations", token=employer, json_body={"participant_id": pid})
        return answer.status, str(answer.body.get("application_id"))

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = set(pool.map(invite, range(10)))
    assert answers == {(201, f"app.{shift}.{pid}")}
    assert _stored_shift(table_name, shift)["filled"] == 1
