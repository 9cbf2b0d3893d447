"""The local stack's gateway and queue poller behave as API Gateway and Lambda's SQS
event source mapping do."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from local import template
from local.gateway import build_event, make_server
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


# ---------------------------------------------------------------- every answer in the contract's JSON


def test_a_known_path_with_another_method_is_a_405_with_allow(api: Api) -> None:
    answer = api.call("TRACE", "/applications/app_1", token=api.admin())
    assert answer.status == 405 and answer.error_code == "method_not_allowed"
    assert answer.headers["Allow"] == "GET"
    assert answer.body["error"]["details"] == [] and answer.body["error"]["message"]
    assert api.call("DELETE", "/organisations").headers["Allow"] == "GET, POST"
    assert api.call("GET", "/_local/token").headers["Allow"] == "POST"
    assert api.call("GET", "/_local/schedules/payroll").headers["Allow"] == "POST"


def test_an_unknown_path_is_a_404_whatever_the_method(api: Api) -> None:
    for method in ("GET", "HEAD", "TRACE", "BREW", "DELETE"):
        answer = api.call(method, "/nowhere/at/all")
        assert answer.status == 404 and answer.error_code == "not_found", method
    assert api.call("GET", "/_local/nowhere").error_code == "not_found"
    missing = api.call("GET", "/assets/nope.js")
    assert missing.status == 404 and missing.error_code == "not_found"


@pytest.fixture
def served(api: Api) -> Iterator[tuple[str, int]]:
    server = make_server(api.gateway, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "127.0.0.1", server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _over_the_wire(
    address: tuple[str, int], method: str, path: str, headers: dict[str, str] | None = None, body: bytes | None = None
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(*address, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def _raw(address: tuple[str, int], request: bytes) -> tuple[int, dict[str, str], Any]:
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), headers, json.loads(body)


def test_odd_methods_over_a_real_socket_are_json_never_an_html_501(served: tuple[str, int]) -> None:
    status, headers, body = _over_the_wire(served, "TRACE", "/applications/app_1")
    assert status == 405 and headers["Allow"] == "GET" and headers["Content-Type"] == "application/json"
    assert json.loads(body)["error"]["code"] == "method_not_allowed"
    status, headers, body = _over_the_wire(served, "BREW", "/coffee")
    assert status == 404 and json.loads(body)["error"]["code"] == "not_found"
    status, headers, body = _over_the_wire(served, "HEAD", "/health")
    assert status == 405 and headers["Allow"] == "GET" and body == b""  # no body to a HEAD
    status, _, body = _over_the_wire(served, "GET", "/health")
    assert status == 200 and json.loads(body) == {"status": "ok"}


def test_the_preflight_allows_what_the_templates_cors_configuration_allows(served: tuple[str, int]) -> None:
    """The template allows the web front end's origin only: here, the stack's own."""
    own = f"http://127.0.0.1:{served[1]}"
    status, headers, _ = _over_the_wire(
        served, "OPTIONS", "/organisations", {"Host": f"127.0.0.1:{served[1]}", "Origin": own}
    )
    assert status == 204 and headers["Access-Control-Allow-Origin"] == own and headers["Vary"] == "Origin"
    cors = template.load()["Globals"]["HttpApi"]["CorsConfiguration"]
    allowed = headers["Access-Control-Allow-Headers"].split(", ")
    assert allowed == cors["AllowHeaders"] and "idempotency-key" in allowed
    assert headers["Access-Control-Allow-Methods"].split(", ") == cors["AllowMethods"]
    for stranger in ("https://evil.example", "null", f"http://127.0.0.1:{served[1] + 1}"):
        status, headers, _ = _over_the_wire(
            served, "OPTIONS", "/organisations", {"Host": f"127.0.0.1:{served[1]}", "Origin": stranger}
        )
        assert status == 204 and not any(k.startswith("Access-Control-") for k in headers), stranger


def test_http_servers_own_refusals_are_in_the_contracts_error_body(served: tuple[str, int]) -> None:
    status, headers, body = _raw(served, b"GARBAGE\r\n\r\n")
    assert status == 400 and headers["Content-Type"] == "application/json"
    assert body["error"]["code"] == "bad_request" and body["error"]["details"] == []
    status, _, body = _raw(served, b"GET /health HTTP/2.5\r\n\r\n")
    assert status == 505 and body["error"]["code"] == "http_version_not_supported"
    status, _, body = _raw(served, b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n")
    assert status == 414 and body["error"]["code"] == "uri_too_long"
    status, _, body = _raw(served, b"GET /health HTTP/1.1\r\nX: " + b"a" * 70000 + b"\r\n\r\n")
    assert status == 431 and body["error"]["code"] == "headers_too_large"
    status, _, body = _raw(served, b"POST /organisations HTTP/1.1\r\nContent-Length: lots\r\n\r\n")
    assert status == 400 and body["error"]["code"] == "bad_request"


def test_the_local_extras_answer_the_stacks_own_pages_only(served: tuple[str, int]) -> None:
    """Any page a developer visits could otherwise mint a token: /_local/* gives no CORS header,
    and a request from another origin (a page elsewhere, or a DNS name rebound to 127.0.0.1) is a 403."""
    port = served[1]
    token = json.dumps({"role": "admin", "sub": "me"}).encode()
    for own in (f"http://127.0.0.1:{port}", None):  # the app's sign-in page; curl and the tests
        headers = {"Host": f"127.0.0.1:{port}", "Content-Type": "application/json"}
        headers |= {"Origin": own} if own else {}
        status, answer, body = _over_the_wire(served, "POST", "/_local/token", headers, token)
        assert status == 200 and "token" in json.loads(body), own
        assert "Access-Control-Allow-Origin" not in answer, own
    status, answer, _ = _over_the_wire(
        served, "POST", "/_local/token", {"Host": f"localhost:{port}", "Origin": f"http://localhost:{port}"}, token
    )
    assert status == 200 and "Access-Control-Allow-Origin" not in answer
    strangers = [
        (f"127.0.0.1:{port}", "https://evil.example"),
        (f"127.0.0.1:{port}", "null"),  # a sandboxed frame or a file:// page
        (f"127.0.0.1:{port}", f"http://127.0.0.1:{port + 1}"),
        (f"rebound.example:{port}", f"http://rebound.example:{port}"),  # DNS rebinding
    ]
    for path, method in (("/_local/token", "POST"), ("/_local/clock", "DELETE"), ("/_local/schedules/payroll", "POST")):
        for reached_as, origin in strangers:
            status, answer, body = _over_the_wire(served, method, path, {"Host": reached_as, "Origin": origin}, token)
            assert status == 403 and json.loads(body)["error"]["code"] == "forbidden", (path, origin)
            assert "Access-Control-Allow-Origin" not in answer, (path, origin)
    # A preflight to them allows nothing; the API's own routes keep the template's CORS.
    status, answer, _ = _over_the_wire(served, "OPTIONS", "/_local/token", {"Origin": "https://evil.example"})
    assert status == 403 and not any(k.startswith("Access-Control-") for k in answer)
    status, answer, _ = _over_the_wire(served, "GET", "/health", {"Origin": "https://evil.example"})
    assert status == 200 and "Access-Control-Allow-Origin" not in answer
    own = {"Host": f"127.0.0.1:{port}", "Origin": f"http://127.0.0.1:{port}"}
    status, answer, _ = _over_the_wire(served, "GET", "/health", own)
    assert status == 200 and answer["Access-Control-Allow-Origin"] == own["Origin"]
