"""Favourites: participants an organisation worked with and wants to book again."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from tremplin.models import Model, Strict
from tremplin.models.applications import ApplicantCard

ParticipantId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class Favourite(Model):
    """A participant the organisation worked with, as its employers may see them (the applicant card)."""

    org_id: str
    participant_id: str
    favourite: bool
    favourited_at: str | None = None
    applicant: ApplicantCard


class InvitationRequest(Strict):
    participant_id: ParticipantId = Field(description="A favourite of the shift's organisation")
