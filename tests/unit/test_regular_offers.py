"""The step to a regular job through the API (in process, moto): who may make, see and answer an
offer of regular employment (404 for everyone else), its transitions and their 409 codes,
repeated answers, the exit an acceptance records, the inbox messages, the programme report."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from tests.aws_calls import AwsCalls
from tests.helpers import Api, all_items, create_org, drain
from tests.unit.test_applications import World

AFTER = "2026-12-03T10:00:00+01:00"  # the shift is done and its hours approved
START = "2027-01-04"


@pytest.fixture
def world(api: Api, aws: dict[str, Any]) -> World:
    return World(api, aws)


def worked(world: World, token: str, employer: str | None = None, day: str = "2026-12-01") -> str:
    """A completed shift on `day` of the participant for `employer`'s organisation (the world's by default)."""
    shift = (f"{day}T08:00:00+01:00", f"{day}T12:00:00+01:00")
    world.clock("2026-11-25T09:00:00+01:00")
    own = world.employer
    if employer:
        world.employer = employer
    try:
        app_id = world.confirmed(world.shift(*shift), token)
        world.clock(shift[1])
        assert world.act(app_id, "hours", world.employer, world.hours(*shift)).status == 200
        assert world.act(app_id, "hours/approve", token).status == 200
    finally:
        world.employer = own
    world.clock(AFTER)
    return app_id


def body(participant_id: str, **overrides: Any) -> dict[str, Any]:
    return {
        "participant_id": participant_id,
        "start_date": START,
        "contract": "permanent",
        "workload_percent": 80,
        "position_title": "Mitarbeiterin Logistik",
        "message": "Wir würden Sie gern anstellen.",
    } | overrides


def offer(world: World, participant_id: str, employer: str | None = None, **overrides: Any) -> Any:
    return world.api.call(
        "POST", "/regular-offers", token=employer or world.employer, json_body=body(participant_id, **overrides)
    )


def made(world: World, participant_id: str, employer: str | None = None) -> str:
    answer = offer(world, participant_id, employer)
    assert answer.status == 201, answer.body
    return str(answer.body["offer_id"])


def answer(world: World, offer_id: str, action: str, token: str) -> Any:
    return world.api.call("POST", f"/regular-offers/{offer_id}/{action}", token=token)


def inbox(world: World, token: str) -> list[dict[str, Any]]:
    drain(world.aws)
    return list(world.api.call("GET", "/me/notifications", token=token).body["items"])


def profile(world: World, participant_id: str) -> dict[str, Any]:
    table = boto3.resource("dynamodb").Table(world.aws["Table"])
    return dict(table.get_item(Key={"PK": f"PART#{participant_id}", "SK": "PROFILE"})["Item"])


# ---------------------------------------------------------------- making one


def test_an_employer_offers_a_regular_job_to_someone_it_worked_with_and_both_are_told(world: World) -> None:
    pid, me = world.participant(preferred_language="fr")
    worked(world, me)
    made_now = offer(world, pid)
    assert made_now.status == 201, made_now.body
    assert {
        k: made_now.body[k] for k in ("participant_id", "start_date", "contract", "workload_percent", "status")
    } == {
        "participant_id": pid,
        "start_date": START,
        "contract": "permanent",
        "workload_percent": 80,
        "status": "open",
    }
    assert made_now.body["participant_name"] == "Anna M."  # as on the applicant card
    assert "caseworker_id" not in made_now.body
    [note] = [n for n in inbox(world, me) if n["kind"] == "regular_offer_made"]
    assert (
        "Bäckerei Glauser vous propose le poste « Mitarbeiterin Logistik », à partir du 04.01.2027." in note["message"]
    )
    assert note["link"].endswith("#/regular-offers")
    caseworker = world.api.token("caseworker", "cw-1")
    [told] = [n for n in inbox(world, caseworker) if n["kind"] == "regular_offer_made"]
    assert "Anna Meier" in told["subject"] and told["link"].endswith(f"#/participants/{pid}")


def test_nobody_the_organisation_did_not_work_with_can_be_offered_a_job(world: World) -> None:
    pid, me = world.participant()
    never = offer(world, pid)  # enrolled and active, but never worked for this organisation
    unknown = offer(world, "par_unknown")
    assert (never.status, never.body) == (unknown.status, unknown.body | {"error": never.body["error"]})
    assert never.status == 404 and never.body["error"]["code"] == "not_found"
    confirmed_only = world.confirmed(world.shift("2026-12-05T08:00:00+01:00", "2026-12-05T12:00:00+01:00"), me)
    assert world.stored(confirmed_only)["status"] == "confirmed"  # a shift not yet completed does not count
    assert offer(world, pid).status == 404
    worked(world, me)
    other_org = world.api.employer(create_org(world.api, name="Andere AG"), sub="employer-9")
    assert offer(world, pid, employer=other_org).status == 404  # worked for another organisation
    assert offer(world, pid, start_date="2026-12-02").status == 422  # in the past
    assert offer(world, pid, workload_percent=5).status == 422
    for role in ("participant", "caseworker", "admin"):
        token = world.api.token(role, participant_id=pid) if role == "participant" else world.api.token(role)
        assert world.api.call("POST", "/regular-offers", token=token, json_body=body(pid)).status == 403
    assert [i for i in all_items(world.aws["Table"]) if i["type"] == "regular_offer"] == []
    world.api.call("POST", f"/participants/{pid}/erase", token=world.api.admin())
    assert offer(world, pid).status == 404  # erased: gone for employers too


def test_one_open_offer_per_organisation_and_participant(world: World) -> None:
    pid, me = world.participant()
    worked(world, me)
    first = made(world, pid)
    second = offer(world, pid)
    assert second.status == 409 and second.body["error"]["code"] == "open_offer_exists"
    other = world.api.employer(create_org(world.api, name="Andere AG"), sub="employer-9")
    worked(world, me, employer=other, day="2026-12-02")
    assert offer(world, pid, employer=other).status == 201  # another organisation may offer too
    assert answer(world, first, "withdraw", world.employer).status == 200
    assert offer(world, pid).status == 201  # once withdrawn, a new one may follow


def test_a_retried_offer_with_its_idempotency_key_is_answered_once(world: World) -> None:
    pid, me = world.participant()
    worked(world, me)
    headers = {"host": "127.0.0.1", "content-type": "application/json", "authorization": f"Bearer {world.employer}"}
    headers["idempotency-key"] = "offer-1"
    sent = [
        world.api.gateway.handle("POST", "/regular-offers", headers, json.dumps(body(pid)).encode()) for _ in range(2)
    ]
    assert [s[0] for s in sent] == [201, 201]
    assert sent[0][2] == sent[1][2]  # the same offer, not a second one nor a 409
    assert len([i for i in all_items(world.aws["Table"]) if i["type"] == "regular_offer"]) == 1


# ---------------------------------------------------------------- who sees it


def test_the_participant_their_caseworker_the_employer_and_admins_see_an_offer_and_nobody_else(world: World) -> None:
    pid, me = world.participant()
    worked(world, me)
    offer_id = made(world, pid)
    _, someone_else = world.participant()
    other_employer = world.api.employer(create_org(world.api, name="Andere AG"), sub="employer-9")
    cw, other_cw = world.api.token("caseworker", "cw-1"), world.api.token("caseworker", "cw-2")
    path = f"/regular-offers/{offer_id}"
    seen = {
        "participant": world.api.call("GET", path, token=me).status,
        "employer": world.api.call("GET", path, token=world.employer).status,
        "caseworker": world.api.call("GET", path, token=cw).status,
        "admin": world.api.call("GET", path, token=world.api.admin()).status,
        "another participant": world.api.call("GET", path, token=someone_else).status,
        "another employer": world.api.call("GET", path, token=other_employer).status,
        "another caseworker": world.api.call("GET", path, token=other_cw).status,
    }
    assert seen == {
        "participant": 200,
        "employer": 200,
        "caseworker": 200,
        "admin": 200,
        "another participant": 404,
        "another employer": 404,
        "another caseworker": 404,
    }

    def ids(token: str, query: str = "") -> list[str]:
        return [o["offer_id"] for o in world.api.call("GET", f"/regular-offers{query}", token=token).body["items"]]

    assert [o["offer_id"] for o in world.api.call("GET", "/me/regular-offers", token=me).body["items"]] == [offer_id]
    assert world.api.call("GET", "/me/regular-offers", token=someone_else).body["items"] == []
    assert ids(world.employer) == [offer_id] and ids(other_employer) == []
    assert ids(world.api.admin()) == [offer_id]
    assert ids(cw, f"?participant_id={pid}") == [offer_id]
    assert world.api.call("GET", f"/regular-offers?participant_id={pid}", token=other_cw).status == 404
    assert world.api.call("GET", "/regular-offers", token=cw).status == 422  # a caseworker names one of theirs
    assert ids(other_employer, f"?participant_id={pid}") == []
    trail = world.api.call("GET", f"/participants/{pid}/audit?limit=200", token=world.api.admin()).body["items"]
    assert {"read_regular_offer", "read_regular_offers"} <= {e["action"] for e in trail}  # staff reads noted


# ---------------------------------------------------------------- answers


def test_declining_tells_the_employer_and_the_caseworker_and_a_repeat_changes_nothing(world: World) -> None:
    pid, me = world.participant()
    worked(world, me)
    offer_id = made(world, pid)
    declined = answer(world, offer_id, "decline", me)
    assert declined.status == 200 and declined.body["status"] == "declined"
    again = answer(world, offer_id, "decline", me)
    assert again.status == 200 and again.body == declined.body  # a repeated answer: as it is
    for action, token in (("accept", me), ("withdraw", world.employer)):
        refused = answer(world, offer_id, action, token)
        assert refused.status == 409 and refused.body["error"]["code"] == "offer_already_answered"
    assert [n["kind"] for n in inbox(world, world.employer)].count("regular_offer_declined") == 1
    assert "regular_offer_declined" in [n["kind"] for n in inbox(world, world.api.token("caseworker", "cw-1"))]
    assert profile(world, pid)["status"] == "active"  # declining changes nothing else


def test_a_withdrawn_offer_cannot_be_answered_and_the_participant_is_told(world: World) -> None:
    pid, me = world.participant()
    worked(world, me)
    offer_id = made(world, pid)
    assert answer(world, offer_id, "accept", world.employer).status == 403  # only the participant answers
    assert answer(world, offer_id, "withdraw", me).status == 403
    _, someone_else = world.participant()
    assert answer(world, offer_id, "accept", someone_else).status == 404
    other_employer = world.api.employer(create_org(world.api, name="Andere AG"), sub="employer-9")
    assert answer(world, offer_id, "withdraw", other_employer).status == 404
    withdrawn = answer(world, offer_id, "withdraw", world.employer)
    assert withdrawn.status == 200 and withdrawn.body["status"] == "withdrawn" and withdrawn.body["withdrawn_at"]
    assert answer(world, offer_id, "withdraw", world.employer).body == withdrawn.body
    for action in ("accept", "decline"):
        refused = answer(world, offer_id, action, me)
        assert refused.status == 409 and refused.body["error"]["code"] == "offer_withdrawn"
    assert "regular_offer_withdrawn" in [n["kind"] for n in inbox(world, me)]


def test_accepting_records_the_exit_to_regular_employment_on_the_start_date(world: World) -> None:
    pid, me = world.participant()
    worked(world, me)
    offer_id = made(world, pid)
    accepted = answer(world, offer_id, "accept", me)
    assert accepted.status == 200 and accepted.body["status"] == "accepted"
    stored = profile(world, pid)
    assert stored["status"] == "exited"
    assert (stored["exit"]["outcome"], stored["exit"]["date"]) == ("regular_employment", START)
    items = all_items(world.aws["Table"])
    [exit_item] = [i for i in items if i["PK"] == f"PART#{pid}" and i["SK"] == "EXIT"]
    assert (exit_item["outcome"], exit_item["date"], exit_item["GSI3PK"]) == (
        "regular_employment",
        START,
        "EXITED#2027-01",
    )
    assert sorted(i["SK"] for i in items if i["PK"] == f"ROFFER#{offer_id}") == ["HIRED", "ROFFER"]
    again = answer(world, offer_id, "accept", me)
    assert again.status == 200 and again.body == accepted.body
    assert profile(world, pid)["exit"] == stored["exit"]  # recorded once
    employer_notes = [n for n in inbox(world, world.employer) if n["kind"] == "regular_offer_accepted"]
    assert len(employer_notes) == 1 and "Anna" not in employer_notes[0]["message"]  # never a name to employers
    assert "beginnt am 04.01.2027" in employer_notes[0]["message"]
    cw = world.api.token("caseworker", "cw-1")
    [told] = [n for n in inbox(world, cw) if n["kind"] == "regular_offer_accepted"]
    assert "Anna Meier" in told["message"] and "reguläre Anstellung" in told["message"]
    activity = world.api.call("GET", f"/participants/{pid}/activity", token=cw).body
    assert "regular_offer_accepted" in [n["kind"] for n in activity["notifications"]]
    seen = world.api.call("GET", f"/participants/{pid}", token=cw).body
    assert (seen["status"], seen["exit"]["outcome"], seen["exit"]["date"]) == ("exited", "regular_employment", START)
    trail = world.api.call("GET", f"/participants/{pid}/audit?limit=200", token=world.api.admin()).body["items"]
    assert [e["actor_role"] for e in trail if e["action"] == "exit"] == ["participant"]


def test_an_offer_cannot_be_accepted_once_the_participant_has_left_and_nothing_changes(world: World) -> None:
    pid, me = world.participant()
    worked(world, me)
    other = world.api.employer(create_org(world.api, name="Andere AG"), sub="employer-9")
    worked(world, me, employer=other, day="2026-12-02")
    first, second = made(world, pid), made(world, pid, employer=other)
    assert answer(world, first, "accept", me).status == 200
    late = answer(world, second, "accept", me)
    assert late.status == 409 and late.body["error"]["code"] == "participant_exited"
    assert world.api.call("GET", f"/regular-offers/{second}", token=me).body["status"] == "open"
    assert answer(world, second, "decline", me).status == 200  # it can still be declined
    assert profile(world, pid)["exit"]["date"] == START


# ---------------------------------------------------------------- the programme report


def test_the_programme_report_counts_offers_made_accepted_and_conversions_per_organisation(world: World) -> None:
    first, first_token = world.participant()
    second, second_token = world.participant()
    worked(world, first_token)
    worked(world, second_token)
    hired = made(world, first)
    assert answer(world, hired, "accept", first_token).status == 200
    assert answer(world, made(world, second), "decline", second_token).status == 200
    asked = world.api.call(
        "POST", "/reports", token=world.api.admin(), json_body={"type": "programme", "period": "2026-12"}
    )
    assert asked.status == 202
    drain(world.aws)
    report = world.api.call("GET", f"/reports/{asked.body['report_id']}", token=world.api.admin()).body
    summary = report["summary"]
    assert (summary["regular_offers_made"], summary["regular_offers_accepted"]) == (2, 1)
    assert summary["conversions_by_organisation"] == {
        world.org: {
            "name": "Bäckerei Glauser",
            "regular_offers_accepted": 1,
            "participants_worked": 2,
            "conversion_rate": "0.5000",
        }
    }
    assert summary["exits_by_outcome"] == {}  # the exit is dated on its start date, in January
    assert summary["completed_shifts"] == 2  # the existing figures as they were
    january = world.api.call(
        "POST", "/reports", token=world.api.admin(), json_body={"type": "programme", "period": "2027-01"}
    )
    drain(world.aws)
    later = world.api.call("GET", f"/reports/{january.body['report_id']}", token=world.api.admin()).body["summary"]
    assert later["exits_by_outcome"] == {"regular_employment": 1}
    assert (later["regular_offers_made"], later["regular_offers_accepted"], later["conversions_by_organisation"]) == (
        0,
        0,
        {},
    )


def test_staff_listings_read_one_page_and_note_their_reads_in_one_write(world: World) -> None:
    pid, me = world.participant()
    worked(world, me)
    made(world, pid)
    for token, query in ((world.api.token("caseworker", "cw-1"), f"?participant_id={pid}"), (world.api.admin(), "")):
        with AwsCalls() as counted:
            listed = world.api.call("GET", f"/regular-offers{query}", token=token)
        assert listed.status == 200 and len(listed.body["items"]) == 1
        assert counted.dynamodb() == {"BatchGetItem": 2, "Query": 1, "BatchWriteItem": 1}


def test_the_export_holds_the_offers_and_erasure_removes_the_employers_message(world: World) -> None:
    pid, me = world.participant()
    worked(world, me)
    offer_id = made(world, pid)
    assert answer(world, offer_id, "accept", me).status == 200
    exported = world.api.call("GET", "/me/export", token=me).body["items"]
    [mine] = [i for i in exported if i.get("offer_id") == offer_id and i["SK"] == "ROFFER"]
    assert mine["message"] == "Wir würden Sie gern anstellen."
    about_me = {(i["PK"], i["SK"]) for i in all_items(world.aws["Table"]) if pid in json.dumps(i, default=str)}
    assert about_me <= {(i["PK"], i["SK"]) for i in exported}  # the acceptance's record and the lock too
    assert world.api.call("POST", f"/participants/{pid}/erase", token=world.api.admin()).status == 200
    drain(world.aws)  # what follows the erasure (the table's stream)
    [stored] = [i for i in all_items(world.aws["Table"]) if i["SK"] == "ROFFER"]
    assert "message" not in stored and stored["position_title"] == "Mitarbeiterin Logistik"  # the figures stay
    listed = world.api.call("GET", "/regular-offers", token=world.employer).body["items"]
    assert [(o["offer_id"], o["participant_name"]) for o in listed] == [(offer_id, None)]
