"""GET /me/progress and /participants/{id}/progress through the API (in process, moto): what the
participant and their caseworker see, who else sees nothing (404) or may not ask (403), and that
a staff read is audited."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Api
from tests.unit.test_applications import World

MORNING = ("2026-12-01T07:00:00+01:00", "2026-12-01T11:00:00+01:00")
EVENING = ("2026-12-01T17:00:00+01:00", "2026-12-01T21:00:00+01:00")
NEXT_DAY = ("2026-12-02T08:00:00+01:00", "2026-12-02T12:00:00+01:00")
LATER = "2026-12-10T12:00:00+01:00"


@pytest.fixture
def world(api: Api, aws: dict[str, Any]) -> World:
    return World(api, aws)


def _worked(world: World, token: str, shift: tuple[str, str], approve: bool = True) -> str:
    shift_id = world.shift(*shift, wage="22.39", break_minutes=0)
    app_id = world.confirmed(shift_id, token)
    world.clock(shift[1])
    assert world.act(app_id, "hours", world.employer, world.hours(*shift, break_minutes=0)).status == 200
    if approve:
        assert world.act(app_id, "hours/approve", token).status == 200
    world.clock("2026-11-25T09:00:00+01:00")
    return app_id


def _audit(world: World, pid: str) -> list[str]:
    answer = world.api.call("GET", f"/participants/{pid}/audit", token=world.api.token("admin", "a-1"))
    return [e["action"] for e in answer.body["items"]]


def test_the_participant_sees_days_not_shifts_and_only_completed_work(world: World) -> None:
    _, me = world.participant()
    for shift in (MORNING, EVENING, NEXT_DAY):
        _worked(world, me, shift)
    _worked(world, me, ("2026-12-03T08:00:00+01:00", "2026-12-03T12:00:00+01:00"), approve=False)
    world.clock(LATER)
    answer = world.api.call("GET", "/me/progress", token=me)
    assert answer.status == 200, answer.body
    body = answer.body
    # Two days (two shifts on the 1st count once): 2 x 1.4 = 2.8 calendar days = 0.0933 -> 0.09.
    assert body["contribution_months"] == "0.09"
    assert (body["worked_days"], body["completed_shifts"], body["employers"], body["months_worked"]) == (2, 3, 1, 1)
    assert (body["window_from"], body["window_to"]) == ("2024-12-11", "2026-12-10")
    assert body["estimate"] is True and body["required_months"] == 12
    assert body["hours"] == "12.00"
    # 4 h at 22.39: 89.55 + 2.85 + 7.70 + 8.35 = 108.45 a shift.
    assert body["gross"] == "325.35" and body["average_monthly_gross"] == "325.35"


def test_nothing_worked_is_zero_and_the_window_ends_today_in_zurich(world: World) -> None:
    _, me = world.participant()
    world.clock("2026-12-31T23:30:00+00:00")  # already 1 January in Zurich
    body = world.api.call("GET", "/me/progress", token=me).body
    assert (body["contribution_months"], body["worked_days"], body["gross"]) == ("0.00", 0, "0.00")
    assert (body["window_from"], body["window_to"]) == ("2025-01-02", "2027-01-01")
    assert body["average_monthly_gross"] == "0.00"


def test_the_caseworker_sees_the_same_and_the_read_is_audited(world: World) -> None:
    pid, me = world.participant()
    _worked(world, me, MORNING)
    world.clock(LATER)
    own = world.api.call("GET", f"/participants/{pid}/progress", token=world.api.token("caseworker", "cw-1"))
    assert own.status == 200 and own.body == world.api.call("GET", "/me/progress", token=me).body
    assert _audit(world, pid).count("read_progress") == 1
    admin = world.api.call("GET", f"/participants/{pid}/progress", token=world.api.token("admin", "a-1"))
    assert admin.status == 200 and admin.body["contribution_months"] == "0.05"
    assert _audit(world, pid).count("read_progress") == 2


def test_others_see_nothing(world: World) -> None:
    pid, me = world.participant()
    other_cw = world.api.call("GET", f"/participants/{pid}/progress", token=world.api.token("caseworker", "cw-2"))
    assert other_cw.status == 404 and other_cw.body["error"]["code"] == "not_found"
    unknown = world.api.call("GET", "/participants/nobody/progress", token=world.api.token("caseworker", "cw-1"))
    assert unknown.status == 404
    assert world.api.call("GET", f"/participants/{pid}/progress", token=world.employer).status == 403
    assert world.api.call("GET", f"/participants/{pid}/progress", token=me).status == 403
    assert world.api.call("GET", "/me/progress", token=world.employer).status == 403
    assert "read_progress" not in _audit(world, pid)
