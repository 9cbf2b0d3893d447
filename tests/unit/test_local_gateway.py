"""The local stack's gateway and queue poller behave as API Gateway and Lambda's SQS
event source mapping do."""

from __future__ import annotations

import json
from typing import Any

import boto3

from local import template
from local.gateway import build_event
from local.queues import QueuePoller
from tests.helpers import Api


def test_the_event_carries_route_key_path_parameters_and_http_api_claims(api: Api) -> None:
    route, params = api.gateway.match("POST", "/organisations/org_1/suspend") or (None, {})
    assert route is not None and route.route_key == "POST /organisations/{org_id}/suspend"
    claims = api.issuer.verify("Bearer " + api.token("employer", "u-7", org_id="org_1"))
    assert claims is not None
    assert claims["cognito:groups"] == "[employer]"  # HTTP APIs pass list claims as "[a b]"
    assert claims["custom:org_id"] == "org_1"
    event = build_event(route, params, "POST", "/organisations/org_1/suspend?a=1&a=2", {}, b"")
    assert event["version"] == "2.0"
    assert event["pathParameters"] == {"org_id": "org_1"}
    assert event["queryStringParameters"] == {"a": "1,2"}
    assert event["requestContext"]["routeKey"] == "POST /organisations/{org_id}/suspend"


def test_literal_segments_win_over_parameters() -> None:
    routes = template.routes()
    keys = [r.route_key for r in routes]
    assert keys.index("POST /organisations/{org_id}/suspend") < keys.index("GET /organisations/{org_id}")


def test_an_expired_token_is_refused(api: Api) -> None:
    import jwt

    expired = jwt.encode({"sub": "x", "exp": 1}, api.issuer._key, algorithm="HS256")
    assert api.issuer.verify(f"Bearer {expired}") is None


def test_the_clock_can_be_pinned_and_released(api: Api) -> None:
    from tremplin import clock

    answer = api.call("POST", "/_local/clock", json_body={"now": "2026-03-29T01:30:00+01:00"})
    assert answer.status == 200 and answer.body["now"] == "2026-03-29T00:30:00+00:00"
    assert clock.iso(clock.now()) == "2026-03-29T00:30:00+00:00"
    bad = api.call("POST", "/_local/clock", json_body={"now": "yesterday"})
    assert bad.status == 422
    assert api.call("DELETE", "/_local/clock").status == 200
    assert clock.now().year >= 2026 and clock.iso(clock.now()) != "2026-03-29T00:30:00+00:00"


def test_unknown_schedules_are_a_404(api: Api) -> None:
    answer = api.call("POST", "/_local/schedules/nope")
    assert answer.status == 404 and answer.body["error"]["code"] == "not_found"


def test_local_token_needs_a_known_role(api: Api) -> None:
    answer = api.call("POST", "/_local/token", json_body={"role": "root", "sub": "x"})
    assert answer.status == 422
    assert {d["field"] for d in answer.body["error"]["details"]} == {"role"}


class FlakyConsumer:
    """Fails every message whose body says poison; records what it handled."""

    def __init__(self) -> None:
        self.handled: list[str] = []
        self.batches = 0

    def invoke(self, function: str, event: dict[str, Any]) -> dict[str, Any]:
        self.batches += 1
        failures = []
        for record in event["Records"]:
            body = json.loads(record["body"])
            if body.get("poison"):
                failures.append({"itemIdentifier": record["messageId"]})
            else:
                self.handled.append(body["n"])
        return {"batchItemFailures": failures}


def test_partial_batch_failures_retry_only_the_failed_message_until_the_dead_letter_queue(aws: dict[str, Any]) -> None:
    queue = next(q for q in template.queue_definitions() if q.dead_letter_queue)
    sqs = boto3.client("sqs")
    for n in range(4):
        sqs.send_message(QueueUrl=aws[queue.logical_id], MessageBody=json.dumps({"n": n}))
    sqs.send_message(QueueUrl=aws[queue.logical_id], MessageBody=json.dumps({"poison": True}))
    consumer = FlakyConsumer()
    poller = QueuePoller(
        consumer,  # type: ignore[arg-type]
        aws,
        consumers=[template.Consumer("Fake", queue.logical_id, batch_size=10, partial_failures=True)],
    )
    result = poller.drain()
    assert result["drained"] is True
    assert sorted(consumer.handled) == [0, 1, 2, 3]  # each good message exactly once
    dead = sqs.receive_message(QueueUrl=aws[queue.dead_letter_queue], MaxNumberOfMessages=10).get("Messages", [])
    assert [json.loads(m["Body"]) for m in dead] == [{"poison": True}]
    assert consumer.batches == queue.max_receive_count  # received maxReceiveCount times, then parked
