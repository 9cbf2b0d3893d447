"""Partner integration (Standard Webhooks): inbound events that act exactly once in effect,
and outbound deliveries, signed the same way, retried with growing delays for a day.

Secrets are shown once, when made, and never logged or answered again.
"""

from __future__ import annotations

import base64
import json
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from aws_lambda_powertools import Logger
from pydantic import TypeAdapter, ValidationError
from standardwebhooks import Webhook

from tremplin import clock
from tremplin.data import jobs as job_store
from tremplin.data import organisations as org_store
from tremplin.data import webhooks as store
from tremplin.errors import (
    BadRequest,
    Conflict,
    NotFound,
    ServiceUnavailable,
    Unauthorized,
    ValidationFailed,
    field_error,
)
from tremplin.identity import Caller, Role
from tremplin.ids import new_id
from tremplin.models import Page
from tremplin.models.applications import HoursRequest
from tremplin.models.jobs import JobCreate, JobStatus, JobUpdate, ShiftCreate
from tremplin.models.webhooks import (
    Accepted,
    DeadLetter,
    Delivery,
    HoursSubmitEvent,
    InboundEvent,
    JobCancelEvent,
    JobUpsertEvent,
    OutboundEvent,
    SecretAnswer,
    Subscription,
    SubscriptionRequest,
)
from tremplin.settings import get_settings

logger = Logger(child=True)

PREVIOUS_SECRET_VALIDITY = timedelta(hours=24)
# Waits before each retry: about a day in all, then the delivery is parked as failed.
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=15),
]
INBOUND: TypeAdapter[JobUpsertEvent | JobCancelEvent | HoursSubmitEvent] = TypeAdapter(InboundEvent)


def _now() -> str:
    return clock.iso(clock.now())


def _own_org(caller: Caller, org_id: str) -> dict[str, Any]:
    """Admins reach every organisation, employers their own; anything else is a 404."""
    org = org_store.get(org_id) if caller.role is Role.ADMIN or caller.org_id == org_id else None
    if org is None:
        raise NotFound(f"Organisation {org_id} was not found.")
    return org


# ---------------------------------------------------------------- secrets


def rotate_secret(caller: Caller, org_id: str) -> SecretAnswer:
    _own_org(caller, org_id)
    now = clock.now()
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
    old = store.get_secrets(org_id)
    until = clock.iso(now + PREVIOUS_SECRET_VALIDITY) if old else None
    store.put_secret(org_id, secret, clock.iso(now), old["current"] if old else None, until)
    return SecretAnswer(secret=secret, previous_valid_until=until)


def _valid_secrets(org_id: str) -> list[str]:
    held = store.get_secrets(org_id) or {}
    valid = [held["current"]] if held.get("current") else []
    if held.get("previous") and str(held.get("previous_until", "")) > _now():
        valid.append(held["previous"])
    return valid


# ---------------------------------------------------------------- inbound


