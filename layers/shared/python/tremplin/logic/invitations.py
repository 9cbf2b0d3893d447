"""Invitations: an employer offers a shift straight to one of its favourites (PRODUCT.md's
lifecycle, entered at `offered`).

An invitation is an application made in `offered`, marked `invited`, holding a slot with the
usual offer expiry; the participant confirms or declines it as any offer. Every rule of an offer
holds, in one transaction with conditions (tremplin.data.applications.insert_invitation). A
participant who applied already: the invitation accepts that application (the employer's offer);
an invitation sent again while its offer stands answers that offer; any other existing
application of the participant on the shift answers 409 `already_applied`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tremplin import access, clock
from tremplin.data import applications as store
from tremplin.data import favourites as favourites_store
from tremplin.data import keys
from tremplin.data.dynamo import TransactionRefused, strip_keys
from tremplin.data.keys import GSI2
from tremplin.errors import Conflict, NotFound, ServiceUnavailable
from tremplin.identity import Caller
from tremplin.lifecycle import transition
from tremplin.logic import applications
from tremplin.models.applications import Application, ApplicationStatus
from tremplin.models.favourites import InvitationRequest

S = ApplicationStatus


def _shift_not_found(shift_id: str) -> NotFound:
    return NotFound(f"Shift {shift_id} was not found.")


def _not_a_favourite(participant_id: str) -> NotFound:
    # Exactly as a participant that does not exist: the employer learns nothing more.
    return NotFound(f"Participant {participant_id} was not found.")


def invite(caller: Caller, shift_id: str, body: InvitationRequest) -> Application:
    participant_id = body.participant_id
    app_id = keys.application_id(shift_id, participant_id)
    for _ in range(applications.SCHEDULE_REREADS):
        shift, relation, app, schedule, profile = store.read_raw(
            store.shift_key(shift_id),
            favourites_store.relation_key(caller.org_id or "", participant_id),
            store.app_key(app_id),
            store.schedule_key(participant_id),
            store.profile_key(participant_id),
        )
        if shift is None or shift["org_id"] != caller.org_id:
            raise _shift_not_found(shift_id)
        if relation is None or not relation.get("favourite"):
            raise _not_a_favourite(participant_id)
        if app is not None:
            return _existing(caller, strip_keys(app))
        if not access.acts_as_participant(profile) or profile["status"] != "active":
            raise Conflict("Only participants who gave consent can be offered shifts.", code="participant_not_active")
        now = clock.now()
        at = clock.iso(now)
        _check_shift(shift, at)
        starts, ends = datetime.fromisoformat(shift["starts_at"]), datetime.fromisoformat(shift["ends_at"])
        expires = min(now + applications.OFFER_WINDOW, starts - applications.CONFIRM_BEFORE_START)
        if expires <= now:
            raise Conflict("The shift starts too soon for an offer to be confirmed.", code="too_late_to_offer")
        held: dict[str, Any] = dict((schedule or {}).get("held") or {})
        minutes = int((ends - starts).total_seconds() // 60) - int(shift["break_minutes"])
        applications.check_schedule(held, starts, ends, minutes, profile.get("weekly_hours_limit"))
        interval = {"start": shift["starts_at"], "end": shift["ends_at"], "minutes": minutes}
        stale = [a for a, iv in held.items() if datetime.fromisoformat(iv["end"]) < now - applications.SCHEDULE_MEMORY]
        offer = applications.new_application(strip_keys(shift), strip_keys(profile), at) | {
            "status": transition("accept").target.value,
            "invited": True,
            "offered_at": at,
            "offer_expires_at": clock.iso(expires),
        }
        due = store.due_keys("offer", clock.iso(expires), app_id)
        hold = store.hold(participant_id, int(schedule["version"]) if schedule else None, app_id, interval, stale)
        try:
            store.insert_invitation(offer | due, at, hold)
        except TransactionRefused as refused:
            if refused.failed(2):
                continue  # the participant's schedule changed under us: read it again
            current = store.get(app_id) if refused.failed(0) else None
            if current is not None:  # the same invitation (or an application) arrived meanwhile
                return _existing(caller, current)
            raise _refusal(refused, shift_id, participant_id) from None
        return Application.model_validate(offer)
    raise ServiceUnavailable("Too many changes at once for this participant; please try again.")


def _existing(caller: Caller, app: dict[str, Any]) -> Application:
    """The participant's application on the shift that was there before the invitation."""
    if app["status"] == S.APPLIED:
        return applications.accept(caller, app["application_id"])  # the invitation is the offer
    if app["status"] == S.OFFERED and app.get("invited"):
        return Application.model_validate(app)  # the same invitation, sent again
    raise Conflict(
        "The participant has an application on this shift already.",
        code="already_applied",
        details=[{"status": app["status"]}],
    )


def _check_shift(shift: dict[str, Any], now: str) -> None:
    """Why the shift takes no invitation, as the transaction would find it (it decides)."""
    if shift["status"] != "open" or shift["starts_at"] <= now:
        raise Conflict("This shift no longer takes offers.", code="shift_closed")
    if GSI2.pk not in shift:  # a draft job, or a suspended organisation's
        raise Conflict("Only shifts of published jobs take invitations.", code="job_not_open")
    if int(shift.get("filled", 0)) >= int(shift.get("slots", 0)):
        raise Conflict("Every slot of this shift is taken.", code="shift_full")


def _refusal(refused: TransactionRefused, shift_id: str, participant_id: str) -> Exception:
    """Why the invitation's transaction was refused, from the state as it is now."""
    if refused.failed(1):
        shift = store.read_raw(store.shift_key(shift_id))[0]
        if shift is None:
            return _shift_not_found(shift_id)
        try:
            _check_shift(shift, clock.iso(clock.now()))
        except Conflict as conflict:
            return conflict
        return Conflict("Every slot of this shift is taken.", code="shift_full")
    if refused.failed(3):
        return Conflict("Only participants who gave consent can be offered shifts.", code="participant_not_active")
    if refused.failed(4):
        return Conflict("A suspended organisation cannot make offers.", code="organisation_suspended")
    return _not_a_favourite(participant_id)
