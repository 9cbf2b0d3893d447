"""HTTP routes about participants: enrolment and caseloads (caseworkers, admins), and the
participant's own profile, consent and export (API.md: /participants, /me)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Query

from tremplin.api import PUBLIC, Cursor, Limit, current_caller, install_error_handlers, lambda_entry, roles
from tremplin.identity import Role
from tremplin.logic import calendar, participants, progress
from tremplin.models import Page
from tremplin.models.calendar import CalendarFeed
from tremplin.models.participants import (
    Activity,
    AuditEntry,
    ConsentRequest,
    ExitRequest,
    Export,
    Participant,
    ParticipantCreate,
    ParticipantStatus,
    ParticipantUpdate,
    ProfileUpdate,
    Suggestion,
    SuggestionRequest,
)
from tremplin.models.progress import Progress
from tremplin.settings import get_settings

app = APIGatewayHttpResolver(enable_validation=True)
install_error_handlers(app)

STAFF = roles(Role.CASEWORKER, Role.ADMIN)
ROUTE_ROLES = {
    "POST /participants": STAFF,
    "GET /participants": STAFF,
    "GET /participants/{participant_id}": STAFF,
    "PATCH /participants/{participant_id}": STAFF,
    "GET /participants/{participant_id}/activity": STAFF,
    "POST /participants/{participant_id}/exit": STAFF,
    "POST /participants/{participant_id}/suggestions": roles(Role.CASEWORKER),
    "POST /participants/{participant_id}/erase": roles(Role.ADMIN),
    "GET /participants/{participant_id}/audit": roles(Role.ADMIN),
    "GET /me": roles(Role.PARTICIPANT),
    "PATCH /me": roles(Role.PARTICIPANT),
    "POST /me/consent": roles(Role.PARTICIPANT),
    "GET /me/export": roles(Role.PARTICIPANT),
    # issue 19: contribution months
    "GET /me/progress": roles(Role.PARTICIPANT),
    "GET /participants/{participant_id}/progress": STAFF,
    # calendar feed (issue 20)
    "GET /me/calendar": roles(Role.PARTICIPANT),
    "POST /me/calendar": roles(Role.PARTICIPANT),
    "DELETE /me/calendar": roles(Role.PARTICIPANT),
    "GET /calendar/{feed}": PUBLIC,
}
TAGS = ["participants"]


@app.post(
    "/participants", status_code=201, tags=TAGS, summary="Enrol a participant (caseworker: into own caseload; admin)"
)
def enrol_participant(body: ParticipantCreate) -> Participant:
    return participants.enrol(current_caller(app), body)


@app.get("/participants", tags=TAGS, summary="Caseload (caseworker: own; admin: all), optionally by status")
def list_participants(
    status: Annotated[ParticipantStatus | None, Query()] = None, limit: Limit = 50, cursor: Cursor = None
) -> Page[Participant]:
    return participants.list_visible(current_caller(app), status, limit, cursor)


@app.get("/participants/<participant_id>", tags=TAGS, summary="A participant (own caseload; admin)")
def get_participant(participant_id: str) -> Participant:
    return participants.get(current_caller(app), participant_id)


@app.patch("/participants/<participant_id>", tags=TAGS, summary="Change a participant (own caseload; admin)")
def update_participant(participant_id: str, body: ParticipantUpdate) -> Participant:
    return participants.update(current_caller(app), participant_id, body)


@app.get("/participants/<participant_id>/activity", tags=TAGS, summary="Applications, hours, pay, notifications")
def participant_activity(participant_id: str) -> Activity:
    return participants.activity(current_caller(app), participant_id)


@app.post("/participants/<participant_id>/exit", tags=TAGS, summary="Record the participant's exit and its outcome")
def exit_participant(participant_id: str, body: ExitRequest) -> Participant:
    return participants.record_exit(current_caller(app), participant_id, body)


@app.post(
    "/participants/<participant_id>/suggestions", status_code=201, tags=TAGS, summary="Suggest a job (own caseload)"
)
def suggest_job(participant_id: str, body: SuggestionRequest) -> Suggestion:
    return participants.suggest_job(current_caller(app), participant_id, body)


@app.post("/participants/<participant_id>/erase", tags=TAGS, summary="Anonymise personal data (admin)")
def erase_participant(participant_id: str) -> Participant:
    return participants.erase(current_caller(app), participant_id)


@app.get("/participants/<participant_id>/audit", tags=TAGS, summary="Who read or changed the participant (admin)")
def participant_audit(participant_id: str, limit: Limit = 50, cursor: Cursor = None) -> Page[AuditEntry]:
    return participants.audit_trail(participant_id, limit, cursor)


@app.get("/me", tags=["me"], summary="The participant's own profile")
def get_me() -> Participant:
    return participants.me(current_caller(app))


@app.patch("/me", tags=["me"], summary="Change own skills, languages, postcode, phone, availability")
def update_me(body: ProfileUpdate) -> Participant:
    return participants.update_me(current_caller(app), body)


@app.post("/me/consent", tags=["me"], summary="Give consent (invited -> active)")
def give_consent(body: ConsentRequest) -> Participant:
    return participants.give_consent(current_caller(app), body, get_settings().accepted_consent_versions)


@app.get("/me/export", tags=["me"], summary="Everything stored about the caller")
def export_me() -> Export:
    return participants.export(current_caller(app))


# ---------------------------------------------------------------- issue 19: contribution months

PROGRESS_DESCRIPTION = (
    "Contribution months toward unemployment insurance in the last 24 months up to today (Europe/Zurich), "
    "from the completed work on Tremplin alone: each calendar day with completed work counts 1.4 "
    "calendar days (two shifts on one day count once), at most 30 per calendar month, and 30 calendar "
    "days make a month (AVIV art. 11); 12 within 24 months open a claim (AVIG art. 13). Always an "
    "estimate (`estimate: true`): the unemployment fund decides."
)


@app.get("/me/progress", tags=["me"], summary="Own contribution months (an estimate)", description=PROGRESS_DESCRIPTION)
def my_progress() -> Progress:
    return progress.mine(current_caller(app))


@app.get(
    "/participants/<participant_id>/progress",
    tags=TAGS,
    summary="A participant's contribution months (own caseload; admin; audited)",
    description=PROGRESS_DESCRIPTION + " 404 for a participant outside the caller's caseload.",
)
def participant_progress(participant_id: str) -> Progress:
    return progress.of_participant(current_caller(app), participant_id)


# ---------------------------------------------------------------- calendar feed (issue 20)

CALENDAR_DESCRIPTION = (
    "The participant's private calendar feed (RFC 5545) of the shifts they confirmed: one event per "
    "application with a stable UID, updated when the shift changes, kept with STATUS:CANCELLED when it "
    "is cancelled. Only the secret's hash is stored: the URL is in the answer that made it only."
)


def _api_base() -> str:
    """This API's own address, as the request reached it: the feed URL points back here."""
    scheme = "http" if get_settings().local_stack else "https"
    return f"{scheme}://{app.current_event.request_context.domain_name}"


