"""Favourites, invitations and favourites-first publishing (issue 19), through the API, on
what each side sees and on stored state."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from tests.helpers import Api, PartnerReceiver, all_items, create_org, drain, job_body, shift_body
from tests.unit.test_applications import SHIFT, World
from tremplin import events

AFTER_WORK = "2026-12-01T12:30:00+01:00"
NEXT = ("2026-12-08T08:00:00+01:00", "2026-12-08T12:00:00+01:00")  # Tue 08.12., a week later


@pytest.fixture
def world(api: Api, aws: dict[str, Any]) -> World:
    return World(api, aws)


def _worked_with(world: World, **profile: Any) -> tuple[str, str]:
    """A participant who completed a shift with the world's organisation; the clock after it."""
    shift = world.shift()
    pid, token = world.participant(**profile)
    app_id = world.confirmed(shift, token)
    world.clock(AFTER_WORK)
    assert world.act(app_id, "hours", world.employer, world.hours()).status == 200
    assert world.act(app_id, "hours/approve", token).status == 200
    return pid, token


def _favourite(world: World, pid: str, token: str | None = None, org: str | None = None) -> Any:
    return world.api.call("PUT", f"/organisations/{org or world.org}/favourites/{pid}", token=token or world.employer)


def _invite(world: World, shift: str, pid: str, token: str | None = None) -> Any:
    return world.api.call(
        "POST", f"/shifts/{shift}/invitations", token=token or world.employer, json_body={"participant_id": pid}
    )


def _applications(world: World) -> list[dict[str, Any]]:
    return [i for i in all_items(world.aws["Table"]) if i["type"] == "application"]


# ---------------------------------------------------------------- favourites


def test_only_a_participant_the_organisation_completed_work_with_becomes_a_favourite(world: World) -> None:
    pid, _ = _worked_with(world)
    stranger, _ = world.participant()
    applicant, applicant_token = world.participant()
    world.apply(world.shift(*NEXT), applicant_token)  # applied, never worked: not yet
    for unknown in (stranger, applicant, "par_does_not_exist"):
        answer = _favourite(world, unknown)
        assert answer.status == 404 and answer.error_code == "not_found", answer.body
    marked = _favourite(world, pid)
    assert marked.status == 200, marked.body
    assert marked.body["favourite"] is True and marked.body["applicant"]["first_name"] == "Anna"
    assert _favourite(world, pid).body == marked.body  # marking again changes nothing
    listed = world.api.call("GET", f"/organisations/{world.org}/favourites", token=world.employer).body
    assert [f["participant_id"] for f in listed["items"]] == [pid]
    assert listed["items"][0]["favourited_at"] == marked.body["favourited_at"]


def test_another_organisation_neither_sees_nor_changes_the_favourites(world: World) -> None:
    pid, _ = _worked_with(world)
    _favourite(world, pid)
    other = world.api.employer(create_org(world.api, name="Other AG"), sub="employer-2")
    for method in ("PUT", "DELETE"):
        assert world.api.call(method, f"/organisations/{world.org}/favourites/{pid}", token=other).status == 404
    assert world.api.call("GET", f"/organisations/{world.org}/favourites", token=other).status == 404
    participant = world.api.token("participant", participant_id=pid)
    assert world.api.call("GET", f"/organisations/{world.org}/favourites", token=participant).status == 403
    admin = world.api.call("GET", f"/organisations/{world.org}/favourites", token=world.api.admin())
    assert [f["participant_id"] for f in admin.body["items"]] == [pid]


def test_the_favourites_list_shows_the_applicant_card_and_no_case_data(world: World) -> None:
    pid, _ = _worked_with(world)
    _favourite(world, pid)
    listed = world.api.call("GET", f"/organisations/{world.org}/favourites", token=world.employer)
    text = json.dumps(listed.body).lower()
    # The phone number in any of its forms (a bare "079" also turns up in random ids).
    for secret in ("sd-2026-0042", "cw-1", "caseworker", "weekly_hours", "assistance", "meier", "123 45 67", "1234567"):
        assert secret not in text
    card = listed.body["items"][0]["applicant"]
    assert (card["first_name"], card["last_initial"], card["completed_shifts"]) == ("Anna", "M.", 1)


