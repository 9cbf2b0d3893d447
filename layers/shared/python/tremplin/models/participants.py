"""Participants: people in the social assistance pool, and what may be said about them."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from tremplin import clock
from tremplin.models import Model, Strict, warmed_at_init
from tremplin.models.applications import Application
from tremplin.models.common import Email, NonEmpty, Postcode
from tremplin.models.iso639 import ISO_639_1
from tremplin.models.languages import UiLanguage


def _language(code: str) -> str:
    code = code.strip().lower()
    if code not in ISO_639_1:
        raise ValueError(f"'{code}' is not an ISO 639-1 language code")
    return code


@warmed_at_init("+41 31 321 61 11")
def _phone(value: str) -> str:
    import phonenumbers  # here: imported at init only by functions whose routes take a phone number

    try:
        number = phonenumbers.parse(value, "CH")  # Swiss numbers may be written without +41
    except phonenumbers.NumberParseException:
        raise ValueError("not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _date_of_birth(born: dt.date) -> dt.date:
    """Not in the future, not more than 100 years ago (Europe/Zurich's today)."""
    today = clock.now().astimezone(clock.ZURICH).date()
    if born > today:
        raise ValueError("must not be in the future")
    earliest = (
        today.replace(year=today.year - 100) if (today.month, today.day) != (2, 29) else dt.date(today.year - 100, 3, 1)
    )
    if born < earliest:
        raise ValueError(f"must not be more than 100 years ago ({earliest.isoformat()} or later)")
    return born


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


Language = Annotated[str, AfterValidator(_language)]
Languages = Annotated[list[Language], Field(max_length=20), AfterValidator(_unique)]
Skill = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=50)]
Skills = Annotated[list[Skill], Field(max_length=50), AfterValidator(_unique)]
Phone = Annotated[str, AfterValidator(_phone)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WeeklyHours = Annotated[int, Field(ge=1, le=50, description="Cap on hours worked per week (Mon-Sun, Europe/Zurich)")]
DateOfBirth = Annotated[
    dt.date,
    AfterValidator(_date_of_birth),
    Field(description="Sensitive, like case data: never shown to employers; sets the holiday-pay rate by age"),
]
WithholdingTax = Annotated[
    bool, Field(description="Subject to withholding tax (Quellensteuer): payslips say so; it is not computed")
]
SmsConsent = Annotated[
    bool,
    Field(
        description="SMS (issue 20): offers, tomorrow's shift, cancellations and hours to check also go by SMS "
        "to the phone number; only the participant sets it, false withdraws it"
    ),
]
CaseReference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]


class ParticipantStatus(StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    EXITED = "exited"
    ERASED = "erased"


class ExitOutcome(StrEnum):
    REGULAR_EMPLOYMENT = "regular_employment"
    TRAINING = "training"
    MOVED_AWAY = "moved_away"
    OTHER = "other"


class ParticipantCreate(Strict):
    first_name: NonEmpty
    last_name: NonEmpty
    email: Email | None = None
    phone: Phone | None = None
    preferred_language: UiLanguage
    languages: Languages = []
    skills: Skills = []
    postcode: Postcode
    weekly_hours_limit: WeeklyHours | None = None
    case_reference: CaseReference
    date_of_birth: DateOfBirth | None = None
    withholding_tax: WithholdingTax = False
    caseworker_id: NonEmpty | None = Field(default=None, description="Defaults to the enrolling caseworker")


class ParticipantUpdate(Strict):
    """What a caseworker (own caseload) or an admin may change; caseworker_id: admins only."""

    first_name: NonEmpty | None = None
    last_name: NonEmpty | None = None
    email: Email | None = None
    phone: Phone | None = None
    preferred_language: UiLanguage | None = None
    languages: Languages | None = None
    skills: Skills | None = None
    postcode: Postcode | None = None
    weekly_hours_limit: WeeklyHours | None = None
    case_reference: CaseReference | None = None
    date_of_birth: DateOfBirth | None = None
    withholding_tax: WithholdingTax | None = None
    caseworker_id: NonEmpty | None = None


class ProfileUpdate(Strict):
    """What participants change about themselves."""

    phone: Phone | None = None
    preferred_language: UiLanguage | None = None
    languages: Languages | None = None
    skills: Skills | None = None
    postcode: Postcode | None = None
    availability: Annotated[list[Weekday], AfterValidator(_unique)] | None = None
    sms_consent: SmsConsent | None = None


class SuggestionRequest(Strict):
    job_id: NonEmpty
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None


class Suggestion(Model):
    suggestion_id: str
    participant_id: str
    job_id: str
    note: str | None = None
    suggested_by: str
    created_at: str


class ConsentRequest(Strict):
    version: NonEmpty


class ExitRequest(Strict):
    outcome: ExitOutcome
    date: dt.date


class ConsentRecord(Model):
    version: str
    given_at: str


class ExitRecord(Model):
    outcome: ExitOutcome
    date: dt.date
    recorded_at: str


class Participant(Model):
    participant_id: str
    first_name: str
    last_name: str
    email: str | None = None
    phone: str | None = None
    preferred_language: str
    languages: list[str] = []
    skills: list[str] = []
    postcode: str | None = None
    availability: list[str] = []
    weekly_hours_limit: int | None = None
    case_reference: str
    date_of_birth: dt.date | None = None
    withholding_tax: bool = False
    caseworker_id: str
    status: ParticipantStatus
    consent: ConsentRecord | None = None
    sms_consent: bool = False
    sms_consent_given_at: str | None = None
    exit: ExitRecord | None = None
    created_at: str
    updated_at: str


class AuditEntry(Model):
    participant_id: str
    at: str
    actor_sub: str
    actor_role: str
    action: str
    fields: list[str] = []


class Notification(Model):
    notification_id: str
    kind: str
    message: str
    subject: str | None = None
    link: str | None = Field(default=None, description="The web front end's screen where the reader acts.")
    data: dict[str, str] = Field(default={}, description="The ids of what the note concerns (times: in `message`).")
    created_at: str


class ShortLink(Model):
    """Where an SMS's short link leads (issue 20)."""

    path: str = Field(description="The web front end's screen (its hash route), e.g. /applications")


class Activity(Model):
    """Applications (with shift times, hours and pay) and notifications, newest first."""

    participant_id: str
    applications: list[Application] = []
    notifications: list[Notification] = []


class Export(Model):
    """Everything stored about the caller, item by item, as stored."""

    participant_id: str
    exported_at: str
    items: list[dict[str, object]]
