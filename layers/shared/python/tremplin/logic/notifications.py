"""The one way every capability tells someone something: queued through SQS, put in the
recipient's in-app inbox by the notifier, e-mailed in AWS when an address is known.

Messages name ids and times, never a person: an inbox must not leak who a participant is,
and erasing a participant must not have to rewrite other people's inboxes.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger

from tremplin import clock
from tremplin.data import notifications as store
from tremplin.data import participants as participant_store
from tremplin.identity import Caller, Role
from tremplin.ids import new_id
from tremplin.models import Page
from tremplin.models.participants import Notification
from tremplin.settings import get_settings

logger = Logger(child=True)

ADMIN_INBOX = "admin"

MESSAGES: dict[str, str] = {
    "enrolled": "You have been enrolled in Tremplin. Please read and accept the consent to start applying.",
    "consent_given": "Participant {participant_id} gave consent and can now apply for jobs.",
    "job_suggested": "Your caseworker suggests a job for you: {job_id}.",
    "application_created": "A new application arrived for shift {shift_id}.",
    "application_withdrawn": "An application for shift {shift_id} was withdrawn.",
    "offer_made": "You have an offer for shift {shift_id}. Please confirm before {offer_expires_at}.",
    "application_rejected": "Your application for shift {shift_id} was not successful this time.",
    "offer_confirmed": "The offer for shift {shift_id} was confirmed.",
    "offer_declined": "The offer for shift {shift_id} was declined.",
    "offer_expired": "The offer for shift {shift_id} expired without an answer.",
    "application_cancelled": "The application for shift {shift_id} was cancelled.",
    "shift_cancelled": "Shift {shift_id} was cancelled.",
    "shift_reminder": "Reminder: your shift {shift_id} starts at {starts_at}.",
    "hours_submitted": "Hours for shift {shift_id} were submitted. Please approve or dispute them.",
    "hours_approved": "Hours for shift {shift_id} were approved.",
    "hours_disputed": "Hours for shift {shift_id} were disputed.",
    "no_show": "Participant {participant_id} did not come to shift {shift_id}.",
    "late_cancellation": "Shift {shift_id} of participant {participant_id} was cancelled less than 24 h ahead.",
}


def participant_inbox(participant_id: str) -> str:
    return f"participant#{participant_id}"


def organisation_inbox(org_id: str) -> str:
    return f"org#{org_id}"


def caseworker_inbox(caseworker_id: str) -> str:
    return f"caseworker#{caseworker_id}"


def inbox_of(caller: Caller) -> str:
    if caller.role is Role.PARTICIPANT:
        return participant_inbox(caller.participant_id or "")
    if caller.role is Role.EMPLOYER:
        return organisation_inbox(caller.org_id or "")  # staff of one organisation share its inbox
    if caller.role is Role.CASEWORKER:
        return caseworker_inbox(caller.sub)
    return ADMIN_INBOX


def message(recipient: str, kind: str, about_participant: str | None = None, **data: str) -> dict[str, Any]:
    return {
        "notification_id": new_id("ntf"),
        "recipient": recipient,
        "kind": kind,
        "message": MESSAGES[kind].format(**data),
        "data": data,
        "about_participant": about_participant,
        "created_at": clock.iso(clock.now()),
    }


def send(*messages: dict[str, Any]) -> None:
    store.enqueue(list(messages))


def deliver(note: dict[str, Any]) -> None:
    """The notifier's work for one queued message; a redelivery changes nothing."""
    if not store.deliver(note):
        return
    settings = get_settings()
    recipient = str(note["recipient"])
    if settings.email_sender and recipient.startswith("participant#"):
        profile = participant_store.get(recipient.split("#", 1)[1])
        if profile and profile.get("email"):
            store.send_email(profile["email"], "Tremplin", str(note["message"]))


def inbox(caller: Caller, limit: int, cursor: str | None) -> Page[Notification]:
    items, nxt = store.inbox_page(inbox_of(caller), limit, cursor)
    return Page(items=[Notification.model_validate(i) for i in items], next_cursor=nxt)
