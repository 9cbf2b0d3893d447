"""The step to a regular job (README "The step to regular work").

An employer offers a regular job to a participant its organisation worked with (a completed
shift); to anyone else the participant does not exist (404). One open offer per organisation
and participant. The participant accepts or declines; the employer may withdraw while it is
open. Accepting records the participant's exit (`regular_employment`, on the start date) in
the same transaction, as `POST /participants/{id}/exit` writes it. Messages follow from the
stream (tremplin.events). Repeating an answer already given answers the offer as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tremplin import access, clock
from tremplin.data import applications as app_store
from tremplin.data import keys
from tremplin.data import participants as participant_store
from tremplin.data import regular_offers as store
from tremplin.data.dynamo import TransactionRefused
from tremplin.errors import Conflict, NotFound, field_error
from tremplin.identity import Caller, Role
from tremplin.ids import new_id
from tremplin.logic import participants
from tremplin.models import Page
from tremplin.models.participants import ExitOutcome
from tremplin.models.regular_offers import RegularOffer, RegularOfferCreate, RegularOfferStatus

S = RegularOfferStatus
AUDITED = ("regular_offers",)


@dataclass(frozen=True)
class Move:
    """An answer to an open offer (the routes say who gives it): the status it leads to, and the
    time it stamps."""

    target: RegularOfferStatus
    stamp: str


MOVES = {
    "accept": Move(S.ACCEPTED, "answered_at"),
    "decline": Move(S.DECLINED, "answered_at"),
    "withdraw": Move(S.WITHDRAWN, "withdrawn_at"),
}


def _refusal(offer: dict[str, Any]) -> Conflict:
    """Why an offer that is no longer open cannot be answered or withdrawn (409, the rule named)."""
    status = offer["status"]
    if status == S.WITHDRAWN:
        return Conflict("The employer has withdrawn this offer.", code="offer_withdrawn")
    if status in (S.ACCEPTED, S.DECLINED):
        return Conflict(
            f"This offer was already {status}.", code="offer_already_answered", details=[{"status": status}]
        )
    return Conflict(f"An offer that is {status} cannot be changed.", code="invalid_transition")


def _now() -> str:
    return clock.iso(clock.now())


def _not_found(offer_id: str) -> NotFound:
    return NotFound(f"Regular offer {offer_id} was not found.")


def _short_name(profile: dict[str, Any] | None) -> str | None:
    """First name and last initial, as an employer's applicant card shows them."""
    if not profile or profile.get("status") == "erased":
        return None
    last = str(profile.get("last_name") or "")
    return f"{profile.get('first_name', '')} {last[:1]}.".strip() if last else str(profile.get("first_name") or "")


def _view(caller: Caller, offer: dict[str, Any], profile: dict[str, Any] | None) -> RegularOffer:
    named = caller.role is not Role.PARTICIPANT
    return RegularOffer.model_validate(offer | {"participant_name": _short_name(profile) if named else None})


