"""Mutating requests with an Idempotency-Key: a repeat within 24 h by the same caller gets the
first answer and changes nothing more; the key on another request is a 409; keys are the caller's."""

from __future__ import annotations

import datetime as real_dt
import json
import types
from typing import Any

import boto3
import pytest

from tests.helpers import Answer, Api, all_items, create_org, org_body


def send(api: Api, method: str, path: str, token: str, body: Any = None, key: str | None = "key-1") -> Answer:
    headers = {"host": "127.0.0.1", "content-type": "application/json", "authorization": f"Bearer {token}"}
    if key is not None:
        headers["idempotency-key"] = key
    raw = json.dumps(body).encode() if body is not None else b""
    status, out_headers, out = api.gateway.handle(method, path, headers, raw)
    return Answer(status, json.loads(out) if out else None, out_headers)


def organisations(aws: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in all_items(aws["Table"]) if i.get("type") == "organisation"]


def records(aws: dict[str, Any]) -> list[dict[str, Any]]:
    return list(boto3.resource("dynamodb").Table(aws["IdempotencyTable"]).scan()["Items"])


def later(monkeypatch: pytest.MonkeyPatch, by: real_dt.timedelta) -> None:
    """Powertools' idempotency reads the time from datetime.now() (not time.time()): move it on."""
    from aws_lambda_powertools.utilities.idempotency import base
    from aws_lambda_powertools.utilities.idempotency.persistence import base as persistence_base
    from aws_lambda_powertools.utilities.idempotency.persistence import datarecord, dynamodb

    class Later(real_dt.datetime):
        @classmethod
        def now(cls, tz: real_dt.tzinfo | None = None) -> Later:
            moved = real_dt.datetime.now(tz) + by
            return cls.fromtimestamp(moved.timestamp(), tz)

    shifted = types.SimpleNamespace(datetime=Later, timedelta=real_dt.timedelta)
    for module in (base, persistence_base, datarecord, dynamodb):
        monkeypatch.setattr(module, "dt", shifted)


def test_a_repeat_gets_the_first_answer_and_changes_nothing(api: Api, aws: dict[str, Any]) -> None:
    first = send(api, "POST", "/organisations", api.admin(), org_body())
    again = send(api, "POST", "/organisations", api.admin(), org_body())
    assert first.status == again.status == 201
    assert again.body == first.body
    assert again.headers.get("Idempotent-Replayed") == "true" and "Idempotent-Replayed" not in first.headers
    assert [o["org_id"] for o in organisations(aws)] == [first.body["org_id"]]
    [record] = records(aws)
    assert record["status"] == "COMPLETED"
    assert "Glauser" not in record["id"] + record["validation"]  # the request is kept as hashes only


def test_without_the_header_every_request_counts(api: Api, aws: dict[str, Any]) -> None:
    for _ in range(2):
        assert send(api, "POST", "/organisations", api.admin(), org_body(), key=None).status == 201
    assert len(organisations(aws)) == 2
    assert records(aws) == []


def test_the_key_on_another_body_or_route_is_a_409(api: Api, aws: dict[str, Any]) -> None:
    first = send(api, "POST", "/organisations", api.admin(), org_body())
    assert first.status == 201
    other_body = send(api, "POST", "/organisations", api.admin(), org_body(name="Gärtnerei Moser"))
    assert (other_body.status, other_body.error_code) == (409, "idempotency_key_reused")
    assert other_body.body["error"]["message"] and other_body.body["error"]["details"] == []
    org_id = first.body["org_id"]
    other_route = send(api, "POST", f"/organisations/{org_id}/suspend", api.admin())
    assert (other_route.status, other_route.error_code) == (409, "idempotency_key_reused")
    assert len(organisations(aws)) == 1
    assert api.call("GET", f"/organisations/{org_id}", token=api.admin()).body["status"] == "active"


def test_keys_are_the_callers_own(api: Api, aws: dict[str, Any]) -> None:
    mine = send(api, "POST", "/organisations", api.token("admin", "admin-1"), org_body())
    theirs = send(api, "POST", "/organisations", api.token("admin", "admin-2"), org_body())
    assert mine.status == theirs.status == 201
    assert mine.body["org_id"] != theirs.body["org_id"]
    assert "Idempotent-Replayed" not in theirs.headers
    # The same sub in another role is another caller too: its own request, not a 409.
    org_id = mine.body["org_id"]
    as_employer = send(api, "PUT", f"/organisations/{org_id}/webhook", api.token("employer", "admin-1", org_id=org_id))
    assert as_employer.error_code != "idempotency_key_reused"
    assert len(organisations(aws)) == 2