def test_unmarking_is_idempotent_and_ends_the_favourite_on_both_sides(world: World) -> None:
    pid, _ = _worked_with(world)
    _favourite(world, pid)
    for _ in range(2):
        answer = world.api.call("DELETE", f"/organisations/{world.org}/favourites/{pid}", token=world.employer)
        assert answer.status == 200 and answer.body["favourite"] is False
    assert world.api.call("GET", f"/organisations/{world.org}/favourites", token=world.employer).body["items"] == []
    table = boto3.resource("dynamodb").Table(world.aws["Table"])
    favoured = table.get_item(Key={"PK": f"PART#{pid}", "SK": "FAVOURED"}).get("Item") or {}
    assert world.org not in (favoured.get("orgs") or set())
    stranger, _ = world.participant()
    assert (
        world.api.call("DELETE", f"/organisations/{world.org}/favourites/{stranger}", token=world.employer).status
        == 404
    )


# ---------------------------------------------------------------- invitations


def test_an_invitation_is_an_offer_that_holds_a_slot_and_is_confirmed_like_one(world: World) -> None:
    pid, token = _worked_with(world)
    _favourite(world, pid)
    shift = world.shift(*NEXT)
    answer = _invite(world, shift, pid)
    assert answer.status == 201, answer.body
    assert (answer.body["status"], answer.body["invited"]) == ("offered", True)
    assert answer.body["offer_expires_at"] == "2026-12-02T11:30:00+00:00"  # now + 24 h
    assert world.filled(shift) == 1
    assert "invitation_made" in world.inbox(token)
    confirmed = world.act(answer.body["application_id"], "confirm", token)
    assert confirmed.status == 200 and confirmed.body["status"] == "confirmed"
    assert "offer_confirmed" in world.inbox(world.employer)


def test_a_declined_invitation_gives_its_slot_back_and_cannot_be_sent_again(world: World) -> None:
    pid, token = _worked_with(world)
    _favourite(world, pid)
    shift = world.shift(*NEXT)
    app_id = _invite(world, shift, pid).body["application_id"]
    assert world.act(app_id, "decline", token).body["status"] == "declined"
    assert world.filled(shift) == 0
    again = _invite(world, shift, pid)
    assert again.status == 409 and again.error_code == "already_applied"
    assert world.stored(app_id)["status"] == "declined"


def test_an_unanswered_invitation_expires_like_an_offer(world: World) -> None:
    pid, _ = _worked_with(world)
    _favourite(world, pid)
    shift = world.shift(*NEXT)
    app_id = _invite(world, shift, pid).body["application_id"]
    world.clock("2026-12-02T12:31:00+01:00")
    assert world.api.call("POST", "/_local/schedules/expire-offers").status == 200
    assert world.stored(app_id)["status"] == "expired"
    assert world.filled(shift) == 0


def test_an_invitation_sent_again_answers_the_same_offer_and_changes_nothing(world: World) -> None:
    pid, token = _worked_with(world)
    _favourite(world, pid)
    shift = world.shift(*NEXT)
    first = _invite(world, shift, pid)
    second = _invite(world, shift, pid)
    assert second.status == 201 and second.body == first.body
    assert world.filled(shift) == 1
    assert world.inbox(token).count("invitation_made") == 1
    assert len([a for a in _applications(world) if a["shift_id"] == shift]) == 1


def test_inviting_a_participant_who_applied_already_offers_them_that_application(world: World) -> None:
    pid, token = _worked_with(world)
    _favourite(world, pid)
    shift = world.shift(*NEXT)
    app_id = world.apply(shift, token)
    answer = _invite(world, shift, pid)
    assert answer.status == 201, answer.body
    assert (answer.body["application_id"], answer.body["status"]) == (app_id, "offered")
    assert answer.body["invited"] is False  # their own application, offered
    assert world.filled(shift) == 1
    assert "offer_made" in world.inbox(token)