def receive(org_id: str, body: str, headers: dict[str, str]) -> Accepted:
    """Verify, validate, queue durably, then acknowledge. Nothing is stored or queued for a
    request that fails any check; a repeated webhook-id is acknowledged and changes nothing."""
    refused = Unauthorized("The webhook signature could not be verified.", code="invalid_signature")
    for secret in _valid_secrets(org_id):
        try:
            Webhook(secret).verify(body, headers, json_parse=False)
            break
        except Exception:  # noqa: S112 - one secret failing: try the next  # nosec B112
            continue
    else:
        raise refused  # wrong signature, stale or future timestamp, missing headers, unknown organisation
    try:
        raw = json.loads(body)
    except ValueError:
        raise BadRequest("The request body is not valid JSON.", code="malformed_json") from None
    try:
        event = INBOUND.validate_python(raw)
    except ValidationError as exc:
        details = [{"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()]
        raise ValidationFailed("The event is not one Tremplin understands.", details=details) from None
    webhook_id = {k.lower(): v for k, v in headers.items()}["webhook-id"]
    now = clock.now()
    expires = int((now + timedelta(days=store.RECEIPT_DAYS)).timestamp())
    if not store.claim_receipt(org_id, webhook_id, clock.iso(now), expires):
        return Accepted(webhook_id=webhook_id, status="duplicate")
    message = {"org_id": org_id, "webhook_id": webhook_id, "event": event.model_dump(mode="json")}
    try:
        store.enqueue(get_settings().webhooks_queue_url, message)
    except Exception:
        store.release_receipt(org_id, webhook_id)  # not queued: the partner's retry must be taken
        logger.exception("inbound webhook not queued")
        raise ServiceUnavailable("The event could not be queued; please deliver it again.") from None
    return Accepted(webhook_id=webhook_id, status="queued")


def process(message: dict[str, Any]) -> str:
    """The consumer's work for one event. Idempotent: by external_ref for jobs, by the
    application's state for hours; a redelivered event changes nothing more."""
    org_id = str(message["org_id"])
    partner = Caller(sub=f"partner:{org_id}", role=Role.EMPLOYER, org_id=org_id)
    event = INBOUND.validate_python(message["event"])
    if isinstance(event, JobUpsertEvent):
        return _upsert_job(partner, event)
    if isinstance(event, JobCancelEvent):
        return _cancel_job(partner, event)
    if isinstance(event, HoursSubmitEvent):
        return _submit_hours(partner, event)
    raise ValueError(f"unhandled event {event!r}")  # pragma: no cover - the union above is exhaustive


def _upsert_job(partner: Caller, event: JobUpsertEvent) -> str:
    from tremplin.logic import jobs

    data = event.data
    job_id = job_store.job_by_external_ref(partner.org_id or "", data.external_ref)
    if job_id is None:
        try:
            jobs.create_for(partner.org_id or "", JobCreate.model_validate(data.model_dump()))
            return "created"
        except Conflict as exc:
            if exc.code != "external_ref_taken":
                raise
            job_id = job_store.job_by_external_ref(partner.org_id or "", data.external_ref)
            if job_id is None:
                raise
    current = jobs.get(partner, job_id)
    fields = data.model_dump(include=set(JobUpdate.model_fields))
    jobs.update(partner, job_id, JobUpdate.model_validate(fields))
    known = {(s.starts_at, s.ends_at) for s in current.shifts}
    for shift in data.shifts:
        if (clock.iso(shift.starts_at), clock.iso(shift.ends_at)) not in known:
            jobs.add_shift(partner, job_id, ShiftCreate.model_validate(shift.model_dump()))
    if data.publish and current.status is JobStatus.DRAFT:
        jobs.publish(partner, job_id)
    return "updated"


def _cancel_job(partner: Caller, event: JobCancelEvent) -> str:
    from tremplin.logic import jobs

    job_id = job_store.job_by_external_ref(partner.org_id or "", event.data.external_ref)
    if job_id is None:
        raise NotFound(f"No job with external_ref {event.data.external_ref}.")
    if jobs.get(partner, job_id).status is JobStatus.CANCELLED:
        return "unchanged"
    jobs.cancel(partner, job_id, event.data.reason)
    return "cancelled"


def _submit_hours(partner: Caller, event: HoursSubmitEvent) -> str:
    from tremplin.logic import applications

    hours = HoursRequest.model_validate(event.data.model_dump(exclude={"application_id"}))
    try:
        applications.submit_hours(partner, event.data.application_id, hours)
    except Conflict:
        current = applications.get(partner, event.data.application_id)
        if current.status == "hours_submitted":
            return "unchanged"
        raise
    return "submitted"


def dead_letters() -> list[DeadLetter]:
    return [DeadLetter.model_validate(m) for m in store.dead_letters(get_settings().webhooks_dlq_url)]


# ---------------------------------------------------------------- outbound


def subscribe(caller: Caller, org_id: str, body: SubscriptionRequest) -> Subscription:
    _own_org(caller, org_id)
    try:
        store.check_target(body.url)
    except store.UnsafeTarget as exc:
        raise field_error("url", str(exc)) from None
    sub = Subscription(org_id=org_id, url=body.url, events=sorted(set(body.events)), updated_at=_now())
    store.put_subscription(sub.model_dump(mode="json"))
    return sub


def emit(org_id: str, event: OutboundEvent, data: dict[str, Any]) -> None:
    """Queues an event for the organisation's subscription (read by the delivery worker, so the
    request that caused it spends no database call on it)."""
    message = {"event_id": new_id("evt"), "org_id": org_id, "type": event.value, "data": data, "created_at": _now()}
    store.enqueue(get_settings().deliveries_queue_url, message)


def deliver(message: dict[str, Any]) -> str:
    """The first attempt of an event's delivery, recorded with its outcome. Recorded only after
    it: should this worker die before, SQS gives the message back and the attempt is made then
    (at worst the partner gets the event twice under one webhook-id, which Standard Webhooks
    receivers deduplicate); a message whose delivery is recorded is a duplicate."""
    sub, held, recorded = store.outbound_context(message["org_id"], message["created_at"], message["event_id"])
    if not sub or message["type"] not in sub["events"]:
        return "not subscribed"
    if recorded:
        return "duplicate"
    payload = json.dumps({"type": message["type"], "timestamp": message["created_at"], "data": message["data"]})
    delivery = {
        "delivery_id": message["event_id"],
        "org_id": message["org_id"],
        "event_type": message["type"],
        "url": sub["url"],
        "payload": payload,
        "status": "pending",
        "attempts": [],
        "created_at": message["created_at"],
    }
    return _attempt(delivery, held or {})


def _attempt(delivery: dict[str, Any], held: dict[str, Any]) -> str:
    """One POST of the delivery, signed with the organisation's current secret in `held`."""
    now = clock.now()
    if held.get("current"):
        sent_at = datetime.now(UTC)  # receivers check the signature's time against their real clock
        headers = {
            "webhook-id": delivery["delivery_id"],
            "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": Webhook(held["current"]).sign(delivery["delivery_id"], sent_at, delivery["payload"]),
        }
        status_code, error = store.post(delivery["url"], delivery["payload"], headers)
    else:
        status_code, error = None, "the organisation has no webhook secret"
    seen = len(delivery["attempts"])
    attempt = (
        {"at": clock.iso(now)}
        | ({"status_code": status_code} if status_code else {})
        | ({"error": error} if error else {})
    )
    delivery = {**delivery, "attempts": [*delivery["attempts"], attempt]}
    if status_code is not None and 200 <= status_code < 300:
        delivery |= {"status": "delivered", "next_attempt_at": None}
    elif seen >= len(RETRY_DELAYS):
        delivery |= {"status": "failed", "next_attempt_at": None}
    else:
        delivery |= {"next_attempt_at": clock.iso(now + RETRY_DELAYS[seen])}
    store.save_delivery(delivery, seen)
    return str(delivery["status"])


def retry_due() -> int:
    """The schedule's sweep: deliveries whose next attempt is due are tried again."""
    now = _now()
    done = 0
    for delivery in store.due_deliveries(now):
        if delivery["status"] == "pending" and delivery.get("next_attempt_at", "~") <= now:
            _attempt(delivery, store.get_secrets(delivery["org_id"]) or {})
            done += 1
    return done


def list_deliveries(caller: Caller, org_id: str, limit: int, cursor: str | None) -> Page[Delivery]:
    _own_org(caller, org_id)
    items, nxt = store.deliveries(org_id, limit, cursor)
    return Page(items=[Delivery.model_validate(i) for i in items], next_cursor=nxt)
