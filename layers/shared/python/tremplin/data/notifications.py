"""Notifications: the queue they travel through and the inboxes they land in.

INBOX#<recipient> / NOTE#<at>#<id>   one notification; GSI3: ABOUT#<participant> / <at>#<id>
                                      when it concerns a participant and went to someone else
                                      (their activity timeline; their own inbox is read directly)
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Key

from tremplin.data.dynamo import aws_client, put_new, strip_keys, table, translated_errors
from tremplin.data.pagination import query_all, query_page
from tremplin.settings import get_settings

if TYPE_CHECKING:
    from mypy_boto3_sesv2.client import SESV2Client
    from mypy_boto3_sqs.client import SQSClient


def _sqs() -> SQSClient:
    return aws_client("sqs")  # type: ignore[no-any-return]


def _ses() -> SESV2Client:
    return aws_client("sesv2")  # type: ignore[no-any-return]


def enqueue(messages: list[dict[str, Any]]) -> None:
    """Queues notifications for delivery (batches of 10, SQS's limit)."""
    url = get_settings().notifications_queue_url
    for start in range(0, len(messages), 10):
        batch = messages[start : start + 10]
        entries = [{"Id": str(i), "MessageBody": json.dumps(m)} for i, m in enumerate(batch)]
        answer = _sqs().send_message_batch(QueueUrl=url, Entries=entries)  # type: ignore[arg-type]
        if answer.get("Failed"):
            raise RuntimeError(f"{len(answer['Failed'])} notifications could not be queued")


def deliver(note: dict[str, Any]) -> bool:
    """Puts a notification in its inbox; False if it was already there (a redelivery)."""
    item = {
        "PK": f"INBOX#{note['recipient']}",
        "SK": f"NOTE#{note['created_at']}#{note['notification_id']}",
        "type": "notification",
        **{k: v for k, v in note.items() if v is not None},
    }
    # A note in the participant's own inbox is found there (activity reads that inbox and the
    # index): indexing it too cost a write per note and listed it twice.
    about = note.get("about_participant")
    if about and note["recipient"] != f"participant#{about}":
        item["GSI3PK"] = f"ABOUT#{note['about_participant']}"
        item["GSI3SK"] = f"{note['created_at']}#{note['notification_id']}"
    return put_new(item)


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
        Key("PK").eq(f"INBOX#{recipient}"), scope=f"inbox:{recipient}", limit=limit, cursor=cursor, forward=False
    )
    return [strip_keys(i) for i in items], nxt


def inbox_items(recipient: str) -> list[dict[str, Any]]:
    """Every notification in one inbox, as stored (exports and erasure)."""
    return query_all(Key("PK").eq(f"INBOX#{recipient}"))


def about(participant_id: str, limit: int) -> list[dict[str, Any]]:
    """The newest notifications concerning a participant, in anyone's inbox."""
    items, _ = query_page(
        Key("GSI3PK").eq(f"ABOUT#{participant_id}"),
        index="GSI3",
        scope="about",
        limit=limit,
        cursor=None,
        forward=False,
    )
    return [strip_keys(i) for i in items]


def about_items(participant_id: str) -> list[dict[str, Any]]:
    return query_all(Key("GSI3PK").eq(f"ABOUT#{participant_id}"), index="GSI3")


def delete(items: list[dict[str, Any]]) -> None:
    with translated_errors(), table().batch_writer() as batch:
        for item in items:
            batch.delete_item(Key={"PK": item["PK"], "SK": item["SK"]})
