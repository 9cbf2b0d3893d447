"""What follows a committed change: the one table of side effects (ARCHITECTURE.md).

The changes consumer hands every stream record (the item before and after) to `follow(old, new)`
and carries out what it returns: notifications, partner events, the sign-in invitation,
cascades. Pure. Every effect has a deterministic id (key, transition, version), so a redelivered
record yields the same ids and the inbox, the e-mail and the partner delivery drop the repeat.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from typing import Any

from tremplin.models.applications import ApplicationStatus
from tremplin.models.webhooks import OutboundEvent

S = ApplicationStatus
ADMIN_INBOX = "admin"

# The activity sorts notes by these, so every note says when its change happened.
Item = dict[str, Any]


def participant_inbox(participant_id: str) -> str:
    return f"participant#{participant_id}"


def organisation_inbox(org_id: str) -> str:
    return f"org#{org_id}"


def caseworker_inbox(caseworker_id: str) -> str:
    return f"caseworker#{caseworker_id}"


def event_id(item: Item, transition: str) -> str:
    """Key + transition + version: the same change always gets the same id."""
    version = str(item.get("updated_at") or item.get("created_at") or "")
    digest = hashlib.sha256(f"{item['PK']}|{item['SK']}|{transition}|{version}".encode()).hexdigest()
    return f"evt_{digest[:32]}"


@dataclass(frozen=True)
class Note:
    """A message to one inbox; rendered in the reader's language when it is delivered."""

    recipient: str
    kind: str
    about_participant: str | None
    data: dict[str, str]


@dataclass(frozen=True)
class PartnerEvent:
    org_id: str
    type: OutboundEvent
    data: dict[str, Any]


@dataclass
class Effects:
    """Everything one change sets off; `id` and `at` are the change's."""

    id: str
    at: str
    notes: list[Note] = field(default_factory=list)
    partner_events: list[PartnerEvent] = field(default_factory=list)
    cancel_shift_applications: str | None = None  # a cancelled shift's applications
    erased: str | None = None  # an erased participant: their offers, shifts and other data go
    invite: tuple[str, str] | None = None  # (email, participant_id)
    remove_sign_in: tuple[str, str, str] | None = None  # an erased participant's (id, sub, e-mail)
    change_sign_in: tuple[str, str] | None = None  # (sub, new e-mail) of a participant's account
    outcome: tuple[Item | None, Item] | None = None  # an application's change, for late reports
    organisation_active: tuple[str, bool] | None = None  # a suspended or re-activated organisation
    calendar: Item | None = None  # calendar feed (issue 20): a once-confirmed application, as now
    calendar_job: str | None = None  # calendar feed (issue 20): a job whose title or address changed

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self) if f.name not in ("id", "at"))


def follow(old: Item | None, new: Item | None) -> Effects | None:
    """The effects of one change of one item (None: nothing follows)."""
    kind = (new or old or {}).get("type")
    if new is None or kind not in _BY_TYPE:
        return None
    effects = _BY_TYPE[kind](old, new)
    return effects if effects else None


# ---------------------------------------------------------------- applications


def _application(old: Item | None, new: Item) -> Effects:
    before, after = (old or {}).get("status"), new["status"]
    effects = Effects(id=event_id(new, f"{before}>{after}"), at=str(new.get("updated_at") or new["created_at"]))
    participant, employer = participant_inbox(new["participant_id"]), organisation_inbox(new["org_id"])
    caseworker = caseworker_inbox(new["caseworker_id"])

    def tell(recipients: tuple[str, ...], kind: str, **extra: str) -> None:
        ids = ("application_id", "shift_id", "job_id", "org_id", "participant_id")
        data = {k: str(new[k]) for k in ids if new.get(k)} | extra
        data |= {"starts_at": str(new["shift_starts_at"]), "ends_at": str(new["shift_ends_at"])}
        # A note about a participant is dropped once they are erased; the one telling an employer
        # that an erased participant's shift is free again must still arrive, and names nobody.
        about = None if new.get("cancelled_by") == "programme" else new["participant_id"]
        effects.notes.extend(Note(r, kind, about, data) for r in recipients)

    def emit(event: OutboundEvent, **extra: Any) -> None:
        data = {k: new[k] for k in ("application_id", "shift_id", "job_id", "participant_id")} | {"status": after}
        effects.partner_events.append(PartnerEvent(new["org_id"], event, data | extra))

    effects.outcome = (old, new)  # a closed month's reports are refreshed if what they count changed
    if new.get("confirmed_at"):  # calendar feed (issue 20): the participant's calendar follows it
        effects.calendar = new
    if before != after:
        _application_transition(before, after, new, tell, emit, participant, employer, caseworker)
    elif new.get("reminder_sent_at") and not (old or {}).get("reminder_sent_at"):
        effects.id = event_id(new, "reminder")
        effects.at = str(new["reminder_sent_at"])  # the sweep's write sets no updated_at
        tell((participant,), "shift_reminder")
    elif _new_reference(old, new):  # papers for the next step: the participant may include it
        written = str(new["reference"]["written_at"])
        effects.id = event_id(new, f"reference@{written}")  # a reference sets no updated_at either
        effects.at = written
        tell((participant,), "reference_written")
    return effects