def test_only_favourites_are_invited_to_the_organisations_own_shifts(world: World) -> None:
    pid, _ = _worked_with(world)
    shift = world.shift(*NEXT)
    not_yet = _invite(world, shift, pid)  # worked with, not a favourite
    assert not_yet.status == 404 and not_yet.error_code == "not_found"
    stranger, _ = world.participant()
    assert _invite(world, shift, stranger).status == 404
    _favourite(world, pid)
    other = world.api.employer(create_org(world.api, name="Other AG"), sub="employer-2")
    assert _invite(world, shift, pid, token=other).status == 404  # another organisation's shift
    assert _invite(world, "shf_unknown", pid).status == 404
    assert _invite(world, shift, pid, token=world.api.token("participant", participant_id=pid)).status == 403
    assert [a for a in _applications(world) if a["shift_id"] == shift] == []


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ("full", "shift_full"),
        ("overlap", "overlapping_shift"),
        ("weekly_cap", "weekly_hours_exceeded"),
        ("cancelled", "shift_closed"),
        ("draft", "job_not_open"),
        ("too_late", "too_late_to_offer"),
        ("suspended", "organisation_suspended"),
    ],
)
def test_every_rule_of_an_offer_holds_for_an_invitation(world: World, setup: str, code: str) -> None:
    pid, token = _worked_with(world, weekly_hours_limit=6)
    _favourite(world, pid)
    shift = world.shift(*NEXT, slots=1)
    if setup == "full":
        _, other = world.participant()
        world.act(world.apply(shift, other), "accept", world.employer)
    elif setup == "overlap":
        world.confirmed(world.shift("2026-12-08T10:00:00+01:00", "2026-12-08T14:00:00+01:00"), token)
    elif setup == "weekly_cap":  # 3.5 h held that week, 3.5 h more would pass the 6 h cap
        world.confirmed(world.shift("2026-12-09T08:00:00+01:00", "2026-12-09T12:00:00+01:00"), token)
    elif setup == "cancelled":
        world.api.call("POST", f"/shifts/{shift}/cancel", token=world.employer)
    elif setup == "draft":
        body = job_body(shift_body(*NEXT))
        shift = world.api.call("POST", "/jobs", token=world.employer, json_body=body).body["shifts"][0]["shift_id"]
    elif setup == "too_late":
        shift = world.shift("2026-12-01T14:00:00+01:00", "2026-12-01T16:00:00+01:00")
    elif setup == "suspended":
        world.api.call("POST", f"/organisations/{world.org}/suspend", token=world.api.admin())
    before = world.filled(shift)
    answer = _invite(world, shift, pid)
    assert answer.status == 409 and answer.error_code == code, answer.body
    assert world.filled(shift) == before
    assert not [a for a in _applications(world) if a["shift_id"] == shift and a.get("invited")]


def test_an_invitation_to_a_participant_who_withdrew_consent_is_refused(world: World) -> None:
    pid, _ = _worked_with(world)
    _favourite(world, pid)
    shift = world.shift(*NEXT)
    table = boto3.resource("dynamodb").Table(world.aws["Table"])
    table.update_item(
        Key={"PK": f"PART#{pid}", "SK": "PROFILE"},
        UpdateExpression="SET #s = :invited",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":invited": "invited"},
    )
    answer = _invite(world, shift, pid)
    assert answer.status == 409 and answer.error_code == "participant_not_active"
    assert world.filled(shift) == 0


def test_the_invitation_message_names_the_organisation_job_and_local_time_in_the_readers_language(
    world: World,
) -> None:
    pid, token = _worked_with(world, preferred_language="fr")
    _favourite(world, pid)
    _invite(world, world.shift(*NEXT), pid)
    drain(world.aws)
    notes = world.api.call("GET", "/me/notifications", token=token).body["items"]
    [note] = [n for n in notes if n["kind"] == "invitation_made"]
    assert "vous invite à nouveau" in note["message"]
    assert "« Help in the city gardens »" in note["message"]
    assert "mar. 08.12., 08:00" in note["message"]  # Europe/Zurich, never UTC
    assert "avant le mer. 02.12., 12:30" in note["message"]
    assert note["link"].endswith("#/applications")
    assert pid not in note["message"] and "+00:00" not in note["message"]


def test_partner_webhooks_hear_of_an_invitation_as_of_an_offer(world: World, partner_receiver: PartnerReceiver) -> None:
    pid, token = _worked_with(world)
    _favourite(world, pid)
    drain(world.aws)  # what came before the subscription
    assert world.api.call("POST", f"/organisations/{world.org}/webhook-secret", token=world.employer).status == 201
    events = ["application.created", "application.confirmed"]
    world.api.call(
        "PUT",
        f"/organisations/{world.org}/webhook",
        token=world.employer,
        json_body={"url": partner_receiver.url, "events": events},
    )
    app_id = _invite(world, world.shift(*NEXT), pid).body["application_id"]
    drain(world.aws)
    assert partner_receiver.deliveries == []  # an offer is no partner event; nor is an invitation
    world.act(app_id, "confirm", token)
    drain(world.aws)
    assert [d.json()["type"] for d in partner_receiver.deliveries] == ["application.confirmed"]


# ---------------------------------------------------------------- favourites first


def _first_for_favourites(world: World, hours: int = 24, publish: bool = True) -> tuple[str, str]:
    body = job_body(shift_body(*NEXT), publish=publish, favourites_first_hours=hours)
    job = world.api.call("POST", "/jobs", token=world.employer, json_body=body).body
    assert job["favourites_first_hours"] == hours, job
    return str(job["job_id"]), str(job["shifts"][0]["shift_id"])


