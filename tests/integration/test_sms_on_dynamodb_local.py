"""SMS (issue 20) on DynamoDB Local and moto's server, as the local stack runs them: the month's
cap holds under concurrent sends, and the SMS the notifier sent are read back from moto."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest

from local import sms as local_sms
from tests.helpers import Api, create_org, drain, job_body, participant_body, shift_body

pytestmark = pytest.mark.integration

NOW = "2026-11-25T09:00:00+01:00"
MONTH = "2026-11"


def _notes(table_name: str, n: int) -> list[dict[str, Any]]:
    from tremplin.data import keys

    table = boto3.resource("dynamodb").Table(table_name)
    notes = []
    for i in range(n):
        note = {
            "notification_id": f"ntf_{i}",
            "recipient": f"participant#par_{i}",
            "kind": "offer_made",
            "created_at": "2026-11-25T08:00:00+00:00",
        }
        table.put_item(Item={**keys.note(note["recipient"], note["created_at"], None, note["notification_id"]), **note})
        notes.append(note)
    return notes


def test_concurrent_sends_never_pass_the_month_s_cap(table_name: str) -> None:
    from tremplin.data import sms

    notes = _notes(table_name, 24)
    cap = 7
    # Every note claimed twice at once, as two notifiers given the same queued note would.
    with ThreadPoolExecutor(max_workers=12) as pool:
        claims = list(pool.map(lambda note: sms.claim(note, MONTH, cap, NOW), notes + notes))
    assert Counter(claims) == {
        sms.Claim.GRANTED: cap,
        sms.Claim.ALREADY_SENT: cap,  # the other claim of each granted note: no note sent twice
        sms.Claim.CAP_REACHED: 2 * (len(notes) - cap),
    }
    assert sms.sent_in(MONTH) == cap
    marked = [i for i in _stored(table_name, notes) if i.get("sms_sent_at")]
    assert len(marked) == cap


def _stored(table_name: str, notes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from tremplin.data import keys

    table = boto3.resource("dynamodb").Table(table_name)
    return [
        table.get_item(Key=keys.note(n["recipient"], n["created_at"], None, n["notification_id"]), ConsistentRead=True)[
            "Item"
        ]
        for n in notes
    ]


def test_the_local_stack_s_moto_records_the_sms_the_notifier_sent(api: Api, dynamodb_local: dict[str, Any]) -> None:
    api.call("POST", "/_local/clock", json_body={"now": NOW})
    employer = api.employer(create_org(api))
    title = "Holz stapeln im Bremgartenwald"
    body = job_body(shift_body("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00"), publish=True, title=title)
    shift = api.call("POST", "/jobs", token=employer, json_body=body).body["shifts"][0]["shift_id"]
    enrolled = api.call(
        "POST",
        "/participants",
        token=api.token("caseworker", "cw-1"),
        json_body=participant_body(email="sms.local@example.ch", phone="078 765 43 21"),
    )
    me = api.token("participant", "u-sms", participant_id=enrolled.body["participant_id"])
    assert api.call("POST", "/me/consent", token=me, json_body={"version": "2026-01"}).status == 200
    assert api.call("PATCH", "/me", token=me, json_body={"sms_consent": True}).status == 200
    application = api.call("POST", f"/shifts/{shift}/applications", token=me).body["application_id"]
    assert api.call("POST", f"/applications/{application}/accept", token=employer).status == 200
    drain(dynamodb_local)
    mine = [s for s in local_sms.sent() if title in s["message"]]
    assert [s["phone_number"] for s in mine] == ["+41787654321"]
    assert mine[0]["message"].startswith(f"Tremplin: Angebot für {title} 01.12. 08:00. Bitte bis ")
