"""Check-in at the site (issue 20): the employer's rotating, signed QR code; the participant's
scans at arrival and departure; the employer's check-in for someone without a phone; the times
in the hours form's data. Through the API, on what each side sees and on stored state."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.helpers import Api
from tests.unit.test_applications import SHIFT, World
from tremplin import check_in_codes

BEFORE_WINDOW = "2026-12-01T07:44:00+01:00"  # 16 minutes before the start
WINDOW_OPENS = "2026-12-01T07:45:00+01:00"
ARRIVAL = "2026-12-01T07:52:00+01:00"
DEPARTURE = "2026-12-01T12:04:00+01:00"
LAST_CHANCE = "2026-12-01T14:00:00+01:00"  # 2 hours after the end
TOO_LATE = "2026-12-01T14:01:00+01:00"
LOCAL_KEY = b"local-check-in-secret"


def _utc(text: str) -> str:
    """Times as the API answers them (and stores them): UTC."""
    return datetime.fromisoformat(text).astimezone(UTC).isoformat()


@pytest.fixture
def world(api: Api, aws: dict[str, Any]) -> World:
    return World(api, aws)


def _code(world: World, shift: str, token: str | None = None) -> Any:
    return world.api.call("GET", f"/shifts/{shift}/check-in-code", token=token or world.employer)


def _scan(world: World, token: str, code: str) -> Any:
    return world.api.call("POST", "/check-in", token=token, json_body={"code": code})


def _by_employer(world: World, app_id: str, event: str, token: str | None = None) -> Any:
    return world.act(app_id, "check-in", token or world.employer, {"event": event})


def _placed(world: World) -> tuple[str, str, str]:
    """A shift, a participant's token and their confirmed application on it."""
    shift = world.shift()
    _, me = world.participant()
    return shift, me, world.confirmed(shift, me)


def _current_code(world: World, shift: str, now: str) -> str:
    world.clock(now)
    answer = _code(world, shift)
    assert answer.status == 200 and answer.body["state"] == "open", answer.body
    return str(answer.body["code"])


# ---------------------------------------------------------------- the code and its window


def test_the_code_is_shown_from_15_minutes_before_the_start_until_2_hours_after_the_end(world: World) -> None:
    shift, _, _ = _placed(world)
    expected = {BEFORE_WINDOW: "not_open", WINDOW_OPENS: "open", LAST_CHANCE: "open", TOO_LATE: "closed"}
    for now, state in expected.items():
        world.clock(now)
        answer = _code(world, shift).body
        assert answer["state"] == state, now
        assert answer["opens_at"] == _utc(WINDOW_OPENS) and answer["closes_at"] == _utc(LAST_CHANCE)
        assert (answer["code"] is not None) is (state == "open")
    world.clock(WINDOW_OPENS)
    shown = _code(world, shift).body
    assert shown["url"].endswith(f"/#/check-in/{shown['code']}")
    assert shown["qr_svg_uri"].startswith("data:image/svg+xml")
    assert shown["refresh_at"] == _utc("2026-12-01T07:50:00+01:00")


def test_a_scan_is_refused_before_the_window_accepted_in_it_and_refused_after_it(world: World) -> None:
    shift, me, app_id = _placed(world)
    early = check_in_codes.make(LOCAL_KEY, shift, datetime.fromisoformat(BEFORE_WINDOW))  # genuine, but too early
    world.clock(BEFORE_WINDOW)
    refused = _scan(world, me, early)
    assert refused.status == 409 and refused.error_code == "check_in_not_open"
    assert "check_in" not in world.stored(app_id)
    late = check_in_codes.make(LOCAL_KEY, shift, datetime.fromisoformat(TOO_LATE))
    world.clock(TOO_LATE)
    refused = _scan(world, me, late)
    assert refused.status == 409 and refused.error_code == "check_in_closed"
    assert "check_in" not in world.stored(app_id)
    answer = _scan(world, me, _current_code(world, shift, WINDOW_OPENS))
    assert answer.status == 200, answer.body
    assert answer.body["check_in"] == {
        "arrived_at": _utc(WINDOW_OPENS),
        "arrival_by": "participant",
        "departed_at": None,
        "departure_by": None,
    }


def test_a_changed_or_forged_code_is_refused_and_records_nothing(world: World) -> None:
    shift, me, app_id = _placed(world)
    other_shift = world.shift()
    code = _current_code(world, shift, ARRIVAL)
    shift_part, step, signature = code.split(".")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    forged = [
        f"{shift_part}.{step}.{flipped}",  # the signature changed
        f"{other_shift}.{step}.{signature}",  # another shift under this signature
        f"{shift_part}.{int(step) - 1}.{signature}",  # another time under this signature
        check_in_codes.make(b"another key", shift, datetime.fromisoformat(ARRIVAL)),
        check_in_codes.make(LOCAL_KEY, shift, datetime.fromisoformat("2026-12-01T08:30:00+01:00")),  # the future
        "not a code",
    ]
    for bad in forged:
        answer = _scan(world, me, bad)
        assert answer.status == 409 and answer.error_code == "check_in_code_invalid", bad
    assert "check_in" not in world.stored(app_id)


