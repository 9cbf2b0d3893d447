from __future__ import annotations

from enum import StrEnum

from tremplin.models import Model, Strict
from tremplin.models.common import Address, Email, NonEmpty


class OrganisationKind(StrEnum):
    COMPANY = "company"
    PUBLIC = "public"


class OrganisationStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


class OrganisationCreate(Strict):
    name: NonEmpty
    kind: OrganisationKind
    contact_email: Email
    address: Address


class Organisation(Model):
    org_id: str
    name: str
    kind: OrganisationKind
    contact_email: str
    address: Address
    status: OrganisationStatus
    created_at: str
    updated_at: str
