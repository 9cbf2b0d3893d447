"""Test helpers: an in-process API client that goes through the local gateway (route
matching, the authorizer's checks, the API Gateway v2 event), table peeks, and a partner's
webhook receiver."""

from __future__ import annotations

import json
import re
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any

import boto3
from pytest_httpserver import HTTPServer
from standardwebhooks import Webhook
from werkzeug import Request, Response

from local.auth import LocalIssuer
from local.functions import FunctionHost
from local.gateway import ApiGateway

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "events"

ADDRESS = {"street": "Bahnhofplatz 1", "postcode": "3011", "city": "Bern"}


def org_body(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Bäckerei Glauser",
        "kind": "company",
        "contact_email": "hr@glauser.ch",
        "address": ADDRESS,
    } | overrides


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]

    @property
    def error_code(self) -> str | None:
        return self.body.get("error", {}).get("code") if isinstance(self.body, dict) else None


@cache
def shared_host() -> FunctionHost:
    """Functions are imported once per test process, as a warm Lambda keeps them."""
    return FunctionHost()


class Api:
    def __init__(self, host: FunctionHost | None = None):
        self.issuer = LocalIssuer()
        self.gateway = ApiGateway(host or shared_host(), self.issuer, poller=None)

    def token(
        self,
        role: str,
        sub: str | None = None,
        org_id: str | None = None,
        participant_id: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> str:
        return self.issuer.issue(role, sub or f"{role}-1", org_id=org_id, participant_id=participant_id, extra=extra)

    def call(
        self, method: str, path: str, *, token: str | None = None, json_body: Any = None, raw: bytes | None = None
    ) -> Answer:
        headers = {"host": "127.0.0.1", "content-type": "application/json"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        body = raw if raw is not None else (json.dumps(json_body).encode() if json_body is not None else b"")
        status, out_headers, out = self.gateway.handle(method, path, headers, body)
        try:
            parsed = json.loads(out) if out else None
        except ValueError:
            try:
                parsed = out.decode()
            except UnicodeDecodeError:  # a binary body (a PDF): as it came
                parsed = out
        return Answer(status, parsed, out_headers)

    # Shorthands for the common roles
    def admin(self) -> str:
        return self.token("admin", "admin-1")

    def employer(self, org_id: str, sub: str = "employer-1") -> str:
        return self.token("employer", sub, org_id=org_id)


def all_items(table_name: str) -> list[dict[str, Any]]:
    """Every item of the table, read consistently (a test may scan; request paths never do)."""
    table = boto3.resource("dynamodb").Table(table_name)
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"ConsistentRead": True}
    while True:
        page = table.scan(**kwargs)
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


@cache
def web_catalogue(code: str) -> dict[str, str]:
    """A web catalogue (web/assets/i18n/<code>.js) as the browser loads it: imported by node."""
    script = f"console.log(JSON.stringify((await import({json.dumps(f'./web/assets/i18n/{code}.js')})).default));"
    done = subprocess.run(  # noqa: S603 - a fixed script
        ["node", "--input-type=module", "-e", script],  # noqa: S607 - node is a prerequisite
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    catalogue: dict[str, str] = json.loads(done.stdout)
    return catalogue


def sample_event(relative: str) -> dict[str, Any]:
    return dict(json.loads((EVENTS / relative).read_text()))


def participant_body(**overrides: Any) -> dict[str, Any]:
    return {
        "first_name": "Anna",
        "last_name": "Meier",
        "email": "anna.meier@example.ch",
        "phone": "079 123 45 67",
        "preferred_language": "de",
        "languages": ["de", "fr"],
        "skills": ["Gardening", "cleaning"],
        "postcode": "3012",
        "weekly_hours_limit": 20,
        "case_reference": "SD-2026-0042",
    } | overrides


_stream_pollers: dict[str, Any] = {}


def stream_poller(refs: dict[str, Any]) -> Any:
    """One stream poller per table, as one event source mapping: it remembers how far it read."""
    from local.streams import StreamPoller

    key = str(refs["Table"])
    if key not in _stream_pollers or _stream_pollers[key][0] is not refs:
        _stream_pollers[key] = (refs, StreamPoller(shared_host(), refs))
    return _stream_pollers[key][1]


def drain(refs: dict[str, Any]) -> dict[str, Any]:
    """Follows the table's stream and runs every queue consumer of the template until nothing
    is left: what a change sets off has happened once this returns."""
    from local.queues import QueuePoller

    return QueuePoller(shared_host(), refs, streams=stream_poller(refs)).drain()


def queued_notes(refs: dict[str, Any]) -> list[dict[str, Any]]:
    """The notes the table's changes so far queued for the notifier, as queued; they stay in the
    queue (visible again at once) for the next drain to deliver."""
    import boto3

    stream_poller(refs).drain()
    sqs, url, received = boto3.client("sqs"), refs["NotificationsQueue"], []
    while answer := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60).get("Messages"):
        received += answer
    for m in received:
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0)
    return [json.loads(m["Body"]) for m in received]


