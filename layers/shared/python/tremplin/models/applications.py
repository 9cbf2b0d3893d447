"""Applications: one participant on one shift, from application to completed work and pay."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from tremplin.models import Model, Strict
from tremplin.models.check_in import CheckIn
from tremplin.models.common import Instant
from tremplin.models.papers import Reference, WrittenReference

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


class ExcuseReason(StrEnum):
    """Why a no-show or a late cancellation is excused (a list: no free text about health)."""

    ILLNESS = "illness"
    CARE_DUTIES = "care_duties"
    OFFICE_APPOINTMENT = "office_appointment"
    TRANSPORT_FAILURE = "transport_failure"
    OTHER = "other"


class ExcuseRequest(Strict):
    reason: ExcuseReason


class Excuse(Model):
    """Why a caseworker or an admin excused a no-show or a late cancellation: it never counts."""

    reason: ExcuseReason
    excused_at: str
    excused_by: str


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
    reference: Reference | None = None  # papers for the next step: the employer's reference
    excuse: Excuse | None = None
    invited: bool = Field(default=False, description="Made by the employer's invitation, straight as an offer")
    check_in: CheckIn | None = None  # check-in at the site: arrival and departure as recorded


class ApplicantCard(Model):
    """What an employer learns of an applicant (never case data, never the word assistance)."""

    participant_id: str
    first_name: str
    last_initial: str
    skills: list[str]
    languages: list[str]
    completed_shifts: int
    no_show_count: int = Field(description="No-shows of the last 6 months; excused ones never count")
    late_cancellation_count: int = Field(
        0, description="Cancellations by the participant less than 24 h ahead, last 6 months; excused ones never count"
    )
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
    reference: WrittenReference | None = None  # papers for the next step: the reference it wrote
    invited: bool = False
    check_in: CheckIn | None = None  # check-in at the site: prefills the hours
    applicant: ApplicantCard
