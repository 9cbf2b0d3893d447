"""Partner integration: signed inbound events and signed outbound deliveries."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from tremplin.models import Model, Strict
from tremplin.models.applications import HoursRequest
from tremplin.models.jobs import ExternalRef, JobCreate

MAX_INBOUND_BYTES = 256 * 1024


class OutboundEvent(StrEnum):
    APPLICATION_CREATED = "application.created"
    APPLICATION_CONFIRMED = "application.confirmed"
    APPLICATION_DECLINED = "application.declined"
    APPLICATION_CANCELLED = "application.cancelled"
    HOURS_APPROVED = "hours.approved"


class JobUpsertData(JobCreate):
    external_ref: ExternalRef  # required here: it names the job in the partner's system


class JobCancelData(Strict):
    external_ref: ExternalRef
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)] = (
        "Cancelled by partner"
    )


class HoursSubmitData(HoursRequest):
    application_id: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class JobUpsertEvent(Strict):
    type: Literal["job.upsert"]
    data: JobUpsertData


class JobCancelEvent(Strict):
    type: Literal["job.cancel"]
    data: JobCancelData


class HoursSubmitEvent(Strict):
    type: Literal["hours.submit"]
    data: HoursSubmitData


InboundEvent = Annotated[JobUpsertEvent | JobCancelEvent | HoursSubmitEvent, Field(discriminator="type")]


class Accepted(Model):
    webhook_id: str
    status: Literal["queued", "duplicate"]


class SecretAnswer(Model):
    secret: str = Field(description="Shown once. The previous secret stays valid for 24 hours.")
    previous_valid_until: str | None = None


class SubscriptionRequest(Strict):
    url: Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=2000)]
    events: Annotated[list[OutboundEvent], Field(min_length=1)]


class Subscription(Model):
    org_id: str
    url: str
    events: list[OutboundEvent]
    updated_at: str


class Attempt(Model):
    at: str
    status_code: int | None = None
    error: str | None = None


class Delivery(Model):
    delivery_id: str
    event_type: OutboundEvent
    status: Literal["pending", "delivered", "failed"]
    url: str
    attempts: list[Attempt] = []
    next_attempt_at: str | None = None
    created_at: str


class DeadLetter(Model):
    message_id: str
    receive_count: int
    body: str
