"""Participants, their caseworkers and the walls around their data.

Welfare data is seen only by the participant, their own caseworker and admins; anything
else answers 404. Every read of it by a caseworker or an admin, and every change, goes
to the audit trail (field names, never values).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tremplin import access, clock, events
from tremplin.access import Slice
from tremplin.data import applications as app_store
from tremplin.data import calendar as calendar_store
from tremplin.data import dynamo, identity_provider, parallel
from tremplin.data import favourites as favourite_store
from tremplin.data import notifications as notification_store
from tremplin.data import papers as paper_store
from tremplin.data import participants as store
from tremplin.data import regular_offers as offer_store
from tremplin.errors import Conflict, NotFound, field_error
from tremplin.identity import Caller, Role
from tremplin.ids import new_id
from tremplin.logic import calendar, jobs
from tremplin.models import Page
from tremplin.models.applications import Application
from tremplin.models.participants import (
    Activity,
    AuditEntry,
    ConsentRequest,
    ExitRequest,
    Export,
    Notification,
    Participant,
    ParticipantCreate,
    ParticipantStatus,
    ParticipantUpdate,
    ProfileUpdate,
    Suggestion,
    SuggestionRequest,
)
from tremplin.patching import changes_of

EDITABLE = (ParticipantStatus.INVITED, ParticipantStatus.ACTIVE)
REQUIRED_FIELDS = {
    "first_name",
    "last_name",
    "preferred_language",
    "postcode",
    "case_reference",
    "caseworker_id",
    "withholding_tax",
}
# What erasure overwrites (kept fields: ids, status, caseworker, consent version, exit outcome, counters).
ERASED_VALUES = {"first_name": "Erased", "last_name": "Participant", "case_reference": "erased"}
ERASED_FIELDS = (
    "email",
    "identity_sub",
    "phone",
    "postcode",
    "languages",
    "skills",
    "availability",
    "date_of_birth",
    "withholding_tax",
    "sms_consent",
    "sms_consent_given_at",
)


def _now() -> str:
    return clock.iso(clock.now())


def _not_found(participant_id: str) -> NotFound:
    return NotFound(f"Participant {participant_id} was not found.")


def _audit_entries(
    caller: Caller, participant_ids: Iterable[str], action: str, fields: Iterable[str] = ()
) -> list[dict[str, Any]]:
    at = _now()
    return [
        AuditEntry(
            participant_id=pid,
            at=at,
            actor_sub=caller.sub,
            actor_role=caller.role,
            action=action,
            fields=sorted(fields),
        ).model_dump()
        for pid in participant_ids
    ]


def _audit(caller: Caller, participant_ids: Iterable[str], action: str, fields: Iterable[str] = ()) -> None:
    entries = _audit_entries(caller, participant_ids, action, fields)
    if entries:
        store.add_audit(entries)


def audit_staff_read(caller: Caller, participant_id: str, action: str, fields: Iterable[str]) -> None:
    """Notes a caseworker's or an admin's read of a participant's data (other modules' reads:
    payslips); the participant's own reads are not noted."""
    if caller.role in (Role.CASEWORKER, Role.ADMIN):
        _audit(caller, [participant_id], action, fields)


def audit_write(caller: Caller, participant_id: str, action: str, fields: Iterable[str]) -> dict[str, Any]:
    """The audit entry of a change to a participant's data (theirs or staff's, or a staff read
    that writes a paper), as a write for the change's own transaction: recorded exactly when
    the change is."""
    return store.audit_put(_audit_entries(caller, [participant_id], action, fields)[0])


def _visible(caller: Caller, participant_id: str) -> dict[str, Any]:
    """A participant in the caller's reach: a caseworker's own caseload, anyone for admins."""
    item = store.get(participant_id)
    if item is None or not access.may_see_participant(caller, item):
        raise _not_found(participant_id)
    return item


def _own(caller: Caller) -> dict[str, Any]:
    participant_id = caller.participant_id or ""
    item = store.get(participant_id)
    if not access.acts_as_participant(item, caller):
        raise _not_found(participant_id)
    return item


def _require_editable(item: dict[str, Any]) -> None:
    if item["status"] not in EDITABLE:
        raise Conflict(f"A participant who is {item['status']} cannot be changed.", code="invalid_transition")


