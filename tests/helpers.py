"""Test helpers: an in-process API client that goes through the local gateway (route
matching, the authorizer's checks, the API Gateway v2 event), and table peeks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import boto3

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
        self, role: str, sub: str | None = None, org_id: str | None = None, participant_id: str | None = None
    ) -> str:
        return self.issuer.issue(role, sub or f"{role}-1", org_id=org_id, participant_id=participant_id)

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
            parsed = out.decode()
        return Answer(status, parsed, out_headers)

    # Shorthands for the common roles
    def admin(self) -> str:
        return self.token("admin", "admin-1")

    def employer(self, org_id: str, sub: str = "employer-1") -> str:
        return self.token("employer", sub, org_id=org_id)


def all_items(table_name: str) -> list[dict[str, Any]]:
    """Every item of the table (a test may scan; request paths never do)."""
    table = boto3.resource("dynamodb").Table(table_name)
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {}
    while True:
        page = table.scan(**kwargs)
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


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
