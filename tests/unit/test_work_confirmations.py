"""Work confirmations (art. 330a para. 2 OR), their public verification and employers' references,
through the API (in process, moto): the PDF's text as pypdf extracts it, who may download it, the
audit of staff downloads, the codes, and what an erasure leaves of them."""

from __future__ import annotations

import hashlib
import io
import re
from typing import Any

import boto3
import pypdf
import pytest

from tests.aws_calls import AwsCalls
from tests.helpers import Answer, Api, all_items, create_org, drain, job_body, shift_body
from tests.unit.test_applications import NOW, World
from tremplin import paper_codes

DAY_1 = ("2026-12-01T08:00:00+01:00", "2026-12-01T12:30:00+01:00")  # 4 h after a 30 min break
DAY_3 = ("2026-12-03T13:00:00+01:00", "2026-12-03T19:30:00+01:00")  # 6 h
DAY_8 = ("2026-12-08T08:00:00+01:00", "2026-12-08T10:30:00+01:00")  # 2 h
FORBIDDEN = ("assistance", "sozialhilfe", "aide sociale", "social assistance", "sozialamt", "★")
CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


@pytest.fixture
def world(api: Api, aws: dict[str, Any]) -> World:
    return World(api, aws)


def _job(world: World, employer: str, shift: tuple[str, str], title: str, category: str) -> str:
    body = job_body(shift_body(*shift, slots=2, break_minutes=30), publish=True, title=title, category=category)
    answer = world.api.call("POST", "/jobs", token=employer, json_body=body)
    assert answer.status == 201, answer.body
    return str(answer.body["shifts"][0]["shift_id"])


def _worked(
    world: World,
    me: str,
    shift: tuple[str, str],
    *,
    employer: str | None = None,
    title: str = "Help in the city gardens",
    category: str = "gardening",
    approve: bool = True,
) -> str:
    """A shift of a new job, offered, confirmed, worked and (with `approve`) completed."""
    employer = employer or world.employer
    world.clock(NOW)
    shift_id = _job(world, employer, shift, title, category)
    app_id = world.apply(shift_id, me)
    assert world.act(app_id, "accept", employer).status == 200
    assert world.act(app_id, "confirm", me).status == 200
    world.clock(shift[1])
    assert world.act(app_id, "hours", employer, world.hours(*shift, break_minutes=30)).status == 200
    if approve:
        assert world.act(app_id, "hours/approve", me).status == 200
    return app_id


def _confirmation(world: World, token: str, path: str = "/me/work-confirmation", query: str = "") -> Answer:
    world.clock("2026-12-20T10:00:00+01:00")
    return world.api.call("GET", f"{path}{query}", token=token)


