"""Offers of regular employment under real concurrency, on DynamoDB Local: one open offer per
organisation and participant however many are sent at once, and an answer racing a withdrawal
ends in exactly one of them, with the exit recorded exactly when the acceptance is."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest

from tests.helpers import Api, all_items, create_org, job_body, participant_body, shift_body

pytestmark = pytest.mark.integration

NOW = "2026-11-25T09:00:00+01:00"
SHIFT = ("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00")
OFFER = {"start_date": "2027-01-04", "contract": "permanent", "workload_percent": 100, "position_title": "Koch"}


def _worked(api: Api, employer: str) -> tuple[str, str]:
    """A participant who completed a shift for the employer's organisation: (id, token)."""
    api.call("POST", "/_local/clock", json_body={"now": NOW})
    made = api.call("POST", "/participants", token=api.token("caseworker", "cw-1"), json_body=participant_body())
    pid = str(made.body["participant_id"])
    token = api.token("participant", "u1", participant_id=pid)
    assert api.call("POST", "/me/consent", token=token, json_body={"version": "2026-01"}).status == 200
    shift = api.call("POST", "/jobs", token=employer, json_body=job_body(shift_body(*SHIFT), publish=True)).body
    app = api.call("POST", f"/shifts/{shift['shifts'][0]['shift_id']}/applications", token=token).body
    path = f"/applications/{app['application_id']}"
    assert api.call("POST", f"{path}/accept", token=employer).status == 200
    assert api.call("POST", f"{path}/confirm", token=token).status == 200
    api.call("POST", "/_local/clock", json_body={"now": SHIFT[1]})
    hours = {"started_at": SHIFT[0], "ended_at": SHIFT[1], "break_minutes": 0}
    assert api.call("POST", f"{path}/hours", token=employer, json_body=hours).status == 200
    assert api.call("POST", f"{path}/hours/approve", token=token).status == 200
    return pid, token


def _at_once(calls: list[Any]) -> Counter[tuple[int, str | None]]:
    barrier = threading.Barrier(len(calls))

    def run(call: Any) -> tuple[int, str | None]:
        barrier.wait()
        answer = call()
        return answer.status, answer.error_code

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return Counter(pool.map(run, calls))


def _offers(table: str) -> list[dict[str, Any]]:
    return [i for i in all_items(table) if i["type"] == "regular_offer"]


def test_ten_offers_at_once_leave_one_open_and_a_decline_racing_a_withdrawal_ends_in_one(
    api: Api, table_name: str
) -> None:
    employer = api.employer(create_org(api))
    pid, token = _worked(api, employer)
    body = OFFER | {"participant_id": pid}
    for round_ in range(5):
        sent = _at_once([lambda: api.call("POST", "/regular-offers", token=employer, json_body=body)] * 10)
        assert sent == Counter({(201, None): 1, (409, "open_offer_exists"): 9}), f"round {round_}: {sent}"
        [offer] = [o for o in _offers(table_name) if o["status"] == "open"]
        path = f"/regular-offers/{offer['offer_id']}"
        raced = _at_once(
            [
                lambda path=path: api.call("POST", f"{path}/decline", token=token),
                lambda path=path: api.call("POST", f"{path}/withdraw", token=employer),
            ]
        )
        assert sorted(raced) in (
            [(200, None), (409, "offer_already_answered")],
            [(200, None), (409, "offer_withdrawn")],
        ), f"round {round_}: {raced}"
    assert sorted({o["status"] for o in _offers(table_name)} - {"declined", "withdrawn"}) == []
    assert len(_offers(table_name)) == 5  # one offer per round, each closed


def test_an_acceptance_racing_a_withdrawal_records_the_exit_only_if_it_won(api: Api, table_name: str) -> None:
    employer = api.employer(create_org(api))
    pid, token = _worked(api, employer)
    offer = api.call("POST", "/regular-offers", token=employer, json_body=OFFER | {"participant_id": pid}).body
    path = f"/regular-offers/{offer['offer_id']}"
    raced = _at_once(
        [
            lambda: api.call("POST", f"{path}/accept", token=token),
            lambda: api.call("POST", f"{path}/withdraw", token=employer),
        ]
    )
    assert sorted(raced) in ([(200, None), (409, "offer_already_answered")], [(200, None), (409, "offer_withdrawn")])
    [stored] = _offers(table_name)
    table = boto3.resource("dynamodb").Table(table_name)
    profile: dict[str, Any] = dict(table.get_item(Key={"PK": f"PART#{pid}", "SK": "PROFILE"})["Item"])
    if stored["status"] == "accepted":
        assert (profile["status"], profile["exit"]["outcome"], profile["exit"]["date"]) == (
            "exited",
            "regular_employment",
            "2027-01-04",
        )
    else:
        assert stored["status"] == "withdrawn" and profile["status"] == "active" and "exit" not in profile
