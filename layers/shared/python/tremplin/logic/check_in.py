"""Check-in at the site (issue 20): the employer shows a rotating, signed QR code per shift; the
participant scans it with the phone's camera at arrival and again at departure; an employer
records the two for someone without a phone. The times prefill the hours form. Rules in
tremplin.check_in_codes; no location is asked for or stored; nothing follows from the stream.

Every scan is idempotent: an arrival is recorded once (a second scan at the door, or one within
15 minutes of the arrival, changes nothing), a departure once, each by a conditional write on the
confirmed application; a concurrent scan that lost the race answers what the winner recorded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tremplin import access, check_in_codes, clock
from tremplin.data import applications as store
from tremplin.data import check_in as check_in_store
from tremplin.data import keys
from tremplin.data.dynamo import TransactionRefused, strip_keys
from tremplin.errors import Conflict, NotFound
from tremplin.identity import Caller
from tremplin.models.applications import CONFIRMED_OR_LATER, Application, ApplicationStatus
from tremplin.models.check_in import CheckInBy, CheckInCode, CheckInEvent, EmployerCheckInRequest, ScanRequest

WindowState = check_in_codes.WindowState


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def code(caller: Caller, shift_id: str, web_base: str) -> CheckInCode:
    """The shift's current code, for the employer's screen (own organisation, else 404)."""
    shift = store.read(store.shift_key(shift_id))[0]
    if shift is None or not access.may_see_shift_applicants(caller, shift):
        raise NotFound(f"Shift {shift_id} was not found.")
    now = clock.now()
    starts, ends = _at(shift["starts_at"]), _at(shift["ends_at"])
    opens, closes = check_in_codes.window(starts, ends)
    state = check_in_codes.state(starts, ends, now)
    if shift.get("status") == "cancelled":
        state = WindowState.CLOSED
    answer = CheckInCode(shift_id=shift_id, state=state.value, opens_at=clock.iso(opens), closes_at=clock.iso(closes))
    if state is WindowState.OPEN:
        answer.code = check_in_codes.make(check_in_store.signing_key(), shift_id, now)
        answer.url = f"{web_base.rstrip('/')}/#/check-in/{answer.code}"
        answer.qr_svg_uri = check_in_codes.qr_svg_uri(answer.url)
        answer.refresh_at = clock.iso(check_in_codes.step_ends(check_in_codes.step_of(now)))
    return answer


def _closed(app: dict[str, Any]) -> Conflict:
    return Conflict(
        "Check-in is for a confirmed place, until the hours are recorded.",
        code="check_in_closed",
        details=[{"status": app["status"]}],
    )


def _open_for(app: dict[str, Any], now: datetime) -> None:
    """409 unless the application is confirmed and its shift's check-in window is open."""
    if app["status"] != ApplicationStatus.CONFIRMED:
        raise _closed(app)
    check_in_codes.require_open(_at(app["shift_starts_at"]), _at(app["shift_ends_at"]), now)


def _as_found(refused: TransactionRefused, app_id: str) -> dict[str, Any]:
    """After a refused write: what a concurrent scan recorded, or why it is over now."""
    found = strip_keys(refused.item) if refused.item else None
    if found is None:
        raise NotFound(f"Application {app_id} was not found.")
    if found["status"] != ApplicationStatus.CONFIRMED:
        raise _closed(found)
    return found


def _arrive(app: dict[str, Any], now: datetime, by: CheckInBy) -> dict[str, Any]:
    try:
        return check_in_store.record_arrival(app["application_id"], clock.iso(now), by.value)
    except TransactionRefused as refused:
        return _as_found(refused, app["application_id"])


def _depart(app: dict[str, Any], now: datetime, by: CheckInBy) -> dict[str, Any]:
    try:
        return check_in_store.record_departure(app["application_id"], app["check_in"], clock.iso(now), by.value)
    except TransactionRefused as refused:
        return _as_found(refused, app["application_id"])


def scan(caller: Caller, body: ScanRequest) -> Application:
    """The participant opened the code's link: arrival, or departure once arrived 15 minutes ago.
    404 without a confirmed (or later) place on the code's shift, as if the shift did not exist."""
    now = clock.now()
    shift_id = check_in_codes.read(check_in_store.signing_key(), body.code, now)
    participant_id = caller.participant_id or ""
    app_id = keys.application_id(shift_id, participant_id)
    app, profile = store.read(store.app_key(app_id), store.profile_key(participant_id))
    if not access.acts_as_participant(profile, caller) or app is None or app["status"] not in CONFIRMED_OR_LATER:
        raise NotFound("You have no confirmed place on this shift.")
    _open_for(app, now)
    recorded = app.get("check_in") or {}
    if not recorded.get("arrived_at"):
        app = _arrive(app, now, CheckInBy.PARTICIPANT)
    elif not recorded.get("departed_at") and now - _at(recorded["arrived_at"]) >= check_in_codes.SAME_ARRIVAL:
        app = _depart(app, now, CheckInBy.PARTICIPANT)
    return Application.model_validate(app)


def record(caller: Caller, app_id: str, body: EmployerCheckInRequest) -> Application:
    """The employer records arrival or departure (own organisation's application, else 404);
    each once: recording it again answers the time already recorded."""
    app = store.get(app_id)
    if app is None or not access.may_see_application(caller, app):
        raise NotFound(f"Application {app_id} was not found.")
    now = clock.now()
    _open_for(app, now)
    recorded = app.get("check_in") or {}
    if body.event is CheckInEvent.ARRIVAL and not recorded.get("arrived_at"):
        app = _arrive(app, now, CheckInBy.EMPLOYER)
    elif body.event is CheckInEvent.DEPARTURE and not recorded.get("departed_at"):
        if not recorded.get("arrived_at"):
            raise Conflict("Record the arrival first.", code="not_arrived")
        app = _depart(app, now, CheckInBy.EMPLOYER)
    return Application.model_validate(app)
