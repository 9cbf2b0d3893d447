"""What the lifecycle's items cost to write, as DynamoDB Local bills them (issue 18's cost per
filled slot): every note of a filled slot is one write unit, with a job title of 60 characters."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from tests.helpers import Api, all_items, create_org, drain, job_body, participant_body, shift_body

pytestmark = pytest.mark.integration

START, END = "2026-12-01T08:00:00+01:00", "2026-12-01T12:30:00+01:00"
TITLE = "Umzugshilfe im Schulhaus Kirchenfeld: Möbel tragen, packen"  # 60 characters


def _lifecycle(api: Api) -> None:
    api.call("POST", "/_local/clock", json_body={"now": "2026-11-25T09:00:00+01:00"})
    employer = api.employer(create_org(api))
    body = job_body(shift_body(START, END, slots=1), title=TITLE, publish=True)
    shift_id = api.call("POST", "/jobs", token=employer, json_body=body).body["shifts"][0]["shift_id"]
    enrolled = api.call("POST", "/participants", token=api.token("caseworker", "cw-1"), json_body=participant_body())
    me = api.token("participant", "u1", participant_id=enrolled.body["participant_id"])
    assert api.call("POST", "/me/consent", token=me, json_body={"version": "2026-01"}).status == 200
    app_id = api.call("POST", f"/shifts/{shift_id}/applications", token=me).body["application_id"]
    assert api.call("POST", f"/applications/{app_id}/accept", token=employer).status == 200
    assert api.call("POST", f"/applications/{app_id}/confirm", token=me).status == 200
    api.call("POST", "/_local/clock", json_body={"now": "2026-12-01T13:00:00+01:00"})
    hours = {"started_at": START, "ended_at": END, "break_minutes": 30}
    assert api.call("POST", f"/applications/{app_id}/hours", token=employer, json_body=hours).status == 200
    assert api.call("POST", f"/applications/{app_id}/hours/approve", token=me).status == 200


def test_every_note_of_a_filled_slot_is_one_write_unit(
    api: Api, dynamodb_local: dict[str, Any], table_name: str
) -> None:
    _lifecycle(api)
    drain(dynamodb_local)
    notes = [i for i in all_items(table_name) if i.get("type") == "notification"]
    assert {n["kind"] for n in notes} >= {"application_created", "offer_made", "hours_approved"}
    assert all(TITLE in n["message"] for n in notes if n["kind"] == "offer_made")
    table = boto3.resource("dynamodb").Table(table_name)
    units = {  # the same item written again: what DynamoDB bills for writing it
        (n["PK"], n["SK"]): table.put_item(Item=n, ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"]["Table"][
            "CapacityUnits"
        ]
        for n in notes
    }
    assert set(units.values()) == {1.0}, units
