"""Delivers what a change told someone: into the recipient's in-app inbox, and by e-mail in AWS
when the recipient is a participant with an address; the notes that cannot wait go by SMS instead
of e-mail to a participant who consented to SMS (tremplin.logic.sms).

A note arrives from the changes consumer with its deterministic id, its kind and the ids it
concerns; it is rendered here, when it is sent, in the reader's language (tremplin.messages),
naming the job, the organisation and the local time, never an internal id or a UTC time.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger

from tremplin import messages
from tremplin.data import notifications as store
from tremplin.events import ADMIN_INBOX, caseworker_inbox, organisation_inbox, participant_inbox
from tremplin.identity import Caller, Role
from tremplin.logic import sms
from tremplin.models import Page
from tremplin.models.participants import Notification
from tremplin.settings import get_settings

logger = Logger(child=True)

STAFF_LANGUAGE = "de"  # organisations and staff have no language of their own yet


def inbox_of(caller: Caller) -> str:
    if caller.role is Role.PARTICIPANT:
        return participant_inbox(caller.participant_id or "")
    if caller.role is Role.EMPLOYER:
        return organisation_inbox(caller.org_id or "")  # staff of one organisation share its inbox
    if caller.role is Role.CASEWORKER:
        return caseworker_inbox(caller.sub)
    return ADMIN_INBOX


def _role_of(recipient: str) -> str:
    return {"participant": "participant", "org": "employer", "caseworker": "caseworker"}.get(
        recipient.split("#", 1)[0], "admin"
    )


def render(note: dict[str, Any], context: store.Context) -> messages.Rendered:
    """The note as its reader reads it."""
    role = _role_of(str(note["recipient"]))
    data = dict(note.get("data") or {})
    profile = context.participant or {}
    facts: dict[str, Any] = data | {"recipient_role": role}
    if context.job:
        facts["job_title"] = context.job.get("title")
    if context.organisation:
        facts["org_name"] = context.organisation.get("name")
    if note.get("about_participant"):
        facts["participant_id"] = note["about_participant"]
    if role in ("caseworker", "admin") and profile.get("status") != "erased":
        facts["participant_name"] = f"{profile.get('first_name', '')} {profile.get('last_name', '')}".strip()
    language = profile.get("preferred_language") if role == "participant" else STAFF_LANGUAGE
    return messages.render(str(note["kind"]), language, facts, get_settings().web_url)


def deliver(note: dict[str, Any]) -> str:
    """The notifier's work for one queued note. A redelivery stores nothing twice and sends the
    e-mail only if no earlier try did; a note about an erased participant is dropped."""
    context = store.context(
        job_id=(note.get("data") or {}).get("job_id"),
        org_id=(note.get("data") or {}).get("org_id"),
        participant_id=note.get("about_participant"),
    )
    if note.get("about_participant") and (context.participant or {}).get("status") in (None, "erased"):
        return "dropped: the participant was erased"
    note = _to_current_caseworker(note, context)
    rendered = render(note, context)
    item = {
        k: v
        for k, v in note.items()
        if k in {"notification_id", "event_id", "order", "recipient", "kind", "data", "about_participant", "created_at"}
    }
    item |= {"message": rendered.text, "subject": rendered.subject, "link": rendered.link}
    stored = store.put(item, guard_participant=note.get("about_participant"))
    if stored is None:
        return "dropped: the participant was erased"
    if sms.send(stored, context):  # SMS (issue 20): e-mail stays for the others
        return "stored and sent by SMS"
    email = _email_of(note, context)
    if email and not stored.get("emailed_at"):
        store.send_email(email, rendered.subject, f"{rendered.text}\n\n{rendered.link}")
        store.mark_emailed(stored)  # a retry after a failure before this line sends it again
        return "stored and e-mailed"
    return "stored"


def _to_current_caseworker(note: dict[str, Any], context: store.Context) -> dict[str, Any]:
    """A note for "the participant's caseworker" goes to whoever that is now: a participant
    moved to another caseload since the change is no concern of their former caseworker's."""
    current = (context.participant or {}).get("caseworker_id")
    if str(note["recipient"]).startswith("caseworker#") and current:
        return note | {"recipient": caseworker_inbox(str(current))}
    return note


def _email_of(note: dict[str, Any], context: store.Context) -> str | None:
    if not get_settings().email_sender or not str(note["recipient"]).startswith("participant#"):
        return None
    address = (context.participant or {}).get("email")
    return str(address) if address else None


def inbox(caller: Caller, limit: int, cursor: str | None) -> Page[Notification]:
    items, nxt = store.inbox_page(inbox_of(caller), limit, cursor)
    return Page(items=[Notification.model_validate(i) for i in items], next_cursor=nxt)