def _browsed(world: World, token: str) -> list[str]:
    return [j["job_id"] for j in world.api.call("GET", "/jobs", token=token).body["items"]]


def test_favourites_first_shows_the_job_only_to_the_organisations_favourites_until_the_window_ends(
    world: World,
) -> None:
    pid, favourite = _worked_with(world)
    _favourite(world, pid)
    _, other = world.participant()
    caseworker = world.api.token("caseworker", "cw-1")
    job, shift = _first_for_favourites(world)  # published 01.12. 12:30 for 24 h
    assert world.api.call("GET", f"/jobs/{job}", token=world.employer).body["favourites_until"] == (
        "2026-12-02T11:30:00+00:00"
    )
    assert _browsed(world, favourite) == [job]
    assert world.api.call("GET", f"/shifts/{shift}", token=favourite).status == 200
    assert _browsed(world, other) == [] and _browsed(world, caseworker) == []
    for token in (other, caseworker):
        assert world.api.call("GET", f"/jobs/{job}", token=token).status == 404
        assert world.api.call("GET", f"/shifts/{shift}", token=token).status == 404
    refused = world.api.call("POST", f"/shifts/{shift}/applications", token=other)
    assert refused.status == 404 and refused.error_code == "not_found"
    assert world.apply(shift, favourite)
    world.clock("2026-12-02T12:30:00+01:00")  # the window's end: for everyone
    assert _browsed(world, other) == [job]
    assert world.api.call("GET", f"/jobs/{job}", token=caseworker).status == 200
    assert world.apply(shift, other)


def test_the_window_counts_from_publishing_and_an_employer_may_open_it_early(world: World) -> None:
    pid, favourite = _worked_with(world)
    _favourite(world, pid)
    _, other = world.participant()
    job, _ = _first_for_favourites(world, hours=2, publish=False)
    world.clock("2026-12-02T08:00:00+01:00")
    published = world.api.call("POST", f"/jobs/{job}/publish", token=world.employer).body
    assert published["favourites_until"] == "2026-12-02T09:00:00+00:00"
    assert (_browsed(world, favourite), _browsed(world, other)) == ([job], [])
    opened = world.api.call("PATCH", f"/jobs/{job}", token=world.employer, json_body={"favourites_first_hours": 0})
    assert opened.status == 200 and opened.body["favourites_until"] is None
    assert _browsed(world, other) == [job]


def test_favourites_first_hours_are_zero_to_seventy_two(world: World) -> None:
    for hours in (-1, 73):
        body = job_body(shift_body(*SHIFT), favourites_first_hours=hours)
        answer = world.api.call("POST", "/jobs", token=world.employer, json_body=body)
        assert answer.status == 422, answer.body
        assert answer.body["error"]["details"][0]["field"].endswith("favourites_first_hours")


def test_the_participants_export_holds_who_made_them_a_favourite(world: World) -> None:
    pid, token = _worked_with(world)
    _favourite(world, pid)
    export = world.api.call("GET", "/me/export", token=token)
    assert export.status == 200
    [favoured] = [i for i in export.body["items"] if i["SK"] == "FAVOURED"]
    assert favoured["orgs"] == [world.org]


def test_an_invitation_made_tells_the_participant_once_and_no_partner() -> None:
    item = {
        "PK": "APP#app.shf_1.par_1",
        "SK": "APP",
        "type": "application",
        "application_id": "app.shf_1.par_1",
        "shift_id": "shf_1",
        "job_id": "job_1",
        "org_id": "org_1",
        "participant_id": "par_1",
        "caseworker_id": "cw-1",
        "status": "offered",
        "invited": True,
        "offer_expires_at": "2026-12-02T11:30:00+00:00",
        "shift_starts_at": "2026-12-08T07:00:00+00:00",
        "shift_ends_at": "2026-12-08T11:00:00+00:00",
        "created_at": "2026-12-01T11:30:00+00:00",
        "updated_at": "2026-12-01T11:30:00+00:00",
    }
    effects = events.follow(None, item)
    assert effects is not None
    assert [(n.recipient, n.kind) for n in effects.notes] == [("participant#par_1", "invitation_made")]
    assert effects.partner_events == []
    assert events.follow(None, item) == effects  # a redelivered change: the same id, dropped downstream
    confirmed = events.follow(item, item | {"status": "confirmed", "updated_at": "2026-12-01T12:00:00+00:00"})
    assert confirmed is not None
    assert [(n.recipient, n.kind) for n in confirmed.notes] == [("org#org_1", "offer_confirmed")]
