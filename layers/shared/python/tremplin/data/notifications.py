"""Notifications: the queue they travel through, the e-mails they send and the inboxes they
land in (INBOX#<recipient>, keyed as in keys.py). A note about a participant that went to
someone else is also on their activity timeline (ABOUT#<participant>); their own inbox is read
directly.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Key

from tremplin.data import keys
from tremplin.data.dynamo import (
    TransactionRefused,
    aws_client,
    batch_get,
    batch_write,
    put_new,
    strip_keys,
    transact,
    translated_errors,
    update_request,
)
from tremplin.data.keys import GSI3
from tremplin.data.pagination import query_all, query_page
from tremplin.events import participant_inbox
from tremplin.settings import get_settings

if TYPE_CHECKING:
    from mypy_boto3_sesv2.client import SESV2Client


def _ses() -> SESV2Client:
    return aws_client("sesv2")  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Context:
    """What a note's text names: the job, its organisation, the participant it is about."""

    job: dict[str, Any] | None
    organisation: dict[str, Any] | None
    participant: dict[str, Any] | None


def context(job_id: str | None, org_id: str | None, participant_id: str | None) -> Context:
    """The job and the organisation read eventually consistent (a title or name a second old
    is fine, at half the read units: issue 18's cost per filled slot), the profile consistent
    (the caseworker a note goes to, the participant's address and consent)."""
    shared = [k for k in (keys.job(job_id) if job_id else None, keys.org(org_id) if org_id else None) if k]
    found = iter(batch_get(shared, consistent=False)) if shared else iter(())
    job, organisation = (next(found) if job_id else None), (next(found) if org_id else None)
    [participant] = batch_get([keys.profile(participant_id)]) if participant_id else [None]
    return Context(job=job, organisation=organisation, participant=participant)


def note_key(note: dict[str, Any]) -> dict[str, str]:
    """The inbox key of a note as queued (or as read back by _as_read)."""
    return keys.note(note["recipient"], note["created_at"], note.get("order"), note["notification_id"])


# What a note's keys already say (its inbox in PK; its time, place in the stream and id in SK)
# or what only its delivery needs (the change's id, whom it is about: GSI3 when in someone
# else's inbox) is not repeated in the item: a note within 1 KB costs one write unit, not two
# (issue 18). _as_read() gives them back.
_NOT_STORED = frozenset({"recipient", "created_at", "order", "notification_id", "event_id", "about_participant"})
# The shift's times are in the message, in the reader's zone; `data` keeps the ids.
_RENDERED_ONLY = frozenset({"starts_at", "ends_at"})


def _as_read(item: dict[str, Any]) -> dict[str, Any]:
    """A stored note with what its keys hold, as the queued note had it."""
    recipient = str(item["PK"]).removeprefix(keys.inbox(""))
    created_at, *order, notification_id = str(item["SK"]).removeprefix(keys.NOTE).split("#")
    derived = {"recipient": recipient, "created_at": created_at, "notification_id": notification_id}
    return derived | ({"order": order[0]} if order else {}) | item


def put(note: dict[str, Any], guard_participant: str | None) -> dict[str, Any] | None:
    """Puts a note in its inbox, unless it is there already (a redelivery: the stored one's
    marks, e.g. emailed_at, are returned with it) or the participant it concerns was erased
    meanwhile (None).

    The erasure guard reads the profile after the write instead of checking it in a transaction:
    a ConditionCheck beside the Put made every note a two-item transaction (6 - 8 write units
    instead of 2; issue 18's cost per filled slot). An erasure sets the status before it deletes
    the notes it finds, so a note written before that read saw "erased" is found and deleted by
    the erasure, and one that sees "erased" here deletes itself: nothing of the person stays."""
    stored = {k: v for k, v in note.items() if v is not None and k not in _NOT_STORED}
    stored["data"] = {k: v for k, v in (note.get("data") or {}).items() if k not in _RENDERED_ONLY}
    item = {**note_key(note), "type": "notification", **stored}
    # A note in the participant's own inbox is found there (activity reads that inbox and the
    # index): indexing it too cost a write per note and listed it twice.
    about = note.get("about_participant")
    if about and note["recipient"] != participant_inbox(about):
        item |= keys.about_index(about, note["created_at"], note.get("order"), note["notification_id"])
    if not put_new(item):
        [found] = batch_get([note_key(note)])
        item = found or item
    if guard_participant:
        [profile] = batch_get([keys.profile(guard_participant)])
        if (profile or {}).get("status") in (None, "erased"):
            batch_write(deletes=[note_key(note)])
            return None
    return item | note


def mark_emailed(note: dict[str, Any]) -> None:
    """Once the e-mail went out; a redelivery then sends none."""
    write = update_request(note_key(note), set_={"emailed_at": note["created_at"]}, condition="attribute_exists(PK)")
    with suppress(TransactionRefused):  # erased meanwhile: nothing left to mark
        transact([write])


def send_email(to: str, subject: str, text: str) -> None:
    with translated_errors():
        _ses().send_email(
            FromEmailAddress=get_settings().email_sender,
            Destination={"ToAddresses": [to]},
            Content={"Simple": {"Subject": {"Data": subject}, "Body": {"Text": {"Data": text}}}},
        )


def inbox_page(recipient: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """Newest first."""
    items, nxt = query_page(
        Key("PK").eq(keys.inbox(recipient)), scope=f"inbox:{recipient}", limit=limit, cursor=cursor, forward=False
    )
    return [strip_keys(_as_read(i)) for i in items], nxt


def inbox_items(recipient: str) -> list[dict[str, Any]]:
    """Every notification in one inbox, as stored (exports and erasure)."""
    return query_all(Key("PK").eq(keys.inbox(recipient)))


def about(participant_id: str, limit: int) -> list[dict[str, Any]]:
    """The newest notifications concerning a participant, in anyone's inbox."""
    items, _ = query_page(
        Key(GSI3.pk).eq(keys.about(participant_id)),
        index=GSI3.name,
        scope="about",
        limit=limit,
        cursor=None,
        forward=False,
    )
    return [strip_keys(_as_read(i)) for i in items]


def about_items(participant_id: str) -> list[dict[str, Any]]:
    return query_all(Key(GSI3.pk).eq(keys.about(participant_id)), index=GSI3.name)


def delete(items: list[dict[str, Any]]) -> None:
    """Deletes notifications as stored (inbox_items, about_items)."""
    batch_write(deletes=items)
