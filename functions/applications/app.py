"""HTTP routes of the shift lifecycle (API.md: /shifts/{id}/applications, /applications, /me/applications)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from tremplin.api import Cursor, Limit, current_caller, install_error_handlers, lambda_entry, roles
from tremplin.identity import Role
from tremplin.logic import applications, check_in, invitations, references
from tremplin.models import Page
from tremplin.models.applications import (
    Application,
    ApplyRequest,
    CancelApplicationRequest,
    DisputeRequest,
    EmployerApplicationView,
    ExcuseRequest,
    HoursRequest,
    RatingRequest,
)
from tremplin.models.check_in import CheckInCode, EmployerCheckInRequest, ScanRequest
from tremplin.models.favourites import InvitationRequest
from tremplin.models.papers import ReferenceRequest, WrittenReference
from tremplin.settings import get_settings

app = APIGatewayHttpResolver(enable_validation=True)
install_error_handlers(app)

PARTICIPANT, EMPLOYER = roles(Role.PARTICIPANT), roles(Role.EMPLOYER)
ROUTE_ROLES = {
    "POST /shifts/{shift_id}/applications": PARTICIPANT,
    "GET /shifts/{shift_id}/applications": EMPLOYER,
    "GET /me/applications": PARTICIPANT,
    "GET /applications/{application_id}": roles(*Role),
    "POST /applications/{application_id}/withdraw": PARTICIPANT,
    "POST /applications/{application_id}/confirm": PARTICIPANT,
    "POST /applications/{application_id}/decline": PARTICIPANT,
    "POST /applications/{application_id}/accept": EMPLOYER,
    "POST /applications/{application_id}/reject": EMPLOYER,
    "POST /applications/{application_id}/no-show": EMPLOYER,
    "POST /applications/{application_id}/cancel": roles(Role.PARTICIPANT, Role.EMPLOYER),
    "POST /applications/{application_id}/hours": EMPLOYER,
    "POST /applications/{application_id}/hours/approve": PARTICIPANT,
    "POST /applications/{application_id}/hours/dispute": PARTICIPANT,
    "POST /applications/{application_id}/hours/resolve": roles(Role.ADMIN),
    "POST /applications/{application_id}/rating": roles(Role.PARTICIPANT, Role.EMPLOYER),
    # Papers for the next step: the employer's reference, the participant's choice
    "PUT /applications/{application_id}/reference": EMPLOYER,
    "POST /applications/{application_id}/reference/include": PARTICIPANT,
    "POST /applications/{application_id}/reference/exclude": PARTICIPANT,
    # issue 19, reliability record
    "POST /applications/{application_id}/excuse": roles(Role.CASEWORKER, Role.ADMIN),
    # favourites: invitations
    "POST /shifts/{shift_id}/invitations": EMPLOYER,
    # check-in at the site (issue 20)
    "GET /shifts/{shift_id}/check-in-code": EMPLOYER,
    "POST /check-in": PARTICIPANT,
    "POST /applications/{application_id}/check-in": EMPLOYER,
}
TAGS = ["applications"]


@app.post("/shifts/<shift_id>/applications", status_code=201, tags=TAGS, summary="Apply to a shift (participant)")
def apply(shift_id: str, body: ApplyRequest | None = None) -> Application:
    return applications.apply(current_caller(app), shift_id, body or ApplyRequest())


@app.get("/shifts/<shift_id>/applications", tags=TAGS, summary="Applicants of a shift, as cards (employer)")
def list_applicants(shift_id: str, limit: Limit = 50, cursor: Cursor = None) -> Page[EmployerApplicationView]:
    return applications.applicants(current_caller(app), shift_id, limit, cursor)


@app.get("/me/applications", tags=["me"], summary="The participant's own applications")
def my_applications(limit: Limit = 50, cursor: Cursor = None) -> Page[Application]:
    return applications.mine(current_caller(app), limit, cursor)


@app.get("/applications/<application_id>", tags=TAGS, summary="An application (employers get the applicant card)")
def get_application(application_id: str) -> Application | EmployerApplicationView:
    return applications.get(current_caller(app), application_id)


@app.post("/applications/<application_id>/withdraw", tags=TAGS, summary="Withdraw an application (participant)")
def withdraw(application_id: str) -> Application:
    return applications.withdraw(current_caller(app), application_id)


@app.post("/applications/<application_id>/confirm", tags=TAGS, summary="Confirm an offer before it expires")
def confirm(application_id: str) -> Application:
    return applications.confirm(current_caller(app), application_id)


@app.post("/applications/<application_id>/decline", tags=TAGS, summary="Decline an offer (participant)")
def decline(application_id: str) -> Application:
    return applications.decline(current_caller(app), application_id)


@app.post("/applications/<application_id>/accept", tags=TAGS, summary="Offer the shift to the applicant (employer)")
def accept(application_id: str) -> Application:
    return applications.accept(current_caller(app), application_id)


@app.post("/applications/<application_id>/reject", tags=TAGS, summary="Reject an application (employer)")
def reject(application_id: str) -> Application:
    return applications.reject(current_caller(app), application_id)


@app.post("/applications/<application_id>/no-show", tags=TAGS, summary="Record a no-show (employer)")
def no_show(application_id: str) -> Application:
    return applications.no_show(current_caller(app), application_id)


@app.post("/applications/<application_id>/cancel", tags=TAGS, summary="Cancel an offer or a confirmed shift")
def cancel(application_id: str, body: CancelApplicationRequest) -> Application:
    return applications.cancel(current_caller(app), application_id, body.reason)


@app.post("/applications/<application_id>/hours", tags=TAGS, summary="Submit the hours worked (employer)")
def submit_hours(application_id: str, body: HoursRequest) -> Application:
    return applications.submit_hours(current_caller(app), application_id, body)


@app.post("/applications/<application_id>/hours/approve", tags=TAGS, summary="Approve the hours (participant)")
def approve_hours(application_id: str) -> Application:
    return applications.approve_hours(current_caller(app), application_id)


@app.post("/applications/<application_id>/hours/dispute", tags=TAGS, summary="Dispute the hours (participant)")
def dispute_hours(application_id: str, body: DisputeRequest) -> Application:
    return applications.dispute_hours(current_caller(app), application_id, body.reason)


@app.post("/applications/<application_id>/hours/resolve", tags=TAGS, summary="Settle disputed hours (admin)")
def resolve_hours(application_id: str, body: HoursRequest) -> Application:
    return applications.resolve_hours(current_caller(app), application_id, body)


@app.post("/applications/<application_id>/rating", tags=TAGS, summary="Rate the other side, once, after completion")
def rate(application_id: str, body: RatingRequest) -> Application:
    return applications.rate(current_caller(app), application_id, body)


# ---------------------------------------------------------------- papers for the next step


@app.put(
    "/applications/<application_id>/reference",
    tags=["papers"],
    summary="Write the reference on a completed application (employer, own organisation)",
    description=(
        "A short reference (Arbeitszeugnis, at most 1000 characters) the participant may include in "
        "their work confirmation. Written and rewritten while the application is completed (else 409 "
        "application_not_completed); a changed text is excluded until the participant includes it "
        "again; the same text again changes nothing. Answers the reference as written; whether the "
        "participant includes it is theirs to know."
    ),
)
def write_reference(application_id: str, body: ReferenceRequest) -> WrittenReference:
    return references.write(current_caller(app), application_id, body)


REFERENCE_CHOICE = (
    "The participant's choice whether the employer's reference is printed in their work "
    "confirmation (default: excluded). 409 no_reference when none was written; 409 "
    "reference_changed when the employer changed the text meanwhile (read it again). Choosing "
    "what is chosen already changes nothing. Answers the application."
)


@app.post(
    "/applications/<application_id>/reference/include",
    tags=["papers"],
    summary="Include the reference in the work confirmation (participant)",
    description=REFERENCE_CHOICE,
)
def include_reference(application_id: str) -> Application:
    return references.choose(current_caller(app), application_id, included=True)


@app.post(
    "/applications/<application_id>/reference/exclude",
    tags=["papers"],
    summary="Leave the reference out of the work confirmation (participant)",
    description=REFERENCE_CHOICE,
)
def exclude_reference(application_id: str) -> Application:
    return references.choose(current_caller(app), application_id, included=False)


# ---------------------------------------------------------------- issue 19: reliability record


@app.post(
    "/applications/<application_id>/excuse",
    tags=TAGS,
    summary="Excuse a no-show or a late cancellation (caseworker: own caseload; admin)",
    description=(
        "Coaching, not punishment: an excused no-show or late cancellation by the participant never "
        "counts on the employer's applicant card again (unexcused ones stop counting 6 months after the "
        "shift's start). The reason comes from a list, never free text. Answers the application with its "
        "`excuse`. 409 `not_excusable` for any other application (nothing changes); asked again, it "
        "answers the excuse already given, unchanged (idempotent). 404 for an application outside the "
        "caller's caseload. The change is written to the participant's audit trail."
    ),
)
def excuse(application_id: str, body: ExcuseRequest) -> Application:
    return applications.excuse(current_caller(app), application_id, body)


# ---------------------------------------------------------------- favourites: invitations


@app.post(
    "/shifts/<shift_id>/invitations",
    status_code=201,
    tags=TAGS,
    summary="Invite a favourite to a shift: an offer, confirmed or declined as any (employer)",
    description=(
        "Makes the participant's application straight in `offered` (`invited: true`), holding a slot until the"
        " usual offer expiry, under every rule of an offer (409: shift_full, shift_closed, job_not_open,"
        " overlapping_shift, weekly_hours_exceeded, participant_not_active, too_late_to_offer,"
        " organisation_suspended). A participant who applied already gets that application offered; the same"
        " invitation sent again answers the same offer; any other application on the shift: 409 already_applied."
        " 404 for a participant who is not a favourite of the organisation."
    ),
)
def invite(shift_id: str, body: InvitationRequest) -> Application:
    return invitations.invite(current_caller(app), shift_id, body)


# ---------------------------------------------------------------- issue 20: check-in at the site

CHECK_IN_RULES = (
    " Open from 15 minutes before the shift's start until 2 hours after its end (409 check_in_not_open,"
    " check_in_closed); only for a confirmed application (else 409 check_in_closed). No location is asked"
    " for or stored."
)


def _web_base() -> str:
    """Where the web app is: the stack's address; the local stack serves it beside the API."""
    settings = get_settings()
    if settings.web_url or not settings.local_stack:
        return settings.web_url
    return f"http://{app.current_event.headers.get('host') or '127.0.0.1:3000'}"


