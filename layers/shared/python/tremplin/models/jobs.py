"""Jobs (missions of a few days) and their shifts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from tremplin.models import Model, Strict
from tremplin.models.common import Address, Instant, NonEmpty
from tremplin.models.participants import Languages, Skills
from tremplin.models.pay_scheme import WageClass

MAX_SHIFT = timedelta(hours=12)
MAX_SHIFTS_PER_JOB = 31
FAVOURITES_FIRST_MAX_HOURS = 72


class Category(StrEnum):
    CLEANING = "cleaning"
    GARDENING = "gardening"
    KITCHEN = "kitchen"
    LOGISTICS = "logistics"
    RETAIL = "retail"
    EVENTS = "events"
    CARE = "care"
    CONSTRUCTION = "construction"
    OFFICE = "office"
    DELIVERY = "delivery"
    OTHER = "other"


class JobStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CANCELLED = "cancelled"


class ShiftStatus(StrEnum):
    OPEN = "open"
    CANCELLED = "cancelled"


FavouritesFirstHours = Annotated[
    int,
    Field(
        ge=0,
        le=FAVOURITES_FIRST_MAX_HOURS,
        description="Hours after publishing in which only the organisation's favourites see its shifts and apply",
    ),
]
Money = Annotated[Decimal, Field(max_digits=6, decimal_places=2, gt=0, description="CHF, e.g. 23.50")]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
ExternalRef = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class Requirements(Strict):
    skills: Skills = []
    languages: Languages = []


class ShiftCreate(Strict):
    starts_at: Instant
    ends_at: Instant
    break_minutes: Annotated[int, Field(ge=0, le=240)] = 0
    slots: Annotated[int, Field(ge=1, le=50)]

    @model_validator(mode="after")
    def _times(self) -> ShiftCreate:
        length = self.ends_at - self.starts_at  # real elapsed time, whatever the clocks did
        if length <= timedelta(0):
            raise ValueError("ends_at must be after starts_at")
        if length > MAX_SHIFT:
            raise ValueError("a shift lasts at most 12 hours")
        if timedelta(minutes=self.break_minutes) >= length:
            raise ValueError("break_minutes must be shorter than the shift")
        return self


class JobCreate(Strict):
    title: Title
    description: Description
    category: Category
    location: Address
    hourly_wage: Money
    wage_class: WageClass = Field(
        default="unskilled", description="The pay scheme's wage class; the hourly wage is at least its minimum"
    )
    requirements: Requirements = Requirements()
    shifts: Annotated[list[ShiftCreate], Field(min_length=1, max_length=MAX_SHIFTS_PER_JOB)]
    publish: bool = False
    external_ref: ExternalRef | None = Field(
        default=None, description="The partner system's own id, unique per organisation"
    )
    favourites_first_hours: FavouritesFirstHours = 0


class JobUpdate(Strict):
    title: Title | None = None
    description: Description | None = None
    category: Category | None = None
    location: Address | None = None
    hourly_wage: Money | None = None
    wage_class: WageClass | None = None
    requirements: Requirements | None = None
    favourites_first_hours: FavouritesFirstHours | None = None


class CancelRequest(Strict):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class Shift(Model):
    shift_id: str
    job_id: str
    org_id: str
    starts_at: str
    ends_at: str
    break_minutes: int
    slots: int
    filled: int
    status: ShiftStatus
    cancelled_at: str | None = None
    cancel_reason: str | None = None


class Job(Model):
    job_id: str
    org_id: str
    title: str
    description: str
    category: Category
    location: Address
    hourly_wage: str
    wage_class: str = "unskilled"
    requirements: Requirements
    status: JobStatus
    external_ref: str | None = None
    shifts: list[Shift]
    created_at: str
    updated_at: str
    published_at: str | None = None
    cancelled_at: str | None = None
    cancel_reason: str | None = None
    favourites_first_hours: int = 0
    favourites_until: str | None = Field(
        default=None, description="Until then only the organisation's favourites see the job's shifts"
    )


class JobSummary(Model):
    """A job as participants browse it: with its open future shifts on this page."""

    job_id: str
    org_id: str
    title: str
    category: Category
    postcode: str
    city: str
    hourly_wage: str
    favourites_until: str | None = None
    shifts: list[Shift]


class ShiftCancelRequest(Strict):
    reason: NonEmpty | None = None
