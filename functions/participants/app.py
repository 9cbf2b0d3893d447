"""HTTP routes about participants: enrolment and caseloads (caseworkers, admins), and the
participant's own profile, consent and export (API.md: /participants, /me)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.params import Query

from tremplin.api import Cursor, Limit, current_caller, install_error_handlers, lambda_entry, roles
from tremplin.identity import Role
from tremplin.logic import participants, progress
from tremplin.models import Page
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


lambda_handler = lambda_entry(app, ROUTE_ROLES)