@app.get(
    "/shifts/<shift_id>/check-in-code",
    tags=["check-in"],
    summary="The shift's check-in QR code, for the employer's screen (own organisation)",
    description=(
        "`state` not_open, open or closed; while open, a signed `code`, the link the QR code carries "
        "(`url`: the app's check-in) and the QR code itself (`qr_svg_uri`, SVG). A new code every 5 minutes "
        "(`refresh_at`); the previous one is still accepted for one more period." + CHECK_IN_RULES
    ),
)
def check_in_code(shift_id: str) -> CheckInCode:
    return check_in.code(current_caller(app), shift_id, _web_base())


@app.post(
    "/check-in",
    tags=["check-in"],
    summary="Check in or out with a scanned code (participant)",
    description=(
        "The first scan records the arrival, a scan at least 15 minutes later the departure; every other "
        "scan changes nothing (idempotent). Answers the participant's application with its `check_in`. "
        "404 without a confirmed place on the code's shift; 409 check_in_code_invalid (forged, changed or "
        "malformed), check_in_code_expired (older than 10 minutes: scan again)." + CHECK_IN_RULES
    ),
)
def scan_check_in(body: ScanRequest) -> Application:
    return check_in.scan(current_caller(app), body)


@app.post(
    "/applications/<application_id>/check-in",
    tags=["check-in"],
    summary="Record a participant's arrival or departure (employer, for someone without a phone)",
    description=(
        "`event` arrival or departure, at the current time; each recorded once (again: the time already "
        "recorded is answered). 409 not_arrived for a departure before an arrival." + CHECK_IN_RULES
    ),
)
def record_check_in(application_id: str, body: EmployerCheckInRequest) -> Application:
    return check_in.record(current_caller(app), application_id, body)


lambda_handler = lambda_entry(app, ROUTE_ROLES)