def _text(answer: Answer) -> str:
    assert answer.status == 200, answer.body
    assert answer.headers["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(answer.body))
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    """Extracted text with its line breaks as spaces (a long sentence wraps)."""
    return " ".join(text.split())


def _stored(world: World, prefix: str) -> list[dict[str, Any]]:
    return [
        i for i in all_items(world.aws["Table"]) if str(i["PK"]).startswith(prefix) or str(i["SK"]).startswith(prefix)
    ]


# ---------------------------------------------------------------- what the paper says


def test_the_paper_names_each_employer_the_kinds_of_work_the_days_and_hours_and_no_judgement(world: World) -> None:
    _, me = world.participant(first_name="Selam", last_name="Tesfay", date_of_birth="1990-04-17")
    garden = _worked(world, me, DAY_1)
    other_org = create_org(world.api, name="Restaurant Lorenzini")
    kitchen = world.api.employer(other_org, sub="employer-2")
    _worked(world, me, DAY_3, employer=kitchen, title="Abwasch und Rüsten", category="kitchen")
    assert world.act(garden, "rating", world.employer, {"stars": 2, "comment": "Kam zu spät"}).status == 200
    _worked(world, me, DAY_8, approve=False, title="Laub rechen")  # hours submitted, not approved: not yet work

    text = _text(_confirmation(world, me))
    flat = _flat(text)
    assert "Arbeitsbestätigung" in text and "Art. 330a Abs. 2 OR" in flat
    assert "Arbeitgeber: Tremplin - Programm für Kurzeinsätze" in text  # as on the payslip
    assert "Selam Tesfay" in text and "17.04.1990" in text
    assert "Bäckerei Glauser" in text and "Restaurant Lorenzini" in text
    assert "Garten- und Grünpflege" in text and "Küche" in text
    assert "Help in the city gardens" in text and "Abwasch und Rüsten" in text
    assert "01.12.2026" in text and "03.12.2026" in text
    assert "Laub rechen" not in text and "08.12.2026" not in text
    assert "4.00" in text and "6.00" in text
    assert "Total: 2 Einsätze an 2 Tagen, 10.00 Stunden." in flat
    assert text.index("Bäckerei Glauser") < text.index("Restaurant Lorenzini")  # in the order worked for
    for judgement in ("Kam zu spät", "2/5", "Bewertung", "CHF", "24.50"):  # no rating, no pay
        assert judgement not in text


def test_a_late_cancellations_compensation_is_not_work(world: World) -> None:
    _, me = world.participant()
    shift_id = _job(world, world.employer, DAY_1, "Help in the city gardens", "gardening")
    app_id = world.confirmed(shift_id, me)
    world.clock("2026-11-30T20:00:00+01:00")  # 12 h before the start: paid as compensation
    cancelled = world.act(app_id, "cancel", world.employer, {"reason": "Auftrag storniert"})
    assert cancelled.status == 200 and cancelled.body["pay"]["compensation"] is True
    text = _flat(_text(_confirmation(world, me)))
    assert "keine Arbeitseinsätze" in text and "Bäckerei Glauser" not in text


@pytest.mark.parametrize(
    ("language", "title", "kind"),
    [
        ("de", "Arbeitsbestätigung", "Garten- und Grünpflege"),
        ("fr", "Attestation de travail", "Jardinage et espaces verts"),
        ("en", "Work confirmation", "Gardening and grounds"),
    ],
)
def test_each_language_and_never_a_word_of_assistance(world: World, language: str, title: str, kind: str) -> None:
    _, me = world.participant(preferred_language=language, date_of_birth="1990-04-17")
    app_id = _worked(world, me, DAY_1)
    assert world.act(app_id, "rating", world.employer, {"stars": 5, "comment": "Top"}).status == 200
    own_language = _text(_confirmation(world, me))
    asked_for = _text(
        _confirmation(world, world.api.token("caseworker", "cw-1"), _staff_path(world, me), f"?lang={language}")
    )
    for text in (own_language, asked_for):
        assert title in text and kind in text and "Bäckerei Glauser" in text and "4.00" in text
        assert "Top" not in text
        lowered = text.lower()
        assert not [word for word in FORBIDDEN if word in lowered], text
    nothing = _text(_confirmation(world, me, query="?from=2026-12-02&to=2026-12-02"))
    assert not [word for word in FORBIDDEN if word in nothing.lower()]


def _staff_path(world: World, token: str) -> str:
    participant_id = world.api.call("GET", "/me", token=token).body["participant_id"]
    return f"/participants/{participant_id}/work-confirmation"


# ---------------------------------------------------------------- the period


def test_the_period_takes_the_zurich_days_from_and_to_and_defaults_to_the_whole_history(world: World) -> None:
    _, me = world.participant()
    early = ("2026-12-01T00:30:00+01:00", "2026-12-01T03:00:00+01:00")  # 30 Nov in UTC, 1 Dec in Zurich
    _worked(world, me, early)
    _worked(world, me, DAY_3, title="Hecken schneiden")

    whole = _flat(_text(_confirmation(world, me)))
    assert "25.11.2026 - 20.12.2026" in whole  # from the enrolment to today
    assert "Help in the city gardens" in whole and "Hecken schneiden" in whole
    first = _text(_confirmation(world, me, query="?from=2026-12-01&to=2026-12-01"))
    assert "01.12.2026" in first and "Hecken schneiden" not in first
    assert "Help in the city gardens" not in _text(_confirmation(world, me, query="?from=2026-11-20&to=2026-11-30"))
    later = _text(_confirmation(world, me, query="?from=2026-12-02"))
    assert "Hecken schneiden" in later and "Help in the city gardens" not in later
    assert "Help in the city gardens" in _text(_confirmation(world, me, query="?to=2026-12-01"))


@pytest.mark.parametrize("query", ["?from=2026-12-05&to=2026-12-01", "?from=yesterday", "?to=2026-13-01", "?lang=it"])
def test_a_bad_period_or_language_is_422_and_issues_nothing(world: World, query: str) -> None:
    _, me = world.participant()
    answer = _confirmation(world, me, query=query)
    assert answer.status == 422 and answer.body["error"]["code"] == "validation_failed"
    assert _stored(world, "VERIFY#") == []


# ---------------------------------------------------------------- who may download it


def test_who_may_download_a_confirmation_and_the_staff_download_is_audited(world: World) -> None:
    participant_id, me = world.participant(caseworker="cw-1")
    _, other = world.participant(caseworker="cw-2")
    _worked(world, me, DAY_1)
    api = world.api
    path = f"/participants/{participant_id}/work-confirmation"
    assert "Anna Meier" in _text(_confirmation(world, api.token("caseworker", "cw-1"), path))
    assert "Anna Meier" in _text(_confirmation(world, api.admin(), path))
    assert _confirmation(world, api.token("caseworker", "cw-2"), path).status == 404
    assert _confirmation(world, api.admin(), "/participants/par_nobody/work-confirmation").status == 404
    assert _confirmation(world, world.employer, path).status == 403
    assert _confirmation(world, other, path).status == 403  # participants read their own at /me
    assert _confirmation(world, world.employer).status == 403
    assert "Bäckerei Glauser" not in _text(_confirmation(world, other))  # their own: no work of mine

    audit = api.call("GET", f"/participants/{participant_id}/audit", token=api.admin()).body["items"]
    downloads = [
        (e["actor_sub"], e["actor_role"], e["fields"]) for e in audit if e["action"] == "read_work_confirmation"
    ]
    fields = ["applications", "hours", "references"]
    assert sorted(downloads) == [("admin-1", "admin", fields), ("cw-1", "caseworker", fields)]
    before = len(audit)
    _text(_confirmation(world, me))  # the participant's own download is not a staff read
    after = api.call("GET", f"/participants/{participant_id}/audit", token=api.admin()).body["items"]
    assert len(after) == before


def test_a_staff_download_is_audited_in_the_transaction_that_issues_the_paper(world: World) -> None:
    """Both are written or neither: no paper a caseworker could hand on without its audit entry."""
    participant_id, me = world.participant(caseworker="cw-1")
    _worked(world, me, DAY_1)
    with AwsCalls() as calls:
        answer = _confirmation(
            world, world.api.token("caseworker", "cw-1"), f"/participants/{participant_id}/work-confirmation"
        )
    assert answer.status == 200
    [transaction] = [c.params["TransactItems"] for c in calls.log if c.operation == "TransactWriteItems"]
    written = sorted(item["Put"]["Item"]["SK"].split("#")[0] for item in transaction)
    assert written == ["AUDIT", "PAPER", "VERIFY"]
    assert "BatchWriteItem" not in calls.dynamodb()


# ---------------------------------------------------------------- verification


def test_the_printed_code_verifies_publicly_and_says_nothing_personal(world: World) -> None:
    participant_id, me = world.participant(first_name="Selam", last_name="Tesfay")
    _worked(world, me, DAY_1)
    answer = _confirmation(world, me)
    text = _flat(_text(answer))
    [code] = set(CODE.findall(text))
    assert f"/verify/{code}" in text.replace(" ", "")

    checked = world.api.call("GET", f"/verify/{code}")  # no token
    assert checked.status == 200
    assert checked.body == {"valid": True, "document": "work_confirmation", "issued_on": "2026-12-20"}
    typed = code.lower().replace("-", "").replace("0", "o")  # as a reader might type it
    assert world.api.call("GET", f"/verify/{typed}").body == checked.body
    assert world.api.call("GET", "/verify/AAAA-BBBB-CCCC-DDDD").status == 404
    assert world.api.call("GET", "/verify/not-a-code").status == 404

    [record] = _stored(world, "VERIFY#")
    assert record["participant_id"] == participant_id
    assert record["document_sha256"] == hashlib.sha256(answer.body).hexdigest()
    assert record["issued_on"] == "2026-12-20"
    second = CODE.findall(_flat(_text(_confirmation(world, me))))
    assert second and second[0] != code  # each download is a paper of its own


def test_after_an_erasure_the_code_still_verifies_and_names_nobody(world: World) -> None:
    participant_id, me = world.participant(caseworker="cw-1")
    app_id = _worked(world, me, DAY_1)
    assert (
        world.api.call(
            "PUT", f"/applications/{app_id}/reference", token=world.employer, json_body={"text": "Ruhig und genau."}
        ).status
        == 200
    )
    [code] = set(CODE.findall(_flat(_text(_confirmation(world, me)))))
    api = world.api
    assert api.call("POST", f"/participants/{participant_id}/erase", token=api.admin()).status == 200
    drain(world.aws)  # what follows the erasure (the table's stream)

    assert api.call("GET", f"/verify/{code}").body == {
        "valid": True,
        "document": "work_confirmation",
        "issued_on": "2026-12-20",
    }
    [record] = _stored(world, "VERIFY#")
    assert "participant_id" not in record and "document_sha256" not in record
    assert [i for i in all_items(world.aws["Table"]) if str(i["SK"]).startswith("PAPER#")] == []
    assert "reference" not in world.stored(app_id)  # the employer's words about the person are gone
    refused = _confirmation(world, api.admin(), f"/participants/{participant_id}/work-confirmation")
    assert refused.status == 409 and refused.body["error"]["code"] == "participant_erased"
    assert _confirmation(world, me).status == 404  # their old token acts no more
    assert len(_stored(world, "VERIFY#")) == 1  # and nothing new was issued


def test_codes_are_80_random_bits_in_four_typable_groups() -> None:
    codes = {paper_codes.new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert CODE.fullmatch(code) and not set(code) & set("ILOU")
        assert paper_codes.canonical(code.lower().replace("-", "")) == code
    assert paper_codes.canonical("1lI0-oOAB-CDEF-GHJK") == "1110-00AB-CDEF-GHJK"
    assert paper_codes.canonical("ABCD-EFGH") is None and paper_codes.canonical("UUUU-UUUU-UUUU-UUUU") is None


# ---------------------------------------------------------------- references


def _reference(world: World, app_id: str, token: str, text: str) -> Answer:
    return world.api.call("PUT", f"/applications/{app_id}/reference", token=token, json_body={"text": text})


def test_a_reference_is_written_on_completed_work_of_the_own_organisation_only(world: World) -> None:
    _, me = world.participant()
    done = _worked(world, me, DAY_1)
    pending = _worked(world, me, DAY_3, approve=False)
    refused = _reference(world, pending, world.employer, "Sorgfältig.")
    assert refused.status == 409 and refused.body["error"]["code"] == "application_not_completed"
    assert "reference" not in world.stored(pending)
    stranger = world.api.employer(create_org(world.api, name="Fremd AG"), sub="employer-x")
    assert _reference(world, done, stranger, "Sorgfältig.").status == 404
    assert _reference(world, done, me, "Ich war super.").status == 403
    assert _reference(world, done, world.employer, "x" * 1001).status == 422
    assert _reference(world, done, world.employer, "   ").status == 422

    written = _reference(world, done, world.employer, "Sorgfältig und pünktlich.")
    assert written.status == 200 and written.body["text"] == "Sorgfältig und pünktlich."
    assert "included" not in written.body  # the participant's choice is theirs
    assert world.stored(done)["reference"]["included"] is False
    seen = world.api.call("GET", f"/applications/{done}", token=world.employer).body
    assert seen["reference"]["text"] == "Sorgfältig und pünktlich." and "included" not in seen["reference"]


def test_the_participant_chooses_whether_the_reference_is_printed(world: World) -> None:
    _, me = world.participant()
    _, other = world.participant()
    app_id = _worked(world, me, DAY_1)
    none_yet = world.act(app_id, "reference/include", me)
    assert none_yet.status == 409 and none_yet.body["error"]["code"] == "no_reference"
    assert _reference(world, app_id, world.employer, "Arbeitet ruhig und genau.").status == 200
    assert "Arbeitet ruhig und genau." not in _text(_confirmation(world, me))  # excluded by default

    assert world.act(app_id, "reference/include", other).status == 404
    assert world.act(app_id, "reference/include", world.employer).status == 403
    included = world.act(app_id, "reference/include", me)
    assert included.status == 200 and included.body["reference"]["included"] is True
    assert world.act(app_id, "reference/include", me).body["reference"]["included"] is True  # a repeat
    text = _text(_confirmation(world, me))
    assert "Referenz des Einsatzbetriebs" in text and "Arbeitet ruhig und genau." in text
    assert text.index("Bäckerei Glauser") < text.index("Arbeitet ruhig und genau.")

    # A changed text waits for the participant's choice again.
    assert _reference(world, app_id, world.employer, "Arbeitet ruhig, genau und schnell.").status == 200
    assert world.stored(app_id)["reference"]["included"] is False
    assert "schnell" not in _text(_confirmation(world, me))
    assert world.act(app_id, "reference/include", me).status == 200
    assert "schnell" in _text(_confirmation(world, me))
    assert world.act(app_id, "reference/exclude", me).body["reference"]["included"] is False
    assert "schnell" not in _text(_confirmation(world, me))


def test_the_same_text_again_changes_nothing(world: World) -> None:
    _, me = world.participant()
    app_id = _worked(world, me, DAY_1)
    first = _reference(world, app_id, world.employer, "Zuverlässig.")
    assert world.act(app_id, "reference/include", me).status == 200
    again = _reference(world, app_id, world.employer, "Zuverlässig.")
    assert again.body == first.body
    assert world.stored(app_id)["reference"]["included"] is True


def test_an_include_on_a_text_changed_meanwhile_is_refused(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The participant read one text; the employer changed it before their include was written."""
    from tremplin.logic import references

    _, me = world.participant()
    app_id = _worked(world, me, DAY_1)
    assert _reference(world, app_id, world.employer, "Gut.").status == 200
    read = dict(world.stored(app_id))
    boto3.resource("dynamodb").Table(world.aws["Table"]).update_item(
        Key={"PK": f"APP#{app_id}", "SK": "APP"},
        UpdateExpression="SET #r.#t = :t",
        ExpressionAttributeNames={"#r": "reference", "#t": "text"},
        ExpressionAttributeValues={":t": "Geändert."},
    )
    monkeypatch.setattr(references, "_load", lambda caller, app: read)  # the include acts on what was read
    refused = world.act(app_id, "reference/include", me)
    assert refused.status == 409 and refused.body["error"]["code"] == "reference_changed"
    assert world.stored(app_id)["reference"] == {**read["reference"], "text": "Geändert."}


def test_the_participant_is_told_of_each_new_text_from_the_tables_stream(world: World) -> None:
    _, me = world.participant(preferred_language="fr")
    app_id = _worked(world, me, DAY_1)
    assert _reference(world, app_id, world.employer, "Travail soigné.").status == 200
    assert _reference(world, app_id, world.employer, "Travail soigné.").status == 200  # a repeat: no news
    assert world.act(app_id, "reference/include", me).status == 200  # her own choice: no news
    assert world.inbox(me).count("reference_written") == 1
    [note] = [
        n
        for n in world.api.call("GET", "/me/notifications", token=me).body["items"]
        if n["kind"] == "reference_written"
    ]
    assert "Bäckerei Glauser" in note["message"] and "Documents" in note["message"]
    assert note["link"].endswith("/#/papers")
    assert _reference(world, app_id, world.employer, "Travail soigné et rapide.").status == 200
    assert world.inbox(me).count("reference_written") == 2
    assert world.inbox(world.employer).count("reference_written") == 0


def test_the_export_holds_the_papers_issued_and_their_records(world: World) -> None:
    participant_id, me = world.participant()
    _worked(world, me, DAY_1)
    answer = _confirmation(world, me)
    [code] = set(CODE.findall(_flat(_text(answer))))
    items = world.api.call("GET", "/me/export", token=me).body["items"]
    [record] = [i for i in items if i["PK"] == f"VERIFY#{code}"]
    assert record["participant_id"] == participant_id
    assert record["document_sha256"] == hashlib.sha256(answer.body).hexdigest()
    assert [i["SK"] for i in items if i["PK"] == f"PART#{participant_id}" and i["SK"].startswith("PAPER#")] == [
        f"PAPER#{code}"
    ]