def shift_body(starts_at: str, ends_at: str, **overrides: Any) -> dict[str, Any]:
    return {"starts_at": starts_at, "ends_at": ends_at, "break_minutes": 30, "slots": 2} | overrides


def job_body(*shifts: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return {
        "title": "Help in the city gardens",
        "description": "Planting and watering in the Rosengarten.",
        "category": "gardening",
        "location": {"street": "Alter Aargauerstalden 31b", "postcode": "3006", "city": "Bern"},
        "hourly_wage": "24.50",
        "requirements": {"skills": ["gardening"], "languages": ["de"]},
        "shifts": list(shifts) or [shift_body("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00")],
    } | overrides


def create_org(api: Api, **overrides: Any) -> str:
    answer = api.call("POST", "/organisations", token=api.admin(), json_body=org_body(**overrides))
    assert answer.status == 201, answer.body
    return str(answer.body["org_id"])


# ---------------------------------------------------------------- a partner's system: its events, its receiver


def send_partner_event(
    api: Api, org_id: str, secret: str, body: str, msg_id: str = "msg_1", age: timedelta = timedelta(0)
) -> tuple[int, bytes]:
    """POST /webhooks/partners/{org_id} as a partner's system sends it: signed with `secret`
    (Standard Webhooks), sent `age` ago; the status and the body of the answer."""
    sent = datetime.now(UTC) - age
    headers = {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(sent.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, sent, body),
    }
    status, _, out = api.gateway.handle("POST", f"/webhooks/partners/{org_id}", headers, body.encode())
    return int(status), out


@dataclass(frozen=True)
class Delivery:
    """One request a partner received: where to, its headers (names in lower case), its body."""

    path: str  # with the query string, if any
    host: str
    headers: dict[str, str]
    body: str

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]

    def json(self) -> Any:
        return json.loads(self.body)

    def verify(self, secret: str) -> Any:
        """The payload, once its Standard Webhooks signature checks out with `secret` (else raises)."""
        return Webhook(secret).verify(self.body, self.headers)


class PartnerReceiver:
    """A partner's HR system on 127.0.0.1, served by pytest-httpserver: records every request in
    the order it arrived, and answers as it is told (`answer`): 204 until then. Several requests
    are served at once, as a sweep sends them."""

    def __init__(self, ssl_context: ssl.SSLContext | None = None):
        self.server = HTTPServer(host="127.0.0.1", ssl_context=ssl_context, threaded=True)
        self.deliveries: list[Delivery] = []
        self._lock = threading.Lock()
        self.answer()
        self.server.expect_request(re.compile("/"), method="POST").respond_with_handler(self._respond)

    def answer(
        self,
        status: int = 204,
        *,
        failures: int = 0,
        failure_status: int = 500,
        delay_s: float = 0.0,
        headers: dict[str, str] | None = None,
    ) -> PartnerReceiver:
        """From now on: answer the next `failures` requests `failure_status`, every later one
        `status` (with `headers`), each after `delay_s` seconds."""
        with self._lock:
            self._status, self._headers = status, dict(headers or {})
            self._failures, self._failure_status, self._delay_s = failures, failure_status, delay_s
        return self

    @property
    def url(self) -> str:
        return self.server.url_for("/hooks")

    @property
    def ids(self) -> list[str]:
        """The webhook-id of each delivery, in the order they arrived."""
        return [d.webhook_id for d in self.deliveries]

    def _respond(self, request: Request) -> Response:
        delivery = Delivery(
            path=request.full_path.removesuffix("?"),
            host=request.host,
            headers={name.lower(): value for name, value in request.headers.items()},
            body=request.get_data(as_text=True),
        )
        with self._lock:
            self.deliveries.append(delivery)
            if self._failures:
                self._failures -= 1
                status, headers = self._failure_status, {}
            else:
                status, headers = self._status, self._headers
            delay_s = self._delay_s
        time.sleep(delay_s)
        return Response(status=status, headers=headers)

    def __enter__(self) -> PartnerReceiver:
        self.server.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.server.stop()
        if kind is None:
            self.server.check()  # a request no handler took (not a POST), or a handler's error