def test_codes_rotate_every_5_minutes_and_the_previous_one_stays_valid_for_one_more(world: World) -> None:
    shift, me, app_id = _placed(world)
    first = _current_code(world, shift, "2026-12-01T07:51:00+01:00")
    assert _current_code(world, shift, "2026-12-01T07:54:59+01:00") == first
    second = _current_code(world, shift, "2026-12-01T07:55:00+01:00")
    assert second != first
    world.clock("2026-12-01T07:59:59+01:00")  # the previous period's code: still accepted
    assert _scan(world, me, first).status == 200
    assert world.stored(app_id)["check_in"]["arrived_at"] == _utc("2026-12-01T07:59:59+01:00")
    world.clock("2026-12-01T08:30:00+01:00")  # two periods later: expired
    expired = _scan(world, me, second)
    assert expired.status == 409 and expired.error_code == "check_in_code_expired"
    assert "departed_at" not in world.stored(app_id)["check_in"]


# ---------------------------------------------------------------- the scans


def test_scans_record_arrival_once_then_departure_once(world: World) -> None:
    shift, me, app_id = _placed(world)
    assert _scan(world, me, _current_code(world, shift, ARRIVAL)).status == 200
    again = _scan(world, me, _current_code(world, shift, "2026-12-01T08:06:00+01:00"))  # 14 min: the same arrival
    assert again.status == 200 and again.body["check_in"]["arrived_at"] == _utc(ARRIVAL)
    assert again.body["check_in"]["departed_at"] is None
    leaving = _scan(world, me, _current_code(world, shift, DEPARTURE))
    assert leaving.status == 200
    assert leaving.body["check_in"] == {
        "arrived_at": _utc(ARRIVAL),
        "arrival_by": "participant",
        "departed_at": _utc(DEPARTURE),
        "departure_by": "participant",
    }
    later = _scan(world, me, _current_code(world, shift, "2026-12-01T12:30:00+01:00"))
    assert later.status == 200 and later.body["check_in"] == leaving.body["check_in"]
    assert world.stored(app_id)["check_in"] == leaving.body["check_in"]
    assert world.stored(app_id)["status"] == "confirmed"


def test_a_participant_without_a_confirmed_place_on_the_shift_gets_404(world: World) -> None:
    shift, _, _ = _placed(world)
    _, applicant = world.participant()
    world.apply(shift, applicant)  # applied, not offered
    _, stranger = world.participant()
    code = _current_code(world, shift, ARRIVAL)
    for token in (applicant, stranger):
        answer = _scan(world, token, code)
        assert answer.status == 404 and answer.error_code == "not_found"


def test_once_the_hours_are_recorded_the_check_in_is_closed(world: World) -> None:
    shift, me, app_id = _placed(world)
    code = _current_code(world, shift, DEPARTURE)
    assert world.act(app_id, "hours", world.employer, world.hours()).status == 200
    answer = _scan(world, me, code)
    assert answer.status == 409 and answer.error_code == "check_in_closed"
    assert "check_in" not in world.stored(app_id)


# ---------------------------------------------------------------- the employer, for someone without a phone


def test_the_employer_records_arrival_and_departure_each_once(world: World) -> None:
    _, _, app_id = _placed(world)
    world.clock(ARRIVAL)
    early = _by_employer(world, app_id, "departure")
    assert early.status == 409 and early.error_code == "not_arrived"
    assert _by_employer(world, app_id, "arrival").status == 200
    world.clock("2026-12-01T08:10:00+01:00")
    again = _by_employer(world, app_id, "arrival")
    assert again.status == 200 and again.body["check_in"]["arrived_at"] == _utc(ARRIVAL)
    world.clock(DEPARTURE)
    assert _by_employer(world, app_id, "departure").status == 200
    assert world.stored(app_id)["check_in"] == {
        "arrived_at": _utc(ARRIVAL),
        "arrival_by": "employer",
        "departed_at": _utc(DEPARTURE),
        "departure_by": "employer",
    }
    world.clock(TOO_LATE)
    assert _by_employer(world, app_id, "arrival").error_code == "check_in_closed"


def test_another_organisation_sees_neither_the_code_nor_the_application(world: World) -> None:
    shift, _, app_id = _placed(world)
    other = World(world.api, world.aws).employer
    world.clock(ARRIVAL)
    assert _code(world, shift, other).status == 404
    assert _by_employer(world, app_id, "arrival", other).status == 404
    assert "check_in" not in world.stored(app_id)


def test_the_recorded_times_reach_the_hours_form_data_and_the_employer_may_correct_them(world: World) -> None:
    shift, me, app_id = _placed(world)
    _scan(world, me, _current_code(world, shift, ARRIVAL))
    world.clock(DEPARTURE)
    _by_employer(world, app_id, "departure")
    [card] = world.api.call("GET", f"/shifts/{shift}/applications", token=world.employer).body["items"]
    assert card["check_in"]["arrived_at"] == _utc(ARRIVAL) and card["check_in"]["departed_at"] == _utc(DEPARTURE)
    corrected = world.hours("2026-12-01T08:00:00+01:00", DEPARTURE, 30)
    submitted = world.act(app_id, "hours", world.employer, corrected)
    assert submitted.status == 200 and submitted.body["hours"]["started_at"] == _utc(SHIFT[0])


def test_only_the_applications_function_holds_and_may_read_the_check_in_key() -> None:
    from local import template

    holders = {name for name, fn in template.functions().items() if "CHECK_IN_SECRET_ARN" in fn.environment}
    grant = {"AWSSecretsManagerGetSecretValuePolicy": {"SecretArn": {"Ref": "CheckInSecret"}}}
    granted = {
        name
        for name, resource in template.load()["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function" and grant in resource["Properties"].get("Policies", [])
    }
    assert holders == granted == {"ApplicationsFunction"}