def _new_reference(old: Item | None, new: Item) -> bool:
    """An employer wrote a reference, or a new text of it (the participant's choice is no news)."""
    text = (new.get("reference") or {}).get("text")
    return bool(text) and text != ((old or {}).get("reference") or {}).get("text")


def _application_transition(
    before: str | None,
    after: str,
    new: Item,
    tell: Any,
    emit: Any,
    participant: str,
    employer: str,
    caseworker: str,
) -> None:
    if before is None and after == S.APPLIED:
        tell((employer,), "application_created")
        emit(OutboundEvent.APPLICATION_CREATED)
    elif after == S.WITHDRAWN:
        tell((employer,), "application_withdrawn")
    elif after == S.OFFERED and before is None:  # favourites: an invitation, an offer from the start
        tell((participant,), "invitation_made", offer_expires_at=str(new["offer_expires_at"]))
    elif after == S.OFFERED:
        tell((participant,), "offer_made", offer_expires_at=str(new["offer_expires_at"]))
    elif after == S.REJECTED:
        tell((participant,), "application_rejected")
    elif after == S.CONFIRMED:
        tell((employer,), "offer_confirmed")
        emit(OutboundEvent.APPLICATION_CONFIRMED)
    elif after == S.DECLINED:
        tell((employer,), "offer_declined")
        emit(OutboundEvent.APPLICATION_DECLINED)
    elif after == S.EXPIRED:
        tell((participant, employer), "offer_expired")
    elif after == S.CANCELLED:
        by = str(new.get("cancelled_by", "employer"))
        if by == SHIFT_CANCELLED:  # never the free-text reason: anyone may type those words
            tell((participant,), "shift_cancelled")
        elif by == "participant":
            tell((employer,), "application_cancelled")
            if new.get("cancelled_late"):
                tell((caseworker,), "late_cancellation")
        elif by == "programme":  # the participant left the programme (erasure): only the employer is told
            tell((employer,), "application_cancelled")
        else:
            tell((participant,), "application_cancelled")
        if before in (S.APPLIED, S.OFFERED, S.CONFIRMED):  # partners know the employer cancelled the shift
            emit(OutboundEvent.APPLICATION_CANCELLED, cancelled_by="employer" if by == SHIFT_CANCELLED else by)
    elif after == S.NO_SHOW:
        tell((caseworker,), "no_show")
    elif after == S.HOURS_SUBMITTED:
        tell((participant,), "hours_submitted")
    elif after == S.HOURS_DISPUTED:
        tell((employer, ADMIN_INBOX), "hours_disputed")
    elif after == S.COMPLETED:
        tell((participant, employer), "hours_approved")
        emit(OutboundEvent.HOURS_APPROVED, pay=new.get("pay"))


SHIFT_CANCELLED = "shift"  # the `cancelled_by` of applications cancelled because their shift was


# ---------------------------------------------------------------- shifts, participants, suggestions


def _shift(old: Item | None, new: Item) -> Effects:
    effects = Effects(id=event_id(new, "cancelled"), at=str(new.get("updated_at") or new.get("created_at")))
    if new.get("status") == "cancelled" and (old or {}).get("status") != "cancelled":
        effects.cancel_shift_applications = str(new["shift_id"])
    return effects


