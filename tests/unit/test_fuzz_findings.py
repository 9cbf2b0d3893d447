"""Regressions for what schemathesis found against the local stack (tests/e2e/test_schemathesis.py)."""

from __future__ import annotations

import base64
import json

import pytest

from local.gateway import route_event
from tests.helpers import Api, all_items, create_org, job_body, org_body, shift_body


@pytest.mark.parametrize("raw", [b"\xcd", b"\xff\xfe{}", b'{"name": "\xe9"}'])
def test_a_body_that_is_not_utf8_is_malformed_json_not_a_500(api: Api, table_name: str, raw: bytes) -> None:
    answer = api.call("POST", "/organisations", token=api.admin(), raw=raw)
    assert answer.status == 400, answer.body
    assert answer.body["error"]["code"] == "malformed_json"
    assert all_items(table_name) == []


def test_a_utf8_body_handed_over_in_base64_is_read_as_the_text_it_is(api: Api, table_name: str) -> None:
    # API Gateway base64-encodes some bodies (by content type); the handler reads the text.
    body = json.dumps(org_body(name="Bäckerei Zürich")).encode()
    event = route_event(api.gateway.routes, "POST", "/organisations", {"host": "127.0.0.1"}, body)
    assert event is not None
    event |= {"body": base64.b64encode(body).decode(), "isBase64Encoded": True}
    claims = api.issuer.verify(f"Bearer {api.admin()}")
    event["requestContext"]["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    result = api.gateway.host.invoke("OrganisationsFunction", event)
    assert result["statusCode"] == 201, result
    assert [i["name"] for i in all_items(table_name) if i.get("org_id")] == ["Bäckerei Zürich"]


@pytest.mark.parametrize("query", ["from=0001-01-01T00%3A00%3A00%2B01%3A00", "to=9999-12-31T23%3A59%3A59-01%3A00"])
def test_a_time_without_a_utc_equivalent_is_a_422(api: Api, query: str) -> None:
    participant = api.token("participant", "p-1", participant_id="par_1")
    answer = api.call("GET", f"/jobs?{query}", token=participant)
    assert answer.status == 422, answer.body
    assert {d["field"] for d in answer.body["error"]["details"]} == {"query." + query.split("=")[0]}


def test_a_shift_time_without_a_utc_equivalent_is_a_422_naming_it(api: Api, table_name: str) -> None:
    org_id = create_org(api)
    shift = shift_body("0001-01-01T00:00:00+01:00", "0001-01-01T04:00:00+01:00")
    answer = api.call("POST", "/jobs", token=api.employer(org_id), json_body=job_body(shift))
    assert answer.status == 422, answer.body
    assert "shifts.0.starts_at" in {d["field"] for d in answer.body["error"]["details"]}
    assert not [i for i in all_items(table_name) if i.get("job_id")]