def test_a_failed_first_request_is_not_replayed(api: Api, aws: dict[str, Any]) -> None:
    refused = send(api, "POST", "/organisations", api.admin(), org_body(kind="charity"))
    assert (refused.status, refused.error_code) == (422, "validation_failed")
    assert records(aws) == []  # only successes are kept
    fixed = send(api, "POST", "/organisations", api.admin(), org_body())
    assert fixed.status == 201 and "Idempotent-Replayed" not in fixed.headers
    assert len(organisations(aws)) == 1


def test_a_state_rule_refusal_is_not_replayed(api: Api, aws: dict[str, Any]) -> None:
    missing = send(api, "POST", "/organisations/org_nobody/suspend", api.admin())
    assert missing.status == 404
    again = send(api, "POST", "/organisations/org_nobody/suspend", api.admin())
    assert again.status == 404 and "Idempotent-Replayed" not in again.headers
    assert records(aws) == []


def test_the_first_answer_is_kept_24_hours(api: Api, aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    first = send(api, "POST", "/organisations", api.admin(), org_body())
    later(monkeypatch, real_dt.timedelta(hours=23, minutes=59))
    assert send(api, "POST", "/organisations", api.admin(), org_body()).body == first.body
    later(monkeypatch, real_dt.timedelta(hours=24, seconds=2))
    after = send(api, "POST", "/organisations", api.admin(), org_body())
    assert after.status == 201 and after.body["org_id"] != first.body["org_id"]
    assert "Idempotent-Replayed" not in after.headers
    assert len(organisations(aws)) == 2


def test_a_repeat_while_the_first_is_still_answered_is_a_409(
    api: Api, aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tremplin.logic import organisations as logic

    create = logic.create
    seen: list[Answer] = []

    def slow_create(*args: Any, **kwargs: Any) -> Any:
        if not seen:  # the client gives up waiting and sends the same request again
            seen.append(send(api, "POST", "/organisations", api.admin(), org_body()))
        return create(*args, **kwargs)

    monkeypatch.setattr(logic, "create", slow_create)
    first = send(api, "POST", "/organisations", api.admin(), org_body())
    assert first.status == 201
    [during] = seen
    assert (during.status, during.error_code) == (409, "idempotency_key_in_use")
    assert len(organisations(aws)) == 1
    assert send(api, "POST", "/organisations", api.admin(), org_body()).body == first.body


def test_a_key_must_be_short_visible_ascii(api: Api, aws: dict[str, Any]) -> None:
    for bad in ("x" * 256, "clé-1", "two words"):
        answer = send(api, "POST", "/organisations", api.admin(), org_body(), key=bad)
        assert (answer.status, answer.error_code) == (422, "validation_failed"), bad
        assert answer.body["error"]["details"][0]["field"] == "Idempotency-Key"
    assert organisations(aws) == []
    assert send(api, "POST", "/organisations", api.admin(), org_body(), key=" ").status == 201  # blank: no key


def test_reads_and_shown_once_secrets_are_never_stored(api: Api, aws: dict[str, Any]) -> None:
    org_id = create_org(api)
    employer = api.employer(org_id)
    secrets = [send(api, "POST", f"/organisations/{org_id}/webhook-secret", employer).body["secret"] for _ in "ab"]
    assert secrets[0] != secrets[1]  # a new secret each time, never kept for a replay
    assert send(api, "GET", f"/organisations/{org_id}", employer).status == 200
    assert records(aws) == []


def test_a_persistence_layer_per_process_until_the_back_end_changes(aws: dict[str, Any]) -> None:
    from tremplin.data import idempotency, reset

    layer = idempotency.persistence()
    assert idempotency.persistence() is layer
    assert layer.table_name == aws["IdempotencyTable"]
    reset()
    assert idempotency.persistence() is not layer


def test_an_unwritable_idempotency_table_is_a_clean_503(api: Api, aws: dict[str, Any]) -> None:
    boto3.client("dynamodb").delete_table(TableName=aws["IdempotencyTable"])
    answer = send(api, "POST", "/organisations", api.admin(), org_body())
    assert (answer.status, answer.error_code) == (503, "service_unavailable")
    assert organisations(aws) == []
