"""Field types shared by several resources."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field, StringConstraints, WithJsonSchema

from tremplin.models import Strict, warmed_at_init

Postcode = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{3}$"), Field(description="Swiss postcode, 4 digits")]
NonEmpty = Annotated[str, StringConstraints(min_length=1, max_length=200)]


def _within_utc_years(value: datetime) -> datetime:
    try:
        value.astimezone(UTC)  # every instant is stored and compared in UTC
    except OverflowError:
        raise ValueError("must fall between the years 1 and 9999 in UTC") from None
    return value


Instant = Annotated[AwareDatetime, AfterValidator(_within_utc_years)]
"""A time with its offset (ISO 8601) that has a UTC equivalent (0001-01-01T00:00+01:00 has none)."""


@warmed_at_init("warm.up@example.ch")
def _email(value: str) -> str:
    """pydantic's EmailStr check, lower-cased so that one address is one identity (enrolment
    refuses a second one). EmailStr imports email_validator when a model using it is defined,
    which is cold-start time for every function; here it is imported at the init of the
    functions whose routes take an e-mail address (tremplin.api._prepare)."""
    from pydantic.networks import validate_email

    return validate_email(value)[1].lower()


Email = Annotated[str, AfterValidator(_email), WithJsonSchema({"type": "string", "format": "email"})]


class Address(Strict):
    street: NonEmpty
    postcode: Postcode
    city: NonEmpty
