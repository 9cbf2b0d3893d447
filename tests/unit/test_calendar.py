"""The participant's calendar feed (issue 20) through the API (in process, moto): the .ics is
parsed back with icalendar, as a calendar client would read it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse

import pytest
from icalendar import Calendar

from tests.helpers import Api, drain, participant_body
from tests.unit.test_applications import SHIFT, World


@pytest.fixture
def world(api: Api, aws: dict[str, Any]) -> World:
    return World(api, aws)


def _turn_on(world: World, token: str) -> str:
    answer = world.api.call("POST", "/me/calendar", token=token)
    assert answer.status == 200, answer.body
    assert answer.body["enabled"] is True
    return urlparse(answer.body["url"]).path


def _feed(world: World, path: str) -> Any:
    drain(world.aws)
    return world.api.call("GET", path)


def _events(world: World, path: str) -> dict[str, Any]:
    """The feed's events by SUMMARY's title part (the job title)."""
    answer = _feed(world, path)
    assert answer.status == 200, answer.body
    assert answer.headers["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(answer.body)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_a_confirmed_shift_is_an_event_with_its_place_and_utc_times(world: World) -> None:
    _, me = world.participant()
    path = _turn_on(world, me)
    confirmed = world.confirmed(world.shift(), me)
    world.apply(world.shift("2026-12-02T08:00:00+01:00", "2026-12-02T12:00:00+01:00"), me)  # only applied
    events = _events(world, path)
    assert len(events) == 1, "only the confirmed shift is in the calendar"
    (event,) = events.values()
    assert str(event["summary"]) == "Help in the city gardens \u2013 B\u00e4ckerei Glauser"
    assert str(event["location"]) == "Alter Aargauerstalden 31b, 3006 Bern"
    assert event.decoded("dtstart") == datetime(2026, 12, 1, 7, 0, tzinfo=UTC)  # 08:00 in Zurich
    assert event.decoded("dtend") == datetime(2026, 12, 1, 11, 0, tzinfo=UTC)
    assert str(event["status"]) == "CONFIRMED" and int(event["sequence"]) == 0
    assert confirmed not in str(event["uid"]), "the UID does not spell out the application's ids"


def test_a_cancelled_shift_keeps_its_uid_with_status_cancelled_and_a_new_sequence(world: World) -> None:
    _, me = world.participant()
    path = _turn_on(world, me)
    app_id = world.confirmed(world.shift(), me)
    (uid, before), *_ = _events(world, path).items()
    world.clock("2026-11-26T10:00:00+01:00")
    assert world.act(app_id, "cancel", world.employer, {"reason": "Rain"}).status == 200
    after = _events(world, path)
    assert list(after) == [uid], "the same event, not a second one"
    event = after[uid]
    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == int(before["sequence"]) + 1
    assert event.decoded("dtstamp") > before.decoded("dtstamp")
    assert str(event["summary"]).startswith("Abgesagt: ")  # the participant reads German (the default)
    assert "Rain" not in _feed(world, path).body, "never the free-text reason"


def test_a_cancelled_shift_cancels_its_event_and_a_repeat_changes_nothing(world: World) -> None:
    _, me = world.participant()
    path = _turn_on(world, me)
    shift = world.shift()
    world.confirmed(shift, me)
    assert (
        world.api.call("POST", f"/shifts/{shift}/cancel", token=world.employer, json_body={"reason": "x"}).status == 200
    )
    first = _events(world, path)
    assert [str(e["status"]) for e in first.values()] == ["CANCELLED"]
    again = _events(world, path)
    assert [int(e["sequence"]) for e in again.values()] == [int(e["sequence"]) for e in first.values()]


def test_renewing_makes_the_old_url_404_and_turning_off_the_new_one(world: World) -> None:
    _, me = world.participant()
    world.confirmed(world.shift(), me)
    old = _turn_on(world, me)
    assert _feed(world, old).status == 200
    new = _turn_on(world, me)
    assert new != old
    assert _feed(world, old).status == 404
    assert len(_events(world, new)) == 1
    assert world.api.call("GET", "/me/calendar", token=me).body["enabled"] is True
    off = world.api.call("DELETE", "/me/calendar", token=me)
    assert off.status == 200 and off.body == {"enabled": False, "turned_on_at": None, "url": None}
    assert _feed(world, new).status == 404
    status = world.api.call("GET", "/me/calendar", token=me).body
    assert status["enabled"] is False and status["url"] is None


def test_another_participants_secret_never_shows_your_shifts(world: World) -> None:
    mine, me = world.participant()
    theirs, them = world.participant()
    world.confirmed(world.shift(), me)
    my_path, their_path = _turn_on(world, me), _turn_on(world, them)
    assert _events(world, their_path) == {}, "their calendar is empty"
    their_secret = their_path.rsplit("/", 1)[1].split(".", 1)[1]
    assert my_path.rsplit("/", 1)[1].startswith(mine + ".")
    forged = f"/calendar/{mine}.{their_secret}"
    assert _feed(world, forged).status == 404
    for name in ("nothing", f"{mine}.ics", f"{mine}..ics", my_path.rsplit("/", 1)[1].removesuffix(".ics")):
        answer = _feed(world, f"/calendar/{name}")
        assert answer.status == 404 and answer.error_code == "not_found", name
    assert theirs not in _feed(world, my_path).body


def test_the_feed_says_nothing_about_assistance(world: World) -> None:
    body = participant_body(case_reference="SOZ-2026-4711")
    pid, me = world.participant(case_reference=body["case_reference"])
    path = _turn_on(world, me)
    world.confirmed(world.shift(), me)
    text = _feed(world, path).body
    for word in ("SOZ-2026-4711", "cw-1", "assistance", "Sozialhilfe", "aide sociale", pid):
        assert word not in text


def test_the_feed_is_in_the_participants_language_and_leaves_out_shifts_long_over(world: World) -> None:
    _, me = world.participant(preferred_language="fr")
    path = _turn_on(world, me)
    world.confirmed(world.shift(), me)
    text = _feed(world, path).body
    assert "X-WR-CALNAME:Mes missions" in text
    world.clock("2027-03-15T09:00:00+01:00")  # more than 90 days after the shift ended
    assert _events(world, path) == {}


def test_only_the_participant_role_turns_it_on_and_erasure_turns_it_off(world: World) -> None:
    pid, me = world.participant()
    path = _turn_on(world, me)
    for role in ("employer", "caseworker", "admin"):
        assert world.api.call("POST", "/me/calendar", token=world.api.token(role, f"{role}-9")).status == 403
    assert world.api.call("POST", f"/participants/{pid}/erase", token=world.api.admin()).status == 200
    assert _feed(world, path).status == 404
    assert world.api.call("POST", "/me/calendar", token=me).status == 404


def test_a_repeated_change_keeps_the_event_as_it_is(world: World) -> None:
    from tremplin.logic import calendar

    _, me = world.participant()
    path = _turn_on(world, me)
    app_id = world.confirmed(world.shift(), me)
    before = _events(world, path)
    stored = {k: v for k, v in world.stored(app_id).items() if k not in ("PK", "SK")}
    assert calendar.refresh(stored, str(stored["updated_at"])) is False  # a redelivered change
    assert [int(e["sequence"]) for e in _events(world, path).values()] == [int(e["sequence"]) for e in before.values()]
    assert SHIFT[0] == "2026-12-01T08:00:00+01:00"


def test_an_edited_job_changes_the_same_event(world: World) -> None:
    _, me = world.participant()
    path = _turn_on(world, me)
    shift = world.shift()
    world.confirmed(shift, me)
    (uid, before), *_ = _events(world, path).items()
    job_id = world.api.call("GET", f"/shifts/{shift}", token=world.employer).body["job_id"]
    moved = {"street": "Bundesplatz 3", "postcode": "3005", "city": "Bern"}
    edit = {"title": "Winter gardening", "location": moved}
    assert world.api.call("PATCH", f"/jobs/{job_id}", token=world.employer, json_body=edit).status == 200
    after = _events(world, path)
    assert list(after) == [uid]
    assert str(after[uid]["summary"]).startswith("Winter gardening")
    assert str(after[uid]["location"]) == "Bundesplatz 3, 3005 Bern"
    assert int(after[uid]["sequence"]) == int(before["sequence"]) + 1
