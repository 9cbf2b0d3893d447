"""Applications: one participant on one shift, from application to completed work and pay."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from tremplin.models import Model, Strict
from tremplin.models.common import Instant

MAX_WORKED = timedelta(hours=16)


class ApplicationStatus(StrEnum):
    APPLIED = "applied"
    WITHDRAWN = "withdrawn"
    REJECTED = "rejected"
    OFFERED = "offered"
    DECLINED = "declined"
    EXPIRED = "expired"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"
    HOURS_SUBMITTED = "hours_submitted"
    HOURS_DISPUTED = "hours_disputed"
    COMPLETED = "completed"


# Statuses that hold a slot on the shift (and a place in the participant's schedule).
HOLDING = frozenset(
    {
        ApplicationStatus.OFFERED,
        ApplicationStatus.CONFIRMED,
        ApplicationStatus.HOURS_SUBMITTED,
        ApplicationStatus.HOURS_DISPUTED,
        ApplicationStatus.COMPLETED,
        ApplicationStatus.NO_SHOW,
    }
)
# Statuses after which the participant may see the employer's contact and the employer theirs.
CONFIRMED_OR_LATER = HOLDING - {ApplicationStatus.OFFERED}

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class ApplyRequest(Strict):
    message: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = None


class CancelApplicationRequest(Strict):
    reason: Reason


class DisputeRequest(Strict):
    reason: Reason


class HoursRequest(Strict):
    started_at: Instant
    ended_at: Instant
    break_minutes: Annotated[int, Field(ge=0, le=480)] = 0

    @model_validator(mode="after")
    def _span(self) -> HoursRequest:
        worked = self.ended_at - self.started_at
        if worked <= timedelta(0):
            raise ValueError("ended_at must be after started_at")
        if worked > MAX_WORKED:
            raise ValueError("at most 16 hours can be recorded for one shift")
        if timedelta(minutes=self.break_minutes) >= worked:
            raise ValueError("break_minutes must be shorter than the time worked")
        return self


class RatingRequest(Strict):
    stars: Annotated[int, Field(ge=1, le=5)]
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = None


class Hours(Model):
    started_at: str
    ended_at: str
    break_minutes: int
    submitted_at: str | None = None


class Pay(Model):
    """An application's pay (API.md; PRODUCT.md "Hours and pay"), amounts in CHF as strings."""

    hours: str
    hourly_wage: str
    base: str
    public_holiday: str
    holiday: str
    thirteenth_month: str
    gross: str
    compensation: bool = False

    @model_validator(mode="before")
    @classmethod
    def _legacy(cls, data: Any) -> Any:
        """Pay fixed before the pay scheme (issue 16) was stored as {hours, hourly_wage, gross,
        holiday_pay, total}: its gross was the base, holiday_pay the holiday pay and total what
        was paid. Shown in today's shape, no public holiday or 13th month (none was paid)."""
        if isinstance(data, Mapping) and "total" in data and "base" not in data:
            return {
                "hours": data["hours"],
                "hourly_wage": data["hourly_wage"],
                "base": data["gross"],
                "public_holiday": "0.00",
                "holiday": data["holiday_pay"],
                "thirteenth_month": "0.00",
                "gross": data["total"],
                "compensation": False,
            }
        return data


class Rating(Model):
    stars: int
    comment: str | None = None
    at: str


class Application(Model):
    application_id: str
    shift_id: str
    job_id: str
    org_id: str
    participant_id: str
    status: ApplicationStatus
    message: str | None = None
    shift_starts_at: str
    shift_ends_at: str
    created_at: str
    updated_at: str
    offered_at: str | None = None
    offer_expires_at: str | None = None
    confirmed_at: str | None = None
    cancelled_by: str | None = None
    cancelled_late: bool | None = None
    cancel_reason: str | None = None
    hours: Hours | None = None
    dispute_reason: str | None = None
    pay: Pay | None = None
    completed_at: str | None = None
    rating_by_participant: Rating | None = None
    rating_by_employer: Rating | None = None
    invited: bool = Field(default=False, description="Made by the employer's invitation, straight as an offer")


class ApplicantCard(Model):
    """What an employer learns of an applicant (never case data, never the word assistance)."""

    participant_id: str
    first_name: str
    last_initial: str
    skills: list[str]
    languages: list[str]
    completed_shifts: int
    no_show_count: int
    average_rating: float | None = None
    # Only once the employer's offer is confirmed:
    full_name: str | None = None
    phone: str | None = None


class EmployerApplicationView(Model):
    application_id: str
    shift_id: str
    status: ApplicationStatus
    message: str | None = None
    created_at: str
    offer_expires_at: str | None = None
    hours: Hours | None = None
    pay: Pay | None = None
    invited: bool = False
    applicant: ApplicantCard
