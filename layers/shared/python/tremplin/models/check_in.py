"""Check-in at the site (issue 20): the QR code the employer shows, the scans, what was recorded."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from tremplin.models import Model, Strict


class CheckInBy(StrEnum):
    PARTICIPANT = "participant"  # scanned the code with their phone
    EMPLOYER = "employer"  # recorded from the shift's applicant list (no phone)


class CheckIn(Model):
    """Arrival and departure as recorded; they prefill the hours the employer submits."""

    arrived_at: str | None = None
    arrival_by: CheckInBy | None = None
    departed_at: str | None = None
    departure_by: CheckInBy | None = None


class CheckInCode(Model):
    """The QR code of a shift's check-in, as the employer's screen shows it."""

    shift_id: str
    state: Annotated[str, Field(description="not_open (before 15 min ahead of the start), open, closed")]
    opens_at: str
    closes_at: str
    code: str | None = Field(None, description="Only while open; a new one every 5 minutes")
    url: str | None = Field(None, description="The link the QR code carries: opens the app's check-in")
    qr_svg_uri: str | None = Field(None, description="The QR code of `url`, an SVG image as a data: URI")
    refresh_at: str | None = Field(None, description="When the next code is made (show that one then)")


class ScanRequest(Strict):
    code: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class CheckInEvent(StrEnum):
    ARRIVAL = "arrival"
    DEPARTURE = "departure"


class EmployerCheckInRequest(Strict):
    event: CheckInEvent
