"""The shift lifecycle through the API, on stored state."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import boto3
import pytest

from tests.helpers import Api, all_items, create_org, drain, job_body, participant_body, shift_body

NOW = "2026-11-25T09:00:00+01:00"
SHIFT = ("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00")


class World:
    """One organisation, its employer, and helpers to post shifts and enrol participants."""

    def __init__(self, api: Api, aws: dict[str, Any]):
        self.api = api
        self.aws = aws
        api.call("POST", "/_local/clock", json_body={"now": NOW})
        self.org = create_org(api)
        self.employer = api.employer(self.org)
        self.count = 0

    def clock(self, now: str) -> None:
        assert self.api.call("POST", "/_local/clock", json_body={"now": now}).status == 200

    def shift(
        self, start: str = SHIFT[0], end: str = SHIFT[1], slots: int = 2, break_minutes: int = 30, wage: str = "24.50"
    ) -> str:
        body = job_body(
            shift_body(start, end, slots=slots, break_minutes=break_minutes), publish=True, hourly_wage=wage
        )
        answer = self.api.call("POST", "/jobs", token=self.employer, json_body=body)
        assert answer.status == 201, answer.body
        return str(answer.body["shifts"][0]["shift_id"])

    def participant(self, caseworker: str = "cw-1", **overrides: Any) -> tuple[str, str]:
        self.count += 1
        body = participant_body(email=f"p{self.count}@example.ch", **overrides)
        p = self.api.call("POST", "/participants", token=self.api.token("caseworker", caseworker), json_body=body).body
        token = self.api.token("participant", f"u{self.count}", participant_id=p["participant_id"])
        assert self.api.call("POST", "/me/consent", token=token, json_body={"version": "2026-01"}).status == 200
        return str(p["participant_id"]), token

    def apply(self, shift_id: str, token: str) -> str:
        answer = self.api.call("POST", f"/shifts/{shift_id}/applications", token=token, json_body={"message": "Gern!"})
        assert answer.status == 201, answer.body
        return str(answer.body["application_id"])

    def act(self, app_id: str, action: str, token: str, body: Any = None) -> Any:
        return self.api.call("POST", f"/applications/{app_id}/{action}", token=token, json_body=body)

    def stored(self, app_id: str) -> dict[str, Any]:
        table = boto3.resource("dynamodb").Table(self.aws["Table"])
        return dict(table.get_item(Key={"PK": f"APP#{app_id}", "SK": "APP"})["Item"])

    def filled(self, shift_id: str) -> int:
        table = boto3.resource("dynamodb").Table(self.aws["Table"])
        return int(table.get_item(Key={"PK": f"SHIFT#{shift_id}", "SK": "SHIFT"})["Item"]["filled"])

    def inbox(self, token: str) -> list[str]:
        drain(self.aws)
        return [n["kind"] for n in self.api.call("GET", "/me/notifications", token=token).body["items"]]

    def confirmed(self, shift_id: str, token: str) -> str:
        app_id = self.apply(shift_id, token)
        assert self.act(app_id, "accept", self.employer).status == 200
        assert self.act(app_id, "confirm", token).status == 200
        return app_id

    def hours(self, start: str = SHIFT[0], end: str = SHIFT[1], break_minutes: int = 30) -> dict[str, Any]:
        return {"started_at": start, "ended_at": end, "break_minutes": break_minutes}


@pytest.fixture
def world(api: Api, aws: dict[str, Any]) -> World:
    return World(api, aws)


# ---------------------------------------------------------------- apply


def test_apply_creates_one_application_and_tells_the_employer(world: World) -> None:
    shift = world.shift()
    _, me = world.participant()
    app_id = world.apply(shift, me)
    assert world.stored(app_id)["status"] == "applied"
    again = world.api.call("POST", f"/shifts/{shift}/applications", token=me, json_body={})
    assert again.status == 409 and again.body["error"]["code"] == "already_applied"
    assert world.inbox(world.employer) == ["application_created"]


def test_only_active_participants_apply(world: World) -> None:
    shift = world.shift()
    p = world.api.call(
        "POST", "/participants", token=world.api.token("caseworker", "cw-1"), json_body=participant_body()
    ).body
    invited = world.api.token("participant", participant_id=p["participant_id"])
    answer = world.api.call("POST", f"/shifts/{shift}/applications", token=invited)
    assert answer.status == 409 and answer.body["error"]["code"] == "participant_not_active"


def test_drafts_suspended_organisations_and_started_or_cancelled_shifts_take_no_applications(world: World) -> None:
    _, me = world.participant()
    draft = world.api.call("POST", "/jobs", token=world.employer, json_body=job_body()).body["shifts"][0]["shift_id"]
    assert world.api.call("POST", f"/shifts/{draft}/applications", token=me).status == 404
    cancelled = world.shift()
    world.api.call("POST", f"/shifts/{cancelled}/cancel", token=world.employer)
    closed = world.api.call("POST", f"/shifts/{cancelled}/applications", token=me)
    assert closed.status == 409 and closed.body["error"]["code"] == "shift_closed"
    started = world.shift()
    world.clock("2026-12-01T08:00:00+01:00")
    assert world.api.call("POST", f"/shifts/{started}/applications", token=me).body["error"]["code"] == "shift_closed"
    world.clock(NOW)
    other_org = create_org(world.api, name="Suspended AG")
    body = job_body(publish=True)
    suspended = world.api.call("POST", "/jobs", token=world.api.employer(other_org), json_body=body).body["shifts"][0][
        "shift_id"
    ]
    world.api.call("POST", f"/organisations/{other_org}/suspend", token=world.api.admin())
    assert world.api.call("POST", f"/shifts/{suspended}/applications", token=me).status == 404
    assert [i for i in all_items(world.aws["Table"]) if i["type"] == "application"] == []


# ---------------------------------------------------------------- offers


def test_accept_holds_a_slot_until_min_of_24h_and_two_hours_before_start(world: World) -> None:
    shift = world.shift()
    _, me = world.participant()
    app_id = world.apply(shift, me)
    answer = world.act(app_id, "accept", world.employer)
    assert answer.status == 200
    assert answer.body["status"] == "offered"
    assert answer.body["offer_expires_at"] == "2026-11-26T08:00:00+00:00"  # now + 24 h
    assert world.filled(shift) == 1
    again = world.act(app_id, "accept", world.employer)
    assert again.status == 409 and again.body["error"]["code"] == "invalid_transition"
    assert world.filled(shift) == 1  # a retried accept never takes a second slot
    assert "offer_made" in world.inbox(me)


def test_an_offer_close_to_the_start_expires_two_hours_before_it(world: World) -> None:
    shift = world.shift("2026-11-25T20:00:00+01:00", "2026-11-25T23:00:00+01:00")
    _, me = world.participant()
    app_id = world.apply(shift, me)
    assert world.act(app_id, "accept", world.employer).body["offer_expires_at"] == "2026-11-25T17:00:00+00:00"
    late = world.shift("2026-11-25T10:30:00+01:00", "2026-11-25T12:00:00+01:00")
    app2 = world.apply(late, world.participant()[1])
    refused = world.act(app2, "accept", world.employer)
    assert refused.status == 409 and refused.body["error"]["code"] == "too_late_to_offer"


def test_a_full_shift_refuses_more_offers(world: World) -> None:
    shift = world.shift(slots=1)
    first = world.apply(shift, world.participant()[1])
    second = world.apply(shift, world.participant()[1])
    assert world.act(first, "accept", world.employer).status == 200
    full = world.act(second, "accept", world.employer)
    assert full.status == 409 and full.body["error"]["code"] == "shift_full"
    assert world.stored(second)["status"] == "applied"
    assert world.filled(shift) == 1


def test_no_two_held_shifts_overlap(world: World) -> None:
    a = world.shift("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00")
    b = world.shift("2026-12-01T11:00:00+01:00", "2026-12-01T15:00:00+01:00")
    c = world.shift("2026-12-01T12:00:00+01:00", "2026-12-01T16:00:00+01:00")  # touches a, does not overlap
    _, me = world.participant()
    apps = [world.apply(s, me) for s in (a, b, c)]
    assert world.act(apps[0], "accept", world.employer).status == 200
    overlapping = world.act(apps[1], "accept", world.employer)
    assert overlapping.status == 409 and overlapping.body["error"]["code"] == "overlapping_shift"
    assert world.filled(b) == 0
    assert world.act(apps[2], "accept", world.employer).status == 200


def test_the_weekly_cap_counts_monday_to_sunday_in_zurich(world: World) -> None:
    # Cap 7 h; each shift is 4 h - 30 min = 3.5 h.
    mon = world.shift("2026-11-30T08:00:00+01:00", "2026-11-30T12:00:00+01:00")
    tue = world.shift("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00")
    sun = world.shift("2026-12-06T19:00:00+01:00", "2026-12-06T23:00:00+01:00")
    next_mon = world.shift("2026-12-07T00:30:00+01:00", "2026-12-07T04:30:00+01:00")
    _, me = world.participant(weekly_hours_limit=7)
    apps = {name: world.apply(s, me) for name, s in [("mon", mon), ("tue", tue), ("sun", sun), ("next_mon", next_mon)]}
    assert world.act(apps["mon"], "accept", world.employer).status == 200
    assert world.act(apps["tue"], "accept", world.employer).status == 200
    over = world.act(apps["sun"], "accept", world.employer)
    assert over.status == 409 and over.body["error"]["code"] == "weekly_hours_exceeded"
    # The cap is case data the employer never sees: not in the message either.
    assert over.body["error"]["message"] == "This participant cannot take this shift in that week."
    # 00:30 on Monday in Zurich is still Sunday in UTC, but it is a new week here.
    assert world.act(apps["next_mon"], "accept", world.employer).status == 200


# ---------------------------------------------------------------- confirm, decline, expire, cancel


def test_confirm_before_the_deadline_and_not_after(world: World) -> None:
    shift = world.shift()
    _, me = world.participant()
    app_id = world.apply(shift, me)
    world.act(app_id, "accept", world.employer)
    world.clock("2026-11-26T09:00:01+01:00")
    late = world.act(app_id, "confirm", me)
    assert late.status == 409 and late.body["error"]["code"] == "offer_expired"
    assert world.stored(app_id)["status"] == "offered"
    assert world.api.call("POST", "/_local/schedules/expire-offers").body["result"]["handled"] == 1
    assert world.stored(app_id)["status"] == "expired"
    assert world.filled(shift) == 0
    assert "offer_expired" in world.inbox(world.employer)


def test_expiry_frees_the_participants_time_for_another_offer(world: World) -> None:
    a = world.shift()
    b = world.shift()  # same hours, another job
    _, me = world.participant()
    first, second = world.apply(a, me), world.apply(b, me)
    world.act(first, "accept", world.employer)
    assert world.act(second, "accept", world.employer).body["error"]["code"] == "overlapping_shift"
    world.clock("2026-11-26T09:00:01+01:00")
    world.api.call("POST", "/_local/schedules/expire-offers")
    assert world.act(second, "accept", world.employer).status == 200


def test_decline_gives_the_slot_back(world: World) -> None:
    shift = world.shift(slots=1)
    _, me = world.participant()
    app_id = world.apply(shift, me)
    world.act(app_id, "accept", world.employer)
    answer = world.act(app_id, "decline", me)
    assert answer.status == 200 and answer.body["status"] == "declined"
    assert world.filled(shift) == 0
    assert "offer_declined" in world.inbox(world.employer)


def test_a_late_cancellation_by_the_participant_tells_the_caseworker(world: World) -> None:
    shift = world.shift()
    _, me = world.participant(caseworker="cw-late")
    app_id = world.confirmed(shift, me)
    world.clock("2026-11-30T20:00:00+01:00")  # 12 h before the start
    answer = world.act(app_id, "cancel", me, {"reason": "I am ill"})
    assert answer.status == 200
    stored = world.stored(app_id)
    assert (stored["status"], stored["cancelled_by"], stored["cancelled_late"]) == ("cancelled", "participant", True)
    assert world.filled(shift) == 0
    assert world.inbox(world.api.token("caseworker", "cw-late")) == ["late_cancellation", "consent_given"]
    assert "application_cancelled" in world.inbox(world.employer)


def test_an_early_cancellation_by_the_employer_is_not_late(world: World) -> None:
    shift = world.shift()
    _, me = world.participant()
    app_id = world.confirmed(shift, me)
    answer = world.act(app_id, "cancel", world.employer, {"reason": "Plans changed"})
    assert answer.body["cancelled_late"] is False
    assert answer.body["cancelled_by"] == "employer"
    assert "application_cancelled" in world.inbox(me)
    assert "late_cancellation" not in world.inbox(world.api.token("caseworker", "cw-1"))


def test_cancelling_the_shift_cancels_its_applications_and_tells_the_participants(world: World) -> None:
    shift = world.shift()
    _, a = world.participant()
    _, b = world.participant()
    applied = world.apply(shift, a)
    confirmed = world.confirmed(shift, b)
    world.api.call("POST", f"/shifts/{shift}/cancel", token=world.employer, json_body={"reason": "Storm"})
    drain(world.aws)  # the applications follow from the shift's change, on the stream
    assert world.stored(applied)["status"] == "cancelled"
    assert world.stored(confirmed)["status"] == "cancelled"
    assert "shift_cancelled" in world.inbox(a)
    assert "shift_cancelled" in world.inbox(b)


# ---------------------------------------------------------------- work, hours, pay


def test_no_show_only_once_the_shift_started_and_the_caseworker_hears_of_it(world: World) -> None:
    shift = world.shift()
    _, me = world.participant(caseworker="cw-ns")
    app_id = world.confirmed(shift, me)
    early = world.act(app_id, "no-show", world.employer)
    assert early.status == 409 and early.body["error"]["code"] == "shift_not_started"
    world.clock("2026-12-01T08:30:00+01:00")
    assert world.act(app_id, "no-show", world.employer).body["status"] == "no_show"
    assert world.inbox(world.api.token("caseworker", "cw-ns")) == ["no_show", "consent_given"]
    assert world.filled(shift) == 1  # a no-show still holds its slot
    card = world.api.call("GET", f"/applications/{app_id}", token=world.employer).body["applicant"]
    assert card["no_show_count"] == 1


def test_hours_approved_fix_the_pay_and_the_participants_totals(world: World) -> None:
    shift = world.shift(wage="24.50")
    participant_id, me = world.participant()
    app_id = world.confirmed(shift, me)
    world.clock("2026-12-01T12:30:00+01:00")
    submitted = world.act(app_id, "hours", world.employer, world.hours(break_minutes=30))
    assert submitted.status == 200 and submitted.body["status"] == "hours_submitted"
    assert "hours_submitted" in world.inbox(me)
    approved = world.act(app_id, "hours/approve", me)
    assert approved.status == 200
    # 3.5 h x 24.50 = 85.75; public holiday 3.2 % = 2.744 -> 2.75; holiday 8.33 % of 88.50 =
    # 7.372 -> 7.35 (no date of birth: the standard rate); 13th 8.33 % of 95.85 = 7.984 -> 8.00.
    assert approved.body["pay"] == {
        "hours": "3.50",
        "hourly_wage": "24.50",
        "base": "85.75",
        "public_holiday": "2.75",
        "holiday": "7.35",
        "thirteenth_month": "8.00",
        "gross": "103.85",
        "compensation": False,
    }
    assert world.stored(app_id)["pay"]["gross"] == "103.85"
    profile = (
        boto3.resource("dynamodb")
        .Table(world.aws["Table"])
        .get_item(Key={"PK": f"PART#{participant_id}", "SK": "PROFILE"})["Item"]
    )
    assert (profile["completed_shifts"], profile["hours_total"], profile["pay_total"]) == (
        1,
        Decimal("3.5"),
        Decimal("103.85"),
    )


def test_unanswered_hours_are_approved_after_72_hours(world: World) -> None:
    shift = world.shift()
    _, me = world.participant()
    app_id = world.confirmed(shift, me)
    world.clock("2026-12-01T13:00:00+01:00")
    world.act(app_id, "hours", world.employer, world.hours())
    world.clock("2026-12-04T12:59:00+01:00")
    assert world.api.call("POST", "/_local/schedules/auto-approve-hours").body["result"]["handled"] == 0
    world.clock("2026-12-04T13:00:00+01:00")
    assert world.api.call("POST", "/_local/schedules/auto-approve-hours").body["result"]["handled"] == 1
    assert world.stored(app_id)["status"] == "completed"


def test_disputed_hours_are_settled_by_an_admin(world: World) -> None:
    shift = world.shift(wage="30.00")
    _, me = world.participant()
    app_id = world.confirmed(shift, me)
    world.clock("2026-12-01T13:00:00+01:00")
    world.act(app_id, "hours", world.employer, world.hours(break_minutes=60))
    disputed = world.act(app_id, "hours/dispute", me, {"reason": "The break was 30 minutes"})
    assert disputed.body["status"] == "hours_disputed"
    assert "hours_disputed" in world.inbox(world.api.admin())
    refused = world.act(app_id, "hours/approve", me)
    assert refused.status == 409
    resolved = world.act(app_id, "hours/resolve", world.api.admin(), world.hours(break_minutes=30))
    assert resolved.body["status"] == "completed"
    assert resolved.body["pay"]["base"] == "105.00"  # 3.5 h x 30.00
    assert resolved.body["pay"]["gross"] == "127.20"


EIGHT_HOURS = ("2026-12-01T08:00:00+01:00", "2026-12-01T16:30:00+01:00")


def _approved_pay(world: World, born: str | None, shift: tuple[str, str] = EIGHT_HOURS, wage: str = "22.39") -> Any:
    shift_id = world.shift(*shift, wage=wage)
    _, me = world.participant(**({"date_of_birth": born} if born else {}))
    app_id = world.confirmed(shift_id, me)
    world.clock(shift[1])
    assert world.act(app_id, "hours", world.employer, world.hours(*shift, break_minutes=30)).status == 200
    approved = world.act(app_id, "hours/approve", me)
    assert approved.status == 200, approved.body
    return approved.body["pay"]


def test_eight_hours_at_the_minimum_for_a_30_year_old_is_product_md_example(world: World) -> None:
    # PRODUCT.md: 8 h at 22.39, age 30: 179.10 + 5.75 + 15.40 + 16.70 = 216.95.
    assert _approved_pay(world, "1996-06-15") == {
        "hours": "8.00",
        "hourly_wage": "22.39",
        "base": "179.10",
        "public_holiday": "5.75",
        "holiday": "15.40",
        "thirteenth_month": "16.70",
        "gross": "216.95",
        "compensation": False,
    }


def test_a_19_year_old_gets_the_higher_holiday_rate(world: World) -> None:
    # 10.6 % of (179.10 + 5.75) = 19.594 -> 19.60; 13th 8.33 % of 204.45 = 17.030 -> 17.05.
    paid = _approved_pay(world, "2007-06-01")
    assert (paid["holiday"], paid["thirteenth_month"], paid["gross"]) == ("19.60", "17.05", "221.50")


def test_a_version_an_admin_adds_pays_shifts_from_its_valid_from(world: World) -> None:
    version = world.api.call("GET", "/pay-scheme", token=world.api.admin()).body["versions"][0]
    version |= {"valid_from": "2027-01-01", "minimum_wages": {"unskilled": "22.80"}, "thirteenth_month_rate": "0.09"}
    assert world.api.call("POST", "/pay-scheme/versions", token=world.api.admin(), json_body=version).status == 201
    # A shift before it is still paid by the first version; one from it by the new one.
    assert _approved_pay(world, "1996-06-15")["gross"] == "216.95"
    january = ("2027-01-05T08:00:00+01:00", "2027-01-05T16:30:00+01:00")
    paid = _approved_pay(world, "1996-06-15", january, wage="22.80")
    assert (paid["base"], paid["thirteenth_month"], paid["gross"]) == ("182.40", "18.35", "222.30")


def test_employers_never_see_date_of_birth_or_withholding_tax(world: World) -> None:
    shift = world.shift()
    _, me = world.participant(date_of_birth="1990-02-03", withholding_tax=True)
    app_id = world.confirmed(shift, me)
    seen = [
        world.api.call("GET", f"/applications/{app_id}", token=world.employer).body,
        world.api.call("GET", f"/shifts/{shift}/applications", token=world.employer).body,
    ]
    for body in seen:
        assert "date_of_birth" not in str(body) and "withholding_tax" not in str(body) and "1990-02-03" not in str(body)


def test_ratings_once_per_side_after_completion(world: World) -> None:
    shift = world.shift()
    _, me = world.participant()
    app_id = world.confirmed(shift, me)
    early = world.act(app_id, "rating", me, {"stars": 5})
    assert early.status == 409
    world.clock("2026-12-01T13:00:00+01:00")
    world.act(app_id, "hours", world.employer, world.hours())
    world.act(app_id, "hours/approve", me)
    assert world.act(app_id, "rating", me, {"stars": 5, "comment": "Friendly team"}).status == 200
    assert world.act(app_id, "rating", world.employer, {"stars": 4}).status == 200
    twice = world.act(app_id, "rating", world.employer, {"stars": 1})
    assert twice.status == 409 and twice.body["error"]["code"] == "already_rated"
    assert world.act(app_id, "rating", me, {"stars": 6}).status == 422
    card = world.api.call("GET", f"/applications/{app_id}", token=world.employer).body["applicant"]
    assert card["average_rating"] == 4.0


def test_shift_reminders_go_out_once_24_hours_ahead(world: World) -> None:
    shift = world.shift()
    _, me = world.participant()
    world.confirmed(shift, me)
    world.clock("2026-11-30T07:59:00+01:00")
    assert world.api.call("POST", "/_local/schedules/shift-reminders").body["result"]["handled"] == 0
    world.clock("2026-11-30T08:00:00+01:00")
    assert world.api.call("POST", "/_local/schedules/shift-reminders").body["result"]["handled"] == 1
    assert world.api.call("POST", "/_local/schedules/shift-reminders").body["result"]["handled"] == 0
    assert world.inbox(me).count("shift_reminder") == 1


# ---------------------------------------------------------------- who sees what


def test_employers_see_applicant_cards_and_full_name_only_after_confirmation(world: World) -> None:
    shift = world.shift()
    _, me = world.participant(first_name="Anna", last_name="Meier", phone="0791234567")
    app_id = world.apply(shift, me)
    listed = world.api.call("GET", f"/shifts/{shift}/applications", token=world.employer)
    assert listed.status == 200
    card = listed.body["items"][0]["applicant"]
    assert (card["first_name"], card["last_initial"], card["full_name"], card["phone"]) == ("Anna", "M.", None, None)
    text = json.dumps(listed.body).lower()
    for secret in ("sd-2026-0042", "case_reference", "caseworker", "assistance", "meier", "weekly_hours"):
        assert secret not in text
    world.act(app_id, "accept", world.employer)
    world.act(app_id, "confirm", me)
    card = world.api.call("GET", f"/applications/{app_id}", token=world.employer).body["applicant"]
    assert (card["full_name"], card["phone"]) == ("Anna Meier", "+41791234567")


def test_applications_answer_404_outside_their_parties(world: World) -> None:
    shift = world.shift()
    _, me = world.participant(caseworker="cw-own")
    app_id = world.apply(shift, me)
    other_org = create_org(world.api, name="Other AG")
    outsiders = [
        world.api.employer(other_org),
        world.api.token("participant", participant_id="par_other"),
        world.api.token("caseworker", "cw-other"),
    ]
    for token in outsiders:
        assert world.api.call("GET", f"/applications/{app_id}", token=token).status == 404
    assert world.act(app_id, "accept", world.api.employer(other_org)).status == 404
    assert world.api.call("GET", f"/shifts/{shift}/applications", token=world.api.employer(other_org)).status == 404
    assert world.api.call("GET", f"/applications/{app_id}", token=world.api.token("caseworker", "cw-own")).status == 200
    assert world.api.call("GET", f"/applications/{app_id}", token=world.api.admin()).status == 200
    mine = world.api.call("GET", "/me/applications", token=me).body["items"]
    assert [a["application_id"] for a in mine] == [app_id]


def test_moving_a_participant_to_another_caseworker_moves_their_applications_too(world: World) -> None:
    shift = world.shift()
    participant_id, me = world.participant(caseworker="cw-1")
    app_id = world.confirmed(shift, me)
    old, new = world.api.token("caseworker", "cw-1"), world.api.token("caseworker", "cw-2")
    assert world.api.call("GET", f"/applications/{app_id}", token=old).status == 200
    moved = world.api.call(
        "PATCH", f"/participants/{participant_id}", token=world.api.admin(), json_body={"caseworker_id": "cw-2"}
    )
    assert moved.status == 200, moved.body
    assert world.api.call("GET", f"/applications/{app_id}", token=old).status == 404
    assert world.api.call("GET", f"/applications/{app_id}", token=new).body["application_id"] == app_id
    world.clock("2026-12-01T09:00:00+01:00")
    assert world.act(app_id, "no-show", world.employer).status == 200
    assert "no_show" in world.inbox(new) and "no_show" not in world.inbox(old)


def test_staff_reads_of_an_application_and_resolved_hours_are_audited(world: World) -> None:
    shift = world.shift()
    participant_id, me = world.participant(caseworker="cw-1")
    app_id = world.confirmed(shift, me)
    admin = world.api.admin()

    def trail() -> list[tuple[str, str]]:
        items = world.api.call("GET", f"/participants/{participant_id}/audit", token=admin).body["items"]
        return [(e["actor_sub"], e["action"]) for e in items]

    before = trail()
    world.api.call("GET", f"/applications/{app_id}", token=me)  # the participant's own read: not noted
    world.api.call("GET", f"/applications/{app_id}", token=world.employer)  # the applicant card: no case data
    assert trail() == before
    world.api.call("GET", f"/applications/{app_id}", token=world.api.token("caseworker", "cw-1"))
    world.api.call("GET", f"/applications/{app_id}", token=admin)
    world.clock("2026-12-01T13:00:00+01:00")
    world.act(app_id, "hours", world.employer, world.hours(break_minutes=60))
    world.act(app_id, "hours/dispute", me, {"reason": "The break was 30 minutes"})
    assert world.act(app_id, "hours/resolve", admin, world.hours(break_minutes=30)).status == 200
    added = [entry for entry in trail() if entry not in before]
    assert sorted(added) == [
        ("admin-1", "read_application"),
        ("admin-1", "resolve_hours"),
        ("cw-1", "read_application"),
    ]