def _apply(current: dict[str, Any], changes: dict[str, Any], also: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
    _require_editable(current)
    updated = store.update(current, changes, allowed_statuses=EDITABLE, at=_now(), also=also)
    if updated is None:  # its status, caseworker or e-mail address changed meanwhile
        fresh = store.get(current["participant_id"]) or current
        _require_editable(fresh)
        raise Conflict("The participant was changed at the same time; please reload.", code="concurrent_update")
    return updated


def _apply_audited(
    caller: Caller,
    current: dict[str, Any],
    changes: dict[str, Any],
    action: str,
    fields: Iterable[str],
    also: Iterable[dict[str, Any]] = (),
) -> dict[str, Any]:
    """_apply with the change's audit entry in its transaction: no change without its entry, nor
    an entry without its change. Nothing to change: the entry alone (the caller saw the profile)."""
    if not changes:
        _audit(caller, [current["participant_id"]], action)
        return current
    return _apply(current, changes, [*also, audit_write(caller, current["participant_id"], action, fields)])


# ---------------------------------------------------------------- caseworkers and admins


def enrol(caller: Caller, body: ParticipantCreate) -> Participant:
    caseworker_id = body.caseworker_id
    if access.participants_slice(caller) is Slice.CASELOAD:
        caseworker_id = caseworker_id or caller.sub
        if not access.may_assign_caseworker(caller, caseworker_id):
            raise field_error("caseworker_id", "caseworkers enrol participants into their own caseload")
    if not caseworker_id:
        raise field_error("caseworker_id", "an admin names the participant's caseworker")
    _refuse_taken_sign_in(body.email, None)
    at = _now()
    participant = Participant(
        **body.model_dump(exclude={"caseworker_id"}),
        participant_id=new_id("par"),
        caseworker_id=caseworker_id,
        status=ParticipantStatus.INVITED,
        created_at=at,
        updated_at=at,
    )
    # The profile, the e-mail claim, the month's count and the audit entry, in one transaction:
    # once it committed, nothing else can fail the request with the participant half enrolled.
    [audit] = _audit_entries(caller, [participant.participant_id], "enrol", ParticipantCreate.model_fields)
    store.insert(participant.model_dump(mode="json"), audit=audit)  # the invitation follows from it
    return participant


def _refuse_taken_sign_in(email: str | None, participant_id: str | None) -> None:
    """An address that already signs in someone else (a member of staff, another participant)
    is refused (409 email_in_use): it must never lend that account the participant's rights, nor
    be deleted with them at erasure."""
    if not email or not identity_provider.enabled():
        return
    existing = identity_provider.account(str(email))
    if existing is not None and (participant_id is None or existing["participant_id"] != participant_id):
        raise Conflict("This e-mail address already signs in to another account.", code="email_in_use")


def list_visible(caller: Caller, status: ParticipantStatus | None, limit: int, cursor: str | None) -> Page[Participant]:
    status_value = status.value if status else None
    if access.participants_slice(caller) is Slice.CASELOAD:
        items, nxt = store.list_caseload(caller.sub, status_value, limit, cursor)
    else:
        items, nxt = store.list_all(status_value, limit, cursor)
    _audit(caller, [i["participant_id"] for i in items], "list")
    return Page(items=[Participant.model_validate(i) for i in items], next_cursor=nxt)


def get(caller: Caller, participant_id: str) -> Participant:
    item = _visible(caller, participant_id)
    _audit(caller, [participant_id], "read")
    return Participant.model_validate(item)


def update(caller: Caller, participant_id: str, body: ParticipantUpdate) -> Participant:
    current = _visible(caller, participant_id)
    changes = changes_of(body, REQUIRED_FIELDS)
    if "caseworker_id" in changes and not access.may_assign_caseworker(caller, changes["caseworker_id"]):
        raise field_error("caseworker_id", "only admins move a participant to another caseworker")
    if changes.get("email") and changes["email"] != current.get("email"):
        _refuse_taken_sign_in(changes["email"], participant_id)
    return Participant.model_validate(_apply_audited(caller, current, changes, "update", changes))


def record_exit(caller: Caller, participant_id: str, body: ExitRequest) -> Participant:
    current = _visible(caller, participant_id)
    if body.date > clock.now().astimezone(clock.ZURICH).date():
        raise field_error("date", "an exit is recorded once it has happened, not ahead")
    changes, also = exit_change(participant_id, body.outcome.value, body.date.isoformat())
    return Participant.model_validate(_apply_audited(caller, current, changes, "exit", ["status", "exit"], also))


def exit_change(participant_id: str, outcome: str, day: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """What an exit writes: the profile's changes, and the exit's own item (indexed by its month)
    for the same transaction. Recorded here and by an accepted offer of regular employment."""
    exit_record = {"outcome": outcome, "date": day, "recorded_at": _now()}
    return {"status": ParticipantStatus.EXITED.value, "exit": exit_record}, [
        store.exit_record(participant_id, outcome, day)
    ]


def audit_staff_reads(caller: Caller, participant_ids: Iterable[str], action: str, fields: Iterable[str]) -> None:
    """As audit_staff_read, for the participants of a listing (one write for the page)."""
    if caller.role in (Role.CASEWORKER, Role.ADMIN):
        _audit(caller, sorted(set(participant_ids)), action, fields)


def erase(caller: Caller, participant_id: str) -> Participant:
    """Anonymises the participant's profile, releases their e-mail address, stops their calendar
    feed's URL and notes it in the audit trail, in one transaction; the rest of their data
    follows from that change (finish_erasure, from the table's stream). The figures reports need
    are kept. Erasing again runs what follows once more: it finishes what an interrupted run may
    have left."""
    current = store.get(participant_id)
    if current is None:
        raise _not_found(participant_id)
    audit = audit_write(caller, participant_id, "erase", [*ERASED_VALUES, *ERASED_FIELDS])
    also = [audit, calendar_store.feed_delete(participant_id)]  # a calendar app's URL stops at once
    return Participant.model_validate(store.erase(current, ERASED_VALUES, ERASED_FIELDS, _now(), also))


def finish_erasure(participant_id: str) -> None:
    """What follows an erasure (tremplin.changes): every other item that holds the participant's
    personal data is scrubbed or deleted. Safe to repeat."""
    # Read at once: the profile says erased, so nothing new about them arrives meanwhile.
    with parallel.reads() as reads:
        suggestions = reads.start(store.suggestions, participant_id)  # a caseworker's note may describe them
        applications = reads.start(app_store.all_for_participant, participant_id)
        papers = reads.start(paper_store.issued_to, participant_id)
        offers = reads.start(offer_store.all_for_participant, participant_id)  # offers of regular employment
        # Their inbox, and notes about them in caseworkers' inboxes (which name them). A note still
        # on its way is refused by the inbox once the profile says erased (tremplin.data.notifications).
        inbox = reads.start(notification_store.inbox_items, events.participant_inbox(participant_id))
        about = reads.start(notification_store.about_items, participant_id)
        store.delete_items(suggestions.result())
        for app in applications.result():
            app_store.scrub_free_text(app)
        # Papers issued to them stay verifiable ("valid, issued on"), no longer tied to them.
        for paper in papers.result():
            paper_store.forget_holder(participant_id, paper["code"])
        for offer in offers.result():
            offer_store.scrub_message(offer)
        notification_store.delete(inbox.result())
        notification_store.delete(about.result())
    calendar.forget(participant_id)  # calendar feed (issue 20): its kept shifts (the feed went with the erasure)


def suggest_job(caller: Caller, participant_id: str, body: SuggestionRequest) -> Suggestion:
    with parallel.reads() as reads:
        job = reads.start(jobs.check_visible, caller, body.job_id)  # as a caseworker sees it: published, ...
        participant = _visible(caller, participant_id)  # meanwhile
        if participant["status"] != ParticipantStatus.ACTIVE:
            raise Conflict("Jobs are suggested to active participants (consent given).", code="participant_not_active")
        try:
            job.result()
        except NotFound:
            raise field_error("job_id", "no published job with this id") from None
    suggestion = Suggestion(
        suggestion_id=new_id("sug"),
        participant_id=participant_id,
        job_id=body.job_id,
        note=body.note or None,
        suggested_by=caller.sub,
        created_at=_now(),
    )
    store.add_suggestion(suggestion.model_dump(), [audit_write(caller, participant_id, "suggest_job", ["suggestions"])])
    return suggestion


def audit_trail(participant_id: str, limit: int, cursor: str | None) -> Page[AuditEntry]:
    if store.get(participant_id) is None:
        raise _not_found(participant_id)
    items, nxt = store.list_audit(participant_id, limit, cursor)
    return Page(items=[AuditEntry.model_validate(i) for i in items], next_cursor=nxt)


def activity(caller: Caller, participant_id: str) -> Activity:
    with parallel.reads() as reads:
        sent_to = reads.start(notification_store.inbox_page, events.participant_inbox(participant_id), 50, None)
        about = reads.start(notification_store.about, participant_id, 50)
        applications = reads.start(app_store.list_for_participant, participant_id, 50, None)
        # Meanwhile: nothing of those reads is answered unless the caller may see the participant
        # and their read is in the audit trail.
        _visible(caller, participant_id)
        _audit(caller, [participant_id], "read_activity")
        notes, apps = sent_to.result()[0] + about.result(), applications.result()[0]
    merged = sorted(notes, key=lambda n: (n["created_at"], n.get("order", ""), n["notification_id"]), reverse=True)
    return Activity(
        participant_id=participant_id,
        applications=[Application.model_validate(a) for a in apps],
        notifications=[Notification.model_validate(n) for n in merged],
    )


# ---------------------------------------------------------------- participants themselves


def me(caller: Caller) -> Participant:
    return Participant.model_validate(_own(caller))


def update_me(caller: Caller, body: ProfileUpdate) -> Participant:
    current = _own(caller)
    changes = _sms_consent(current, changes_of(body, REQUIRED_FIELDS))
    return Participant.model_validate(_apply_audited(caller, current, changes, "update", changes))


def _sms_consent(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """SMS (issue 20): consent is recorded with the time it was first given; saying yes again keeps
    that time, no (or null) withdraws it."""
    if "sms_consent" not in changes:
        return changes
    given = changes.pop("sms_consent")
    if given and not current.get("sms_consent"):
        return changes | {"sms_consent": True, "sms_consent_given_at": _now()}
    if not given and current.get("sms_consent"):
        return changes | {"sms_consent": None, "sms_consent_given_at": None}  # None removes the field
    return changes


def give_consent(caller: Caller, body: ConsentRequest, accepted_versions: frozenset[str]) -> Participant:
    if body.version not in accepted_versions:
        known = ", ".join(sorted(accepted_versions))
        raise field_error("version", f"unknown consent version; the current one is {known}")
    current = _own(caller)
    consent = {"version": body.version, "given_at": _now()}
    changes = {"status": ParticipantStatus.ACTIVE.value, "consent": consent}
    # Their caseworker is told as what follows from the change (tremplin.events).
    return Participant.model_validate(_apply_audited(caller, current, changes, "consent", ["status", "consent"]))


def export(caller: Caller) -> Export:
    """Every item stored about the caller, as stored."""
    participant_id = caller.participant_id or ""
    # The reads that need only the participant's id, at once with the profile's; then those that
    # need their answers. Nothing of them is answered unless the profile says it is the caller's.
    with parallel.reads() as reads:
        under = reads.start(store.items_under, participant_id)
        inbox = reads.start(notification_store.inbox_items, events.participant_inbox(participant_id))
        about = reads.start(notification_store.about_items, participant_id)
        applications = reads.start(app_store.all_for_participant, participant_id)
        offers = reads.start(offer_store.all_for_participant, participant_id)  # offers of regular employment
        current = _own(caller)
        items = [*under.result(), *inbox.result(), *about.result(), *applications.result(), *offers.result()]
    # What those name (papers' records, "worked with", hires) and the e-mail claim: one BatchGetItem.
    worked_for = [a["org_id"] for a in applications.result() if a.get("status") == "completed"]
    named = [
        *paper_store.record_keys([i for i in under.result() if i.get("type") == "paper"]),
        *favourite_store.relation_keys(participant_id, worked_for),
        *offer_store.hire_keys(offers.result()),
        *([store.email_claim_key(current["email"])] if current.get("email") else []),
    ]
    items += [found for found in dynamo.batch_get(named) if found] if named else []
    unique = {(i["PK"], i["SK"]): i for i in items}
    return Export(participant_id=participant_id, exported_at=_now(), items=list(unique.values()))