@app.get("/me/calendar", tags=["me"], summary="Whether the own calendar feed is on", description=CALENDAR_DESCRIPTION)
def my_calendar() -> CalendarFeed:
    return calendar.status(current_caller(app))


@app.post(
    "/me/calendar",
    tags=["me"],
    summary="Turn the calendar feed on, or renew its URL (the previous URL then answers 404)",
    description=CALENDAR_DESCRIPTION + " Each call makes a new URL; an Idempotency-Key is not replayed.",
)
def turn_on_calendar() -> CalendarFeed:
    return calendar.turn_on(current_caller(app), _api_base())


@app.delete("/me/calendar", tags=["me"], summary="Turn the calendar feed off (its URL then answers 404)")
def turn_off_calendar() -> CalendarFeed:
    return calendar.turn_off(current_caller(app))


@app.get(
    "/calendar/<feed>",
    tags=["me"],
    summary="A calendar feed by its secret URL (no sign-in), text/calendar",
    description=(
        "`feed` is the `<participant>.<secret>.ics` of the URL `POST /me/calendar` gave. An unknown, "
        "renewed or turned-off secret is 404. Shifts that ended more than 90 days ago are left out."
    ),
    responses={200: {"description": "The feed", "content": {"text/calendar": {}}}},
)
def calendar_feed(feed: str):  # type: ignore[no-untyped-def]  # text/calendar is no model
    body = calendar.feed(feed)
    headers = {"Cache-Control": "private, no-cache", "Referrer-Policy": "no-referrer"}
    return Response(status_code=200, content_type="text/calendar; charset=utf-8", body=body, headers=headers)


# Cognito: an e-mail address is checked against the sign-ins before it is taken.
lambda_handler = lambda_entry(app, ROUTE_ROLES, clients=("cognito-idp",), parallel_reads=True)
