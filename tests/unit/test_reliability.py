"""The reliability record on the employer's applicant card (README "Reliability record"): no-shows
and late cancellations by the participant count for six months after the shift's start, never once
excused; who may excuse, the named 409, idempotence, the audit, the caseworker's activity."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.helpers import Api
from tests.unit.test_applications import World
from tremplin import reliability

SHIFT = ("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00")
STARTED = "2026-12-01T08:30:00+01:00"
CW = "cw-rel"


@pytest.fixture
def world(api: Api, aws: dict[str, Any]) -> World:
    return World(api, aws)


def _no_show(world: World, token: str, shift: tuple[str, str] = SHIFT) -> str:
    world.clock("2026-11-25T09:00:00+01:00")
    app_id = world.confirmed(world.shift(*shift), token)
    world.clock(shift[0])
    assert world.act(app_id, "no-show", world.employer).status == 200
    return app_id


def _card(world: World, app_id: str) -> dict[str, Any]:
    answer = world.api.call("GET", f"/applications/{app_id}", token=world.employer)
    assert answer.status == 200, answer.body
    return dict(answer.body["applicant"])


def _excuse(world: World, app_id: str, token: str, reason: str = "illness") -> Any:
    return world.act(app_id, "excuse", token, {"reason": reason})


def test_a_no_show_counts_for_six_months_to_the_minute() -> None:
    at = "2026-12-01T07:00:00+00:00"  # 08:00 in Zurich
    assert reliability.counts(at, datetime(2027, 6, 1, 5, 59, tzinfo=UTC))  # 07:59 CEST
    assert not reliability.counts(at, datetime(2027, 6, 1, 6, 0, tzinfo=UTC))  # 08:00 CEST: six months on
    # From the 31st the six months end on the shorter month's last day.
    assert reliability.months_later(datetime(2026, 8, 31, 10, 0), 6) == datetime(2027, 2, 28, 10, 0)


def test_the_card_forgets_a_no_show_after_six_months(world: World) -> None:
    _, me = world.participant(caseworker=CW)
    app_id = _no_show(world, me)
    assert (_card(world, app_id)["no_show_count"], _card(world, app_id)["late_cancellation_count"]) == (1, 0)
    world.clock("2027-06-01T07:59:00+02:00")
    assert _card(world, app_id)["no_show_count"] == 1
    world.clock("2027-06-01T08:00:00+02:00")
    assert _card(world, app_id)["no_show_count"] == 0


def test_a_late_cancellation_by_the_participant_counts_one_by_the_employer_does_not(world: World) -> None:
    _, me = world.participant(caseworker=CW)
    mine = world.confirmed(world.shift(), me)
    world.clock("2026-11-30T12:00:00+01:00")  # 20 h ahead: late
    assert world.act(mine, "cancel", me, {"reason": "Verschlafen"}).status == 200
    theirs = world.confirmed(world.shift("2026-12-02T08:00:00+01:00", "2026-12-02T12:00:00+01:00"), me)
    world.clock("2026-12-01T12:00:00+01:00")
    assert world.act(theirs, "cancel", world.employer, {"reason": "Regen"}).status == 200
    assert _card(world, mine)["late_cancellation_count"] == 1
    refused = _excuse(world, theirs, world.api.token("caseworker", CW))  # the employer cancelled: no miss
    assert refused.status == 409 and refused.body["error"]["code"] == "not_excusable"
    assert _excuse(world, mine, world.api.token("caseworker", CW), "care_duties").status == 200
    assert _card(world, mine)["late_cancellation_count"] == 0


def test_the_caseworker_excuses_once_and_it_never_counts_again(world: World) -> None:
    pid, me = world.participant(caseworker=CW)
    app_id = _no_show(world, me)
    cw = world.api.token("caseworker", CW)
    first = _excuse(world, app_id, cw)
    assert first.status == 200, first.body
    assert first.body["excuse"]["reason"] == "illness" and first.body["status"] == "no_show"
    assert _card(world, app_id)["no_show_count"] == 0
    again = _excuse(world, app_id, world.api.admin(), "other")  # idempotent: the first excuse stands
    assert again.status == 200 and again.body["excuse"] == first.body["excuse"]
    assert world.stored(app_id)["excuse"]["reason"] == "illness"
    # A later no-show still counts; the excused one does not come back.
    second = _no_show(world, me, ("2026-12-05T08:00:00+01:00", "2026-12-05T12:00:00+01:00"))
    assert _card(world, second)["no_show_count"] == 1
    audit = world.api.call("GET", f"/participants/{pid}/audit", token=world.api.admin()).body["items"]
    assert [e["action"] for e in audit].count("excuse_miss") == 1
    activity = world.api.call("GET", f"/participants/{pid}/activity", token=cw).body["applications"]
    assert {a["application_id"]: (a.get("excuse") or {}).get("reason") for a in activity}[app_id] == "illness"
    exported = world.api.call("GET", "/me/export", token=me)  # the record is theirs to see, as stored
    assert exported.status == 200 and app_id in str(exported.body)


def test_only_a_miss_can_be_excused_and_only_by_its_caseworker_or_an_admin(world: World) -> None:
    _, me = world.participant(caseworker=CW)
    confirmed = world.confirmed(world.shift(), me)
    refused = _excuse(world, confirmed, world.api.token("caseworker", CW))
    assert refused.status == 409 and refused.body["error"]["code"] == "not_excusable"
    assert "excuse" not in world.stored(confirmed)
    app_id = _no_show(world, me, ("2026-12-03T08:00:00+01:00", "2026-12-03T12:00:00+01:00"))
    other = _excuse(world, app_id, world.api.token("caseworker", "cw-other"))
    assert other.status == 404 and other.body["error"]["code"] == "not_found"
    assert _excuse(world, "nope", world.api.admin()).status == 404
    assert _excuse(world, app_id, world.employer).status == 403
    assert _excuse(world, app_id, me).status == 403
    wrong = _excuse(world, app_id, world.api.admin(), "overslept")
    assert wrong.status == 422
    assert "excuse" not in world.stored(app_id) and _card(world, app_id)["no_show_count"] == 1
    assert _excuse(world, app_id, world.api.admin(), "transport_failure").status == 200
