"""Field types shared by several resources."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, EmailStr, Field, StringConstraints

from tremplin.models import Strict

Postcode = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{3}$"), Field(description="Swiss postcode, 4 digits")]
NonEmpty = Annotated[str, StringConstraints(min_length=1, max_length=200)]

# Lower-cased so that one address is one identity (enrolment refuses a second one).
Email = Annotated[EmailStr, AfterValidator(str.lower)]


class Address(Strict):
    street: NonEmpty
    postcode: Postcode
    city: NonEmpty