def _load(caller: Caller, offer_id: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    if caller.role is Role.PARTICIPANT:  # their own profile, in the same read
        offer, profile = store.read(keys.regular_offer(offer_id), keys.profile(caller.participant_id or ""))
    else:
        offer = store.get(offer_id)
        profile = store.read(keys.profile(offer["participant_id"]))[0] if offer else None
    if offer is None or not access.may_see_regular_offer(caller, offer, profile):
        raise _not_found(offer_id)
    participants.audit_staff_read(caller, offer["participant_id"], "read_regular_offer", AUDITED)
    return offer, profile


def _worked_with(participant_id: str, org_id: str) -> bool:
    """Whether the participant completed a shift for the organisation: their own applications,
    newest first, a page at a time (a participant's history, never the table)."""
    cursor = None
    while True:
        apps, cursor = app_store.list_for_participant(participant_id, 100, cursor)
        if any(a["org_id"] == org_id and a["status"] == "completed" for a in apps):
            return True
        if cursor is None:
            return False


# ---------------------------------------------------------------- employers


def make(caller: Caller, body: RegularOfferCreate) -> RegularOffer:
    org_id = caller.org_id or ""
    profile, org = store.read(keys.profile(body.participant_id), keys.org(org_id))
    worked = profile is not None and _worked_with(body.participant_id, org_id)
    if not access.may_offer_regular_job(worked, profile):
        raise NotFound(f"Participant {body.participant_id} was not found.")
    if body.start_date < clock.now().astimezone(clock.ZURICH).date():
        raise field_error("start_date", "a regular job starts today or later")
    at = _now()
    offer = body.model_dump(mode="json") | {
        "offer_id": new_id("rof"),
        "org_id": org_id,
        "org_name": (org or {}).get("name"),
        "caseworker_id": (profile or {}).get("caseworker_id"),  # whom the stream tells; never shown
        "status": S.OPEN.value,
        "created_by": caller.sub,
        "created_at": at,
        "updated_at": at,
    }
    try:
        store.run(store.offer_writes(offer))
    except TransactionRefused as refused:
        if refused.failed(1):
            raise Conflict(
                "Your organisation already has an open offer for this participant; withdraw it first.",
                code="open_offer_exists",
            ) from None
        raise NotFound(f"Participant {body.participant_id} was not found.") from None  # left the programme meanwhile
    return _view(caller, offer, profile)


def withdraw(caller: Caller, offer_id: str) -> RegularOffer:
    return _answer(caller, offer_id, "withdraw")


# ---------------------------------------------------------------- participants


def accept(caller: Caller, offer_id: str) -> RegularOffer:
    return _answer(caller, offer_id, "accept")


def decline(caller: Caller, offer_id: str) -> RegularOffer:
    return _answer(caller, offer_id, "decline")


def _answer(caller: Caller, offer_id: str, action: str) -> RegularOffer:
    move = MOVES[action]
    offer, profile = _load(caller, offer_id)
    if offer["status"] == move.target:
        return _view(caller, offer, profile)  # a repeated answer: the offer as it is
    if offer["status"] != S.OPEN:
        raise _refusal(offer)
    at = _now()
    changes = {"status": move.target.value, move.stamp: at, "updated_at": at}
    writes = store.close_writes(offer, changes)
    if move.target is S.ACCEPTED:
        _accept(caller, offer, profile or {}, writes, at)
    else:
        try:
            store.run(writes)
        except TransactionRefused:
            raise _refused_now(offer_id) from None
    return _view(caller, offer | changes, profile)


def _accept(
    caller: Caller, offer: dict[str, Any], profile: dict[str, Any], writes: list[dict[str, Any]], at: str
) -> None:
    """The acceptance, its record and the participant's exit on the start date, all or nothing."""
    if profile.get("status") not in store.IN_PROGRAMME:
        raise Conflict(
            "You have left the programme; this offer can no longer be accepted here.", code="participant_exited"
        )
    participant_id = offer["participant_id"]
    changes, exit_items = participants.exit_change(
        participant_id, ExitOutcome.REGULAR_EMPLOYMENT.value, offer["start_date"]
    )
    audit = participants.audit_write(caller, participant_id, "exit", ["status", "exit"])
    also = [*writes, store.hire_put(offer, at), *exit_items, audit]
    if participant_store.update(profile, changes, allowed_statuses=store.IN_PROGRAMME, at=at, also=also) is None:
        raise _refused_now(offer["offer_id"])


def _refused_now(offer_id: str) -> Conflict:
    """After a refused write: why, from the state as it is now."""
    current = store.get(offer_id)
    if current is not None and current["status"] != S.OPEN:
        return _refusal(current)
    return Conflict("The offer or the participant changed at the same time; please reload.", code="concurrent_update")


# ---------------------------------------------------------------- reading them


def get(caller: Caller, offer_id: str) -> RegularOffer:
    return _view(caller, *_load(caller, offer_id))


def mine(caller: Caller, limit: int, cursor: str | None) -> Page[RegularOffer]:
    profile = store.read(keys.profile(caller.participant_id or ""))[0]
    if not access.acts_as_participant(profile, caller):  # an erased participant's token reads nothing
        return Page[RegularOffer](items=[], next_cursor=None)
    items, nxt = store.list_for_participant(caller.participant_id or "", limit, cursor)
    return Page[RegularOffer](items=[_view(caller, i, profile) for i in items], next_cursor=nxt)


def list_visible(caller: Caller, participant_id: str | None, limit: int, cursor: str | None) -> Page[RegularOffer]:
    """An employer its organisation's offers, admins every offer; with `participant_id`, that
    participant's (a caseworker: only of their own caseload, else 404)."""
    if participant_id:
        profile = store.read(keys.profile(participant_id))[0]
        if caller.role is Role.EMPLOYER:
            items, nxt = store.list_for_org(caller.org_id or "", limit, cursor)  # the page, then theirs
            items = [i for i in items if i["participant_id"] == participant_id]
        else:
            if profile is None or not access.may_see_participant(caller, profile):
                raise NotFound(f"Participant {participant_id} was not found.")
            items, nxt = store.list_for_participant(participant_id, limit, cursor)
        participants.audit_staff_reads(caller, [participant_id], "read_regular_offers", AUDITED)
        return Page[RegularOffer](items=[_view(caller, i, profile) for i in items], next_cursor=nxt)
    if caller.role is Role.CASEWORKER:
        raise field_error("participant_id", "caseworkers list the offers of one participant of their caseload")
    if caller.role is Role.EMPLOYER:
        items, nxt = store.list_for_org(caller.org_id or "", limit, cursor)
    else:
        items, nxt = store.list_all(limit, cursor)
    wanted = sorted({i["participant_id"] for i in items})
    profiles = {p["participant_id"]: p for p in participant_store.get_many(wanted)} if wanted else {}
    participants.audit_staff_reads(caller, wanted, "read_regular_offers", AUDITED)
    return Page[RegularOffer](
        items=[_view(caller, i, profiles.get(i["participant_id"])) for i in items], next_cursor=nxt
    )
