"""Offers of regular employment (README "The step to regular work"): an employer offers a
participant its organisation worked with a regular job; the participant accepts or declines."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from tremplin.models import Model, Strict
from tremplin.models.common import NonEmpty


class ContractKind(StrEnum):
    PERMANENT = "permanent"
    FIXED_TERM = "fixed_term"
    APPRENTICESHIP = "apprenticeship"


class RegularOfferStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class RegularOfferCreate(Strict):
    participant_id: NonEmpty = Field(description="A participant the organisation worked with (a completed shift)")
    start_date: dt.date = Field(description="First working day (Europe/Zurich), today or later")
    contract: ContractKind
    workload_percent: int = Field(ge=10, le=100, description="Workload in percent of full time, 10 to 100")
    position_title: NonEmpty
    message: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class RegularOffer(Model):
    offer_id: str
    org_id: str
    org_name: str | None = None
    participant_id: str
    participant_name: str | None = Field(
        default=None, description="First name and last initial, as on the applicant card (employer, staff)"
    )
    start_date: dt.date
    contract: ContractKind
    workload_percent: int
    position_title: str
    message: str | None = None
    status: RegularOfferStatus
    created_at: str
    updated_at: str
    answered_at: str | None = None
    withdrawn_at: str | None = None
