"""Participants, caseloads and privacy (issue: participants, caseworkers and privacy)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import boto3
import pytest

from tests.helpers import Api, all_items, drain, participant_body

CW_A, CW_B = "caseworker-a", "caseworker-b"


def enrol(api: Api, caseworker: str = CW_A, **overrides: Any) -> dict[str, Any]:
    answer = api.call(
        "POST", "/participants", token=api.token("caseworker", caseworker), json_body=participant_body(**overrides)
    )
    assert answer.status == 201, answer.body
    return answer.body


def as_participant(api: Api, participant: dict[str, Any]) -> str:
    return api.token(
        "participant", f"user-{participant['participant_id']}", participant_id=participant["participant_id"]
    )


def participant_items(table_name: str) -> list[dict[str, Any]]:
    return [i for i in all_items(table_name) if i.get("type") == "participant"]


# ---------------------------------------------------------------- enrolment


def test_a_caseworker_enrols_into_their_own_caseload(api: Api, table_name: str) -> None:
    p = enrol(api)
    assert p["status"] == "invited"
    assert p["caseworker_id"] == CW_A
    assert p["phone"] == "+41791234567"
    assert p["skills"] == ["gardening", "cleaning"]
    stored = participant_items(table_name)
    assert [s["participant_id"] for s in stored] == [p["participant_id"]]


def test_an_admin_must_name_the_caseworker(api: Api, table_name: str) -> None:
    answer = api.call("POST", "/participants", token=api.admin(), json_body=participant_body())
    assert answer.status == 422
    assert [d["field"] for d in answer.body["error"]["details"]] == ["caseworker_id"]
    assert participant_items(table_name) == []
    ok = api.call("POST", "/participants", token=api.admin(), json_body=participant_body(caseworker_id=CW_B))
    assert ok.status == 201 and ok.body["caseworker_id"] == CW_B


def test_a_caseworker_cannot_enrol_into_another_caseload(api: Api, table_name: str) -> None:
    token = api.token("caseworker", CW_A)
    answer = api.call("POST", "/participants", token=token, json_body=participant_body(caseworker_id=CW_B))
    assert answer.status == 422
    assert participant_items(table_name) == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"languages": ["de", "xx"]}, "languages.1"),
        ({"languages": ["deu"]}, "languages.0"),
        ({"preferred_language": "es"}, "preferred_language"),
        ({"postcode": "301"}, "postcode"),
        ({"postcode": "30123"}, "postcode"),
        ({"postcode": "abcd"}, "postcode"),
        ({"email": "anna@"}, "email"),
        ({"email": "no-at-sign.ch"}, "email"),
        ({"phone": "12"}, "phone"),
        ({"weekly_hours_limit": 0}, "weekly_hours_limit"),
        ({"case_reference": ""}, "case_reference"),
    ],
)
def test_bad_enrolment_input_is_refused_clearly_and_nothing_is_written(
    api: Api, table_name: str, overrides: dict[str, Any], field: str
) -> None:
    answer = api.call(
        "POST", "/participants", token=api.token("caseworker", CW_A), json_body=participant_body(**overrides)
    )
    assert answer.status == 422
    assert answer.body["error"]["code"] == "validation_failed"
    assert [d["field"] for d in answer.body["error"]["details"]] == [field]
    assert all_items(table_name) == []


def test_a_second_enrolment_of_the_same_email_is_a_409_and_writes_nothing(api: Api, table_name: str) -> None:
    first = enrol(api)
    before = all_items(table_name)
    again = api.call(
        "POST",
        "/participants",
        token=api.token("caseworker", CW_B),
        json_body=participant_body(email="ANNA.Meier@example.ch", first_name="Other"),
    )
    assert again.status == 409
    assert again.body["error"]["code"] == "email_already_enrolled"
    assert sorted(map(str, all_items(table_name))) == sorted(map(str, before))
    assert [p["participant_id"] for p in participant_items(table_name)] == [first["participant_id"]]


def test_an_enrolment_counts_in_its_month_on_a_shard_and_is_audited_in_the_same_write(
    api: Api, aws: dict[str, Any], table_name: str
) -> None:
    from tremplin.data import participants as store

    api.call("POST", "/_local/clock", json_body={"now": "2026-11-25T09:00:00+01:00"})
    people = [enrol(api, email=f"p{n}@example.ch") for n in range(12)]
    stats = [i for i in all_items(table_name) if i["PK"] == "STATS"]
    assert {i["type"] for i in stats} == {"stats"}
    assert all(i["SK"].rsplit("#", 1)[0] == "ENROLLED#2026-11" for i in stats)
    assert {int(i["SK"].rsplit("#", 1)[1]) for i in stats} <= set(range(store.ENROLMENT_SHARDS))
    assert sum(int(i["count"]) for i in stats) == 12
    audits = [i for i in all_items(table_name) if i["type"] == "audit"]
    assert sorted(a["participant_id"] for a in audits) == sorted(p["participant_id"] for p in people)
    assert {a["action"] for a in audits} == {"enrol"}
    # Counters written before the shards (one item per month) still count; later months do not.
    table = boto3.resource("dynamodb").Table(table_name)
    table.put_item(Item={"PK": "STATS", "SK": "ENROLLED#2026-10", "type": "stats", "count": 2})
    table.put_item(Item={"PK": "STATS", "SK": "ENROLLED#2026-12#3", "type": "stats", "count": 5})
    assert store.enrolled_up_to("2026-10") == 2
    assert store.enrolled_up_to("2026-11") == 14
    assert store.enrolled_up_to("2026-12") == 19


def test_enrolment_notifies_the_participant(api: Api, aws: dict[str, Any]) -> None:
    p = enrol(api)
    assert drain(aws)["drained"] is True
    inbox = api.call("GET", "/me/notifications", token=as_participant(api, p)).body["items"]
    assert [n["kind"] for n in inbox] == ["enrolled"]


# ---------------------------------------------------------------- consent and profile


def test_consent_with_a_known_version_activates_and_tells_the_caseworker(api: Api, aws: dict[str, Any]) -> None:
    p = enrol(api)
    me = as_participant(api, p)
    answer = api.call("POST", "/me/consent", token=me, json_body={"version": "2026-01"})
    assert answer.status == 200
    assert answer.body["status"] == "active"
    assert answer.body["consent"]["version"] == "2026-01"
    drain(aws)
    inbox = api.call("GET", "/me/notifications", token=api.token("caseworker", CW_A)).body["items"]
    assert [(n["kind"], n["data"]["participant_id"]) for n in inbox] == [("consent_given", p["participant_id"])]


def test_consent_with_an_unknown_version_is_refused_and_changes_nothing(api: Api) -> None:
    p = enrol(api)
    me = as_participant(api, p)
    answer = api.call("POST", "/me/consent", token=me, json_body={"version": "1999-01"})
    assert answer.status == 422
    assert answer.body["error"]["details"][0]["field"] == "version"
    assert api.call("GET", "/me", token=me).body["status"] == "invited"


def test_participants_edit_their_own_profile_only(api: Api) -> None:
    p = enrol(api)
    me = as_participant(api, p)
    answer = api.call("PATCH", "/me", token=me, json_body={"skills": ["Painting"], "availability": ["mon", "tue"]})
    assert answer.status == 200
    assert answer.body["skills"] == ["painting"]
    assert answer.body["availability"] == ["mon", "tue"]
    refused = api.call("PATCH", "/me", token=me, json_body={"case_reference": "mine"})
    assert refused.status == 422
    assert api.call("GET", "/me", token=me).body["case_reference"] == "SD-2026-0042"
    assert api.call("PATCH", "/me", token=me, json_body={"postcode": None}).status == 422


def test_an_unknown_participant_token_gets_404_on_me(api: Api) -> None:
    answer = api.call("GET", "/me", token=api.token("participant", "u", participant_id="par_nobody"))
    assert answer.status == 404


# ---------------------------------------------------------------- walls between caseloads


def test_a_caseworker_never_reaches_another_caseworkers_participant(api: Api, table_name: str) -> None:
    theirs = enrol(api, caseworker=CW_A)
    other = api.token("caseworker", CW_B)
    pid = theirs["participant_id"]
    before = participant_items(table_name)
    for method, path, body in [
        ("GET", f"/participants/{pid}", None),
        ("PATCH", f"/participants/{pid}", {"skills": ["x"]}),
        ("GET", f"/participants/{pid}/activity", None),
        ("POST", f"/participants/{pid}/exit", {"outcome": "training", "date": "2026-01-05"}),
    ]:
        answer = api.call(method, path, token=other, json_body=body)
        assert answer.status == 404, (method, path)
        assert answer.body["error"]["code"] == "not_found"
    # The audit trail is for admins only: any caseworker is refused, whoever's participant it is.
    assert api.call("GET", f"/participants/{pid}/audit", token=other).status == 403
    assert api.call("GET", "/participants", token=other).body["items"] == []
    assert participant_items(table_name) == before


def test_each_caseworker_lists_only_their_caseload_and_admins_list_all(api: Api) -> None:
    a1 = enrol(api, CW_A, email="a1@example.ch")
    a2 = enrol(api, CW_A, email="a2@example.ch")
    b1 = enrol(api, CW_B, email="b1@example.ch")
    listed = api.call("GET", "/participants", token=api.token("caseworker", CW_A)).body["items"]
    assert sorted(p["participant_id"] for p in listed) == sorted([a1["participant_id"], a2["participant_id"]])
    everyone = api.call("GET", "/participants", token=api.admin()).body["items"]
    assert len(everyone) == 3
    api.call("POST", "/me/consent", token=as_participant(api, a2), json_body={"version": "2026-01"})
    active = api.call("GET", "/participants?status=active", token=api.token("caseworker", CW_A)).body["items"]
    assert [p["participant_id"] for p in active] == [a2["participant_id"]]
    assert b1["participant_id"] not in {p["participant_id"] for p in listed}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/participants"),
        ("POST", "/participants"),
        ("GET", "/participants/{pid}"),
        ("PATCH", "/participants/{pid}"),
        ("GET", "/participants/{pid}/activity"),
        ("POST", "/participants/{pid}/exit"),
        ("POST", "/participants/{pid}/erase"),
        ("GET", "/participants/{pid}/audit"),
        ("GET", "/me"),
        ("GET", "/me/export"),
    ],
)
def test_an_employer_never_reaches_a_participant_record(api: Api, method: str, path: str) -> None:
    p = enrol(api)
    answer = api.call(method, path.format(pid=p["participant_id"]), token=api.employer("org_1"), json_body={})
    assert answer.status == 403
    assert "Anna" not in json.dumps(answer.body)


def test_only_admins_move_a_participant_to_another_caseworker(api: Api) -> None:
    p = enrol(api)
    pid = p["participant_id"]
    refused = api.call(
        "PATCH", f"/participants/{pid}", token=api.token("caseworker", CW_A), json_body={"caseworker_id": CW_B}
    )
    assert refused.status == 422
    moved = api.call("PATCH", f"/participants/{pid}", token=api.admin(), json_body={"caseworker_id": CW_B})
    assert moved.body["caseworker_id"] == CW_B
    assert api.call("GET", f"/participants/{pid}", token=api.token("caseworker", CW_A)).status == 404
    assert api.call("GET", f"/participants/{pid}", token=api.token("caseworker", CW_B)).status == 200
    cw_b_list = api.call("GET", "/participants", token=api.token("caseworker", CW_B)).body["items"]
    assert [x["participant_id"] for x in cw_b_list] == [pid]


def test_changing_the_email_moves_its_claim(api: Api) -> None:
    p = enrol(api)
    other = enrol(api, email="bruno@example.ch", first_name="Bruno")
    cw = api.token("caseworker", CW_A)
    taken = api.call("PATCH", f"/participants/{p['participant_id']}", token=cw, json_body={"email": "bruno@example.ch"})
    assert taken.status == 409 and taken.body["error"]["code"] == "email_already_enrolled"
    assert api.call("GET", f"/participants/{p['participant_id']}", token=cw).body["email"] == "anna.meier@example.ch"
    moved = api.call("PATCH", f"/participants/{p['participant_id']}", token=cw, json_body={"email": "anna@new.ch"})
    assert moved.status == 200
    # The old address is free again.
    enrol(api, email="anna.meier@example.ch", first_name="Third")
    assert other["email"] == "bruno@example.ch"


def test_exit_records_the_outcome_and_freezes_the_record(api: Api) -> None:
    p = enrol(api)
    pid = p["participant_id"]
    cw = api.token("caseworker", CW_A)
    future = api.call(
        "POST", f"/participants/{pid}/exit", token=cw, json_body={"outcome": "training", "date": "2099-01-01"}
    )
    assert future.status == 422
    done = api.call(
        "POST", f"/participants/{pid}/exit", token=cw, json_body={"outcome": "regular_employment", "date": "2026-01-05"}
    )
    assert done.status == 200
    assert done.body["status"] == "exited"
    assert done.body["exit"]["outcome"] == "regular_employment"
    again = api.call("PATCH", f"/participants/{pid}", token=cw, json_body={"skills": ["x"]})
    assert again.status == 409 and again.body["error"]["code"] == "invalid_transition"
    consent = api.call("POST", "/me/consent", token=as_participant(api, p), json_body={"version": "2026-01"})
    assert consent.status == 409
    bad = api.call(
        "POST", f"/participants/{pid}/exit", token=cw, json_body={"outcome": "lottery", "date": "2026-01-05"}
    )
    assert bad.status == 422


# ---------------------------------------------------------------- audit, export, erasure


def test_every_staff_read_and_change_is_audited_without_values(api: Api) -> None:
    p = enrol(api)
    pid = p["participant_id"]
    cw = api.token("caseworker", CW_A)
    api.call("GET", f"/participants/{pid}", token=cw)
    api.call("PATCH", f"/participants/{pid}", token=cw, json_body={"case_reference": "SD-NEW-1"})
    api.call("GET", "/participants", token=api.admin())
    trail = api.call("GET", f"/participants/{pid}/audit", token=api.admin()).body["items"]
    assert [(e["actor_sub"], e["action"]) for e in trail] == [
        (CW_A, "enrol"),
        (CW_A, "read"),
        (CW_A, "update"),
        ("admin-1", "list"),
    ]
    assert trail[2]["fields"] == ["case_reference"]
    assert "SD-NEW-1" not in json.dumps(trail)


def _mentions(item: dict[str, Any], needle: str) -> bool:
    return needle in json.dumps(item, default=str)


def test_the_export_holds_every_item_stored_about_the_participant(
    api: Api, aws: dict[str, Any], table_name: str
) -> None:
    p = enrol(api)
    enrol(api, email="someone@example.ch", first_name="Someone")
    me = as_participant(api, p)
    api.call("POST", "/me/consent", token=me, json_body={"version": "2026-01"})
    api.call("GET", f"/participants/{p['participant_id']}", token=api.token("caseworker", CW_A))
    drain(aws)
    export = api.call("GET", "/me/export", token=me)
    assert export.status == 200
    exported = {(i["PK"], i["SK"]) for i in export.body["items"]}
    stored = {(i["PK"], i["SK"]) for i in all_items(table_name) if _mentions(i, p["participant_id"])}
    assert exported == stored
    assert len(stored) >= 6  # profile, e-mail claim, audit entries, two notifications


def _complete_a_shift(api: Api, me: str) -> str:
    """Apply (with a message in the participant's own words), get the offer, work, get paid."""
    from tests.helpers import create_org, job_body, shift_body

    api.call("POST", "/_local/clock", json_body={"now": "2026-11-25T09:00:00+01:00"})
    employer = api.employer(create_org(api))
    body = job_body(
        shift_body("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00", break_minutes=30), publish=True
    )
    shift = api.call("POST", "/jobs", token=employer, json_body=body).body["shifts"][0]["shift_id"]
    app_id = api.call(
        "POST", f"/shifts/{shift}/applications", token=me, json_body={"message": "Anna Meier, 079 123 45 67"}
    ).body["application_id"]
    assert api.call("POST", f"/applications/{app_id}/accept", token=employer).status == 200
    assert api.call("POST", f"/applications/{app_id}/confirm", token=me).status == 200
    api.call("POST", "/_local/clock", json_body={"now": "2026-12-01T13:00:00+01:00"})
    hours = {"started_at": "2026-12-01T08:00:00+01:00", "ended_at": "2026-12-01T12:00:00+01:00", "break_minutes": 30}
    assert api.call("POST", f"/applications/{app_id}/hours", token=employer, json_body=hours).status == 200
    assert api.call("POST", f"/applications/{app_id}/hours/approve", token=me).status == 200
    assert (
        api.call(
            "POST", f"/applications/{app_id}/rating", token=me, json_body={"stars": 5, "comment": "Anna says thanks"}
        ).status
        == 200
    )
    about = {"stars": 4, "comment": "Very careful with the welding"}  # the employer's words about her
    assert api.call("POST", f"/applications/{app_id}/rating", token=employer, json_body=about).status == 200
    return str(app_id)


def test_erasure_leaves_no_personal_value_anywhere_and_keeps_the_figures(
    api: Api, aws: dict[str, Any], table_name: str
) -> None:
    p = enrol(api)
    pid = p["participant_id"]
    me = as_participant(api, p)
    api.call("POST", "/me/consent", token=me, json_body={"version": "2026-01"})
    api.call("PATCH", "/me", token=me, json_body={"skills": ["welding"]})
    app_id = _complete_a_shift(api, me)
    drain(aws)
    table = boto3.resource("dynamodb").Table(table_name)

    def figures() -> tuple[Any, ...]:
        profile = table.get_item(Key={"PK": f"PART#{pid}", "SK": "PROFILE"})["Item"]
        app = table.get_item(Key={"PK": f"APP#{app_id}", "SK": "APP"})["Item"]
        return profile["completed_shifts"], profile["hours_total"], profile["pay_total"], app["pay"], app["hours"]

    before = figures()
    assert before[2] == Decimal("103.85")
    answer = api.call("POST", f"/participants/{pid}/erase", token=api.admin())
    assert answer.status == 200
    assert answer.body["status"] == "erased"
    assert (answer.body["first_name"], answer.body["email"], answer.body["phone"]) == ("Erased", None, None)
    drain(aws)  # the rest of their data goes as what follows from the change (the table's stream)
    personal = [
        "Anna",
        "Meier",
        "anna.meier@example.ch",
        "+41791234567",
        "079 123 45 67",
        "SD-2026-0042",
        "3012",
        "welding",
        "careful",
    ]
    for item in all_items(table_name):
        # Keys and generated ids are digits and hex that could contain "3012" by chance.
        values = {k: v for k, v in item.items() if not (k.endswith(("PK", "SK")) or k.endswith("_id"))}
        for value in personal:
            assert not _mentions(values, value), (value, item)
    assert figures() == before
    profile = table.get_item(Key={"PK": f"PART#{pid}", "SK": "PROFILE"})["Item"]
    assert profile["caseworker_id"] == CW_A
    assert api.call("GET", "/me", token=me).status == 404
    # The address can be used again, and erasing twice is harmless.
    enrol(api)
    assert api.call("POST", f"/participants/{pid}/erase", token=api.admin()).status == 200


def test_activity_lists_the_participants_applications(api: Api, aws: dict[str, Any]) -> None:
    p = enrol(api)
    me = as_participant(api, p)
    api.call("POST", "/me/consent", token=me, json_body={"version": "2026-01"})
    app_id = _complete_a_shift(api, me)
    answer = api.call("GET", f"/participants/{p['participant_id']}/activity", token=api.token("caseworker", CW_A))
    assert [(a["application_id"], a["status"], a["pay"]["gross"]) for a in answer.body["applications"]] == [
        (app_id, "completed", "103.85")
    ]


def test_only_admins_erase(api: Api) -> None:
    p = enrol(api)
    answer = api.call("POST", f"/participants/{p['participant_id']}/erase", token=api.token("caseworker", CW_A))
    assert answer.status == 403
    assert api.call("GET", "/me", token=as_participant(api, p)).body["first_name"] == "Anna"


def test_activity_shows_notifications_sent_about_the_participant(api: Api, aws: dict[str, Any]) -> None:
    p = enrol(api)
    api.call("POST", "/me/consent", token=as_participant(api, p), json_body={"version": "2026-01"})
    drain(aws)
    answer = api.call("GET", f"/participants/{p['participant_id']}/activity", token=api.token("caseworker", CW_A))
    assert answer.status == 200
    assert sorted(n["kind"] for n in answer.body["notifications"]) == ["consent_given", "enrolled"]


# ---------------------------------------------------------------- job suggestions


def _open_job(api: Api) -> str:
    from tests.helpers import create_org, job_body

    api.call("POST", "/_local/clock", json_body={"now": "2026-11-25T09:00:00+01:00"})
    org = create_org(api)
    job = api.call("POST", "/jobs", token=api.employer(org), json_body=job_body(publish=True)).body
    return str(job["job_id"])


def test_a_caseworker_suggests_a_job_and_the_participant_is_told(api: Api, aws: dict[str, Any]) -> None:
    job_id = _open_job(api)
    p = enrol(api)
    me = as_participant(api, p)
    api.call("POST", "/me/consent", token=me, json_body={"version": "2026-01"})
    cw = api.token("caseworker", CW_A)
    answer = api.call(
        "POST",
        f"/participants/{p['participant_id']}/suggestions",
        token=cw,
        json_body={"job_id": job_id, "note": "Near you"},
    )
    assert answer.status == 201
    assert answer.body["job_id"] == job_id
    drain(aws)
    inbox = api.call("GET", "/me/notifications", token=me).body["items"]
    assert (inbox[0]["kind"], inbox[0]["data"].get("job_id")) == ("job_suggested", job_id)


def test_suggestions_stay_inside_the_caseload_and_need_a_published_job(api: Api, table_name: str) -> None:
    job_id = _open_job(api)
    p = enrol(api)
    api.call("POST", "/me/consent", token=as_participant(api, p), json_body={"version": "2026-01"})
    path = f"/participants/{p['participant_id']}/suggestions"
    other = api.call("POST", path, token=api.token("caseworker", CW_B), json_body={"job_id": job_id})
    assert other.status == 404
    unknown = api.call("POST", path, token=api.token("caseworker", CW_A), json_body={"job_id": "job_nope"})
    assert unknown.status == 422
    assert unknown.body["error"]["details"][0]["field"] == "job_id"
    assert [i for i in all_items(table_name) if i["type"] == "suggestion"] == []


def test_a_lagging_index_never_shows_a_participant_to_a_caseworker_who_no_longer_has_them(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lists on keys-only indexes read the profiles by key after the Query; an index entry that
    still says caseworker A (indexes lag the table) must not show B's participant to A."""
    from tremplin.data import pagination
    from tremplin.data import participants as store

    moved = enrol(api, caseworker=CW_B)
    stale_key = {"PK": f"PART#{moved['participant_id']}", "SK": "PROFILE"}
    monkeypatch.setattr(store, "query_page", lambda *a, **k: (pagination._whole([stale_key], "GSI1"), None))
    answer = api.call("GET", "/participants", token=api.token("caseworker", CW_A))
    assert answer.status == 200, answer.body
    assert answer.body["items"] == []
    answer = api.call("GET", "/participants?status=active", token=api.token("admin", "admin-1"))
    assert answer.body["items"] == []  # enrolled, not active yet: the stale entry said otherwise


# ---------------------------------------------------------------- date of birth, withholding tax


@pytest.mark.parametrize("born", ["2026-11-26", "1926-11-24", "not-a-date"])
def test_a_date_of_birth_in_the_future_or_over_100_years_ago_is_refused(api: Api, born: str) -> None:
    api.call("POST", "/_local/clock", json_body={"now": "2026-11-25T09:00:00+01:00"})
    answer = api.call(
        "POST", "/participants", token=api.token("caseworker", CW_A), json_body=participant_body(date_of_birth=born)
    )
    assert answer.status == 422
    assert {d["field"] for d in answer.body["error"]["details"]} == {"date_of_birth"}


def test_date_of_birth_and_withholding_tax_seen_by_staff_and_self_exported_and_erased(
    api: Api, aws: dict[str, Any]
) -> None:
    api.call("POST", "/_local/clock", json_body={"now": "2026-11-25T09:00:00+01:00"})
    p = enrol(api, date_of_birth="1926-11-25")  # exactly 100 years ago: still accepted
    assert (p["date_of_birth"], p["withholding_tax"]) == ("1926-11-25", False)
    pid, cw = p["participant_id"], api.token("caseworker", CW_A)
    changed = api.call(
        "PATCH", f"/participants/{pid}", token=cw, json_body={"date_of_birth": "1990-02-03", "withholding_tax": True}
    )
    assert (changed.status, changed.body["date_of_birth"], changed.body["withholding_tax"]) == (200, "1990-02-03", True)
    me = as_participant(api, p)
    assert api.call("POST", "/me/consent", token=me, json_body={"version": "2026-01"}).status == 200
    mine = api.call("GET", "/me", token=me).body
    assert (mine["date_of_birth"], mine["withholding_tax"]) == ("1990-02-03", True)
    profile = next(i for i in api.call("GET", "/me/export", token=me).body["items"] if i.get("type") == "participant")
    assert (profile["date_of_birth"], profile["withholding_tax"]) == ("1990-02-03", True)
    assert api.call("POST", f"/participants/{pid}/erase", token=api.admin()).status == 200
    stored = boto3.resource("dynamodb").Table(aws["Table"]).get_item(Key={"PK": f"PART#{pid}", "SK": "PROFILE"})
    assert "date_of_birth" not in stored["Item"] and "withholding_tax" not in stored["Item"]


def test_every_change_writes_its_audit_entry_in_its_own_transaction(api: Api, aws: dict[str, Any]) -> None:
    """Consent, a participant's and a caseworker's update, a job suggestion, an exit: each is one
    transaction of the change and its audit entry (no change without its entry, nor an entry
    without its change), and the answer is the profile as changed, not read back."""
    from tests.aws_calls import AwsCalls
    from tests.helpers import create_org, job_body, shift_body

    employer = api.employer(create_org(api))
    body = job_body(shift_body("2027-03-01T08:00:00+01:00", "2027-03-01T12:00:00+01:00"), publish=True)
    job_id = api.call("POST", "/jobs", token=employer, json_body=body).body["job_id"]
    p = enrol(api)
    pid, me, staff = p["participant_id"], as_participant(api, p), api.token("caseworker", CW_A)
    steps = [
        ("consent", "POST", "/me/consent", me, {"version": "2026-01"}, ("status", "active")),
        ("update", "PATCH", "/me", me, {"skills": ["welding"]}, ("skills", ["welding"])),
        ("update", "PATCH", f"/participants/{pid}", staff, {"phone": "+41797654321"}, ("phone", "+41797654321")),
        ("suggest_job", "POST", f"/participants/{pid}/suggestions", staff, {"job_id": job_id}, ("job_id", job_id)),
        ("exit", "POST", f"/participants/{pid}/exit", staff, {"outcome": "other", "date": "2026-01-05"}, None),
    ]
    for action, method, path, token, body, shown in steps:
        with AwsCalls() as calls:
            answer = api.call(method, path, token=token, json_body=body)
        assert answer.status in (200, 201), answer.body
        assert shown is None or answer.body[shown[0]] == shown[1]
        writes = {k: v for k, v in calls.dynamodb().items() if k not in ("GetItem", "BatchGetItem")}
        assert writes == {"TransactWriteItems": 1}, path
        assert action == "suggest_job" or calls.dynamodb()["GetItem"] == 1  # the profile: not read back
        [transaction] = [c.params["TransactItems"] for c in calls.log if c.operation == "TransactWriteItems"]
        [audit] = [i["Put"]["Item"] for i in transaction if "Put" in i and i["Put"]["Item"]["type"] == "audit"]
        assert (audit["participant_id"], audit["action"]) == (pid, action)
        assert len(transaction) >= 2  # the change itself
    assert api.call("GET", f"/participants/{pid}", token=staff).body["status"] == "exited"


def test_a_change_made_on_a_stale_read_is_refused_and_the_caseload_stays(api: Api, aws: dict[str, Any]) -> None:
    """A participant's own change, read before an admin moved them to another caseworker and
    written after: refused (409, reload), never writing the old caseworker's index keys back."""
    from tremplin.data import participants as store
    from tremplin.logic.participants import EDITABLE

    p = enrol(api)
    pid = p["participant_id"]
    stale = store.get(pid)
    assert stale is not None
    moved = api.call("PATCH", f"/participants/{pid}", token=api.admin(), json_body={"caseworker_id": CW_B})
    assert moved.status == 200
    assert (
        store.update(stale, {"phone": "+41791111111"}, allowed_statuses=EDITABLE, at="2026-12-01T00:00:00+00:00")
        is None
    )
    caseload = api.call("GET", "/participants", token=api.token("caseworker", CW_B)).body["items"]
    assert [i["participant_id"] for i in caseload] == [pid]
    assert api.call("GET", f"/participants/{pid}", token=api.token("caseworker", CW_A)).status == 404
