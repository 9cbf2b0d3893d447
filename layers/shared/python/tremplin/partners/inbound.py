"""Partners' inbound events: verified against the organisation's secrets, queued durably, then
acted on through the domain exactly once in effect."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from aws_lambda_powertools import Logger
from pydantic import TypeAdapter, ValidationError
from standardwebhooks import Webhook

from tremplin import clock
from tremplin.data import jobs as job_store
from tremplin.data import parallel
from tremplin.data import webhooks as store
from tremplin.errors import BadRequest, Conflict, NotFound, ServiceUnavailable, Unauthorized, ValidationFailed
from tremplin.identity import Caller, Role
from tremplin.logic import applications, jobs
from tremplin.models.applications import HoursRequest
from tremplin.models.jobs import JobCreate, JobStatus, JobUpdate, ShiftCreate
from tremplin.models.webhooks import (
    Accepted,
    DeadLetter,
    HoursSubmitEvent,
    InboundEvent,
    JobCancelEvent,
    JobUpsertEvent,
)
from tremplin.partners.secrets import valid_secrets
from tremplin.settings import get_settings

logger = Logger(child=True)

INBOUND: TypeAdapter[JobUpsertEvent | JobCancelEvent | HoursSubmitEvent] = TypeAdapter(InboundEvent)


def receive(org_id: str, body: str, headers: dict[str, str]) -> Accepted:
    """Verify, validate, queue durably, then acknowledge. Nothing is stored or queued for a
    request that fails any check; a repeated webhook-id of a queued event is acknowledged
    ("duplicate") and changes nothing."""
    webhook_id = {k.lower(): v for k, v in headers.items()}.get("webhook-id") or ""
    with parallel.reads() as reads:
        # Whether it was queued before, read while the secrets are; answered only once it verifies.
        queued_before = reads.start(store.receipt_recorded, org_id, webhook_id) if webhook_id else None
        _verify(org_id, body, headers)
        event = _parsed(body)
        # The receipt is written only after the enqueue: a repeat is "duplicate" only for an event that
        # is queued. A failure (or a lost answer, or a dying function) anywhere before leaves no receipt,
        # so the partner's retry is queued again; the consumer acts on an event twice queued only once
        # (process() skips a webhook-id it marked processed).
        if queued_before is not None and queued_before.result():
            return Accepted(webhook_id=webhook_id, status="duplicate")
    message = {"org_id": org_id, "webhook_id": webhook_id, "event": event.model_dump(mode="json")}
    try:
        store.enqueue(get_settings().webhooks_queue_url, message)
    except Exception:
        logger.exception("inbound webhook not queued")
        raise ServiceUnavailable("The event could not be queued; please deliver it again.") from None
    now = clock.now()
    expires = int((now + timedelta(days=store.RECEIPT_DAYS)).timestamp())
    try:
        store.record_receipt(org_id, webhook_id, clock.iso(now), expires)
    except Exception:  # queued all the same; without a receipt a repeat is queued again, to no effect
        logger.exception("inbound webhook receipt not recorded")
    return Accepted(webhook_id=webhook_id, status="queued")


def _verify(org_id: str, body: str, headers: dict[str, str]) -> None:
    """401 unless one of the organisation's valid secrets signed the request."""
    for secret in valid_secrets(org_id):
        try:
            Webhook(secret).verify(body, headers, json_parse=False)
            return
        except Exception:  # noqa: S112 - one secret failing: try the next  # nosec B112
            continue
    # Wrong signature, stale or future timestamp, missing headers, unknown organisation.
    raise Unauthorized("The webhook signature could not be verified.", code="invalid_signature")


def _parsed(body: str) -> JobUpsertEvent | JobCancelEvent | HoursSubmitEvent:
    """The event the body holds: 400 for JSON that does not parse, 422 for an event unknown here."""
    try:
        raw = json.loads(body)
    except ValueError:
        raise BadRequest("The request body is not valid JSON.", code="malformed_json") from None
    try:
        return INBOUND.validate_python(raw)
    except ValidationError as exc:
        details = [{"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()]
        raise ValidationFailed("The event is not one Tremplin understands.", details=details) from None


def process(message: dict[str, Any]) -> str:
    """The consumer's work for one event, once per (organisation, webhook-id): an event marked
    processed is skipped ("duplicate"), so a copy queued twice (a partner's retry after a lost
    receipt, SQS's at-least-once delivery) does not apply an older event again over a newer one.
    The marker is written only after the processing succeeded: an event that failed, or whose
    function died before the marker, is processed again on its redelivery, which the domain
    makes harmless (by external_ref for jobs, by the application's state for hours). Two copies
    processed at the very same moment both act; the marker is no lock."""
    org_id = str(message["org_id"])
    webhook_id = str(message["webhook_id"])
    if store.processed(org_id, webhook_id):
        return "duplicate"
    partner = Caller(sub=f"partner:{org_id}", role=Role.EMPLOYER, org_id=org_id)
    event = INBOUND.validate_python(message["event"])
    outcome = _act(partner, event)
    now = clock.now()
    expires = int((now + timedelta(days=store.RECEIPT_DAYS)).timestamp())
    try:
        store.record_processed(org_id, webhook_id, outcome, clock.iso(now), expires)
    except Exception:  # acted on all the same; without its marker only a later copy (rare) acts again
        logger.exception("inbound webhook not marked processed")
    return outcome


def _act(partner: Caller, event: JobUpsertEvent | JobCancelEvent | HoursSubmitEvent) -> str:
    if isinstance(event, JobUpsertEvent):
        return _upsert_job(partner, event)
    if isinstance(event, JobCancelEvent):
        return _cancel_job(partner, event)
    if isinstance(event, HoursSubmitEvent):
        return _submit_hours(partner, event)
    raise ValueError(f"unhandled event {event!r}")  # pragma: no cover - the union above is exhaustive


def _upsert_job(partner: Caller, event: JobUpsertEvent) -> str:
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
    job_id = job_store.job_by_external_ref(partner.org_id or "", event.data.external_ref)
    if job_id is None:
        raise NotFound(f"No job with external_ref {event.data.external_ref}.")
    if jobs.get(partner, job_id).status is JobStatus.CANCELLED:
        return "unchanged"
    jobs.cancel(partner, job_id, event.data.reason)
    return "cancelled"


def _submit_hours(partner: Caller, event: HoursSubmitEvent) -> str:
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