def _participant(old: Item | None, new: Item) -> Effects:
    before, after = (old or {}).get("status"), new.get("status")
    effects = Effects(id=event_id(new, f"{before}>{after}"), at=str(new.get("updated_at") or new["created_at"]))
    participant_id = str(new["participant_id"])
    if old is None:
        data = {"participant_id": participant_id}
        effects.notes.append(Note(participant_inbox(participant_id), "enrolled", participant_id, data))
        if new.get("email"):
            effects.invite = (str(new["email"]), participant_id)
    elif before == "invited" and after == "active":
        data = {"participant_id": participant_id}
        note = Note(caseworker_inbox(new["caseworker_id"]), "consent_given", participant_id, data)
        effects.notes.append(note)
    elif after == "erased" and (before != "erased" or new.get("erasures") != old.get("erasures")):
        # Erased, or erased again (logic.participants.erase): what follows runs (again).
        effects.erased = participant_id
        if old.get("identity_sub") or old.get("email"):
            effects.remove_sign_in = (participant_id, str(old.get("identity_sub") or ""), str(old.get("email") or ""))
    moved_address = old is not None and new.get("email") and new.get("email") != old.get("email")
    if moved_address and after != "erased" and new.get("identity_sub"):
        effects.change_sign_in = (str(new["identity_sub"]), str(new["email"]))
    return effects


def _suggestion(old: Item | None, new: Item) -> Effects:
    effects = Effects(id=event_id(new, "suggested"), at=str(new["created_at"]))
    if old is None:
        participant_id = str(new["participant_id"])
        data = {"job_id": str(new["job_id"]), "participant_id": participant_id}
        effects.notes.append(Note(participant_inbox(participant_id), "job_suggested", participant_id, data))
    return effects


def _organisation(old: Item | None, new: Item) -> Effects:
    before, after = (old or {}).get("status"), new.get("status")
    effects = Effects(id=event_id(new, f"{before}>{after}"), at=str(new.get("updated_at") or new.get("created_at")))
    if old is not None and before != after:
        effects.organisation_active = (str(new["org_id"]), after == "active")
    return effects


def _payslip(old: Item | None, new: Item) -> Effects:
    """A new payslip tells its participant (payslips never change after)."""
    effects = Effects(id=event_id(new, "issued"), at=str(new["issued_at"]))
    if old is None:
        participant_id = str(new["participant_id"])
        data = {"participant_id": participant_id, "payslip_id": str(new["payslip_id"])}
        effects.notes.append(Note(participant_inbox(participant_id), "payslip_issued", participant_id, data))
    return effects


# ---------------------------------------------------------------- offers of regular employment

# Who is told of each status an offer of regular employment reaches, and by which kind of note.
REGULAR_OFFER_NOTES = {
    "open": (("participant", "caseworker"), "regular_offer_made"),
    "accepted": (("employer", "caseworker"), "regular_offer_accepted"),
    "declined": (("employer", "caseworker"), "regular_offer_declined"),
    "withdrawn": (("participant",), "regular_offer_withdrawn"),
}


def _regular_offer(old: Item | None, new: Item) -> Effects:
    before, after = (old or {}).get("status"), str(new["status"])
    effects = Effects(id=event_id(new, f"{before}>{after}"), at=str(new.get("updated_at") or new["created_at"]))
    if before == after or after not in REGULAR_OFFER_NOTES:
        return effects
    participant_id = str(new["participant_id"])
    inboxes = {
        "participant": participant_inbox(participant_id),
        "employer": organisation_inbox(str(new["org_id"])),
        "caseworker": caseworker_inbox(str(new.get("caseworker_id") or "")),
    }
    readers, kind = REGULAR_OFFER_NOTES[after]
    data = {k: str(new[k]) for k in ("offer_id", "org_id", "participant_id", "position_title", "start_date")}
    effects.notes.extend(Note(inboxes[r], kind, participant_id, data) for r in readers)
    return effects


def _job(old: Item | None, new: Item) -> Effects:
    """Calendar feed (issue 20): an edited title or address reaches the confirmed shifts' events."""
    effects = Effects(id=event_id(new, "edited"), at=str(new.get("updated_at") or new.get("created_at")))
    if old is not None and any(old.get(k) != new.get(k) for k in ("title", "location")):
        effects.calendar_job = str(new["job_id"])
    return effects


_BY_TYPE = {
    "job": _job,  # calendar feed (issue 20)
    "regular_offer": _regular_offer,
    "payslip": _payslip,
    "organisation": _organisation,
    "application": _application,
    "shift": _shift,
    "participant": _participant,
    "suggestion": _suggestion,
}
