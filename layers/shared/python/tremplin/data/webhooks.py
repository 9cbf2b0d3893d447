"""Partner integration: an organisation's webhook secrets and subscription, the receipts and
processed-markers of inbound events (expiring after RECEIPT_DAYS), the outbound deliveries with
their attempts (in the due index while one is due), and the queues between them. Keys: keys.py.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Key

from tremplin.data import due as due_index
from tremplin.data import keys
from tremplin.data.dynamo import (
    Appended,
    TransactionRefused,
    aws_client,
    batch_get,
    put_new,
    put_request,
    strip_keys,
    table,
    translated_errors,
    update_request,
    write_one,
)
from tremplin.data.pagination import query_page

if TYPE_CHECKING:
    from mypy_boto3_sqs.client import SQSClient

RECEIPT_DAYS = 7


def _sqs() -> SQSClient:
    return aws_client("sqs")  # type: ignore[no-any-return]


# ---------------------------------------------------------------- secrets


def get_secrets(org_id: str) -> dict[str, Any] | None:
    """The organisation's secret item: `current_ciphertext`, and `previous_ciphertext` with
    `previous_until` after a rotation (tremplin.data.secret_box opens them). An item written
    before the secrets were encrypted holds `current` and `previous` in plain text instead."""
    with translated_errors():
        item = table().get_item(Key=keys.secret(org_id), ConsistentRead=True).get("Item")
    return dict(item) if item else None


def put_secret(org_id: str, current: bytes, at: str, previous: bytes | None, previous_until: str | None) -> None:
    """Stores the secrets' ciphertexts (never a secret itself), replacing the item."""
    write_one(put_request(_secret_item(org_id, current, at, previous, previous_until)))


def replace_plaintext_secret(
    org_id: str, plain_current: str, current: bytes, at: str, previous: bytes | None, previous_until: str | None
) -> bool:
    """Replaces an item that holds its secret in plain text with the ciphertexts, if it still
    holds `plain_current` (a rotation meanwhile wins); False if it no longer does."""
    item = _secret_item(org_id, current, at, previous, previous_until)
    try:
        write_one(put_request(item, "#c = :plain", names={"#c": "current"}, values={":plain": plain_current}))
    except TransactionRefused:
        return False
    return True


def _secret_item(
    org_id: str, current: bytes, at: str, previous: bytes | None, previous_until: str | None
) -> dict[str, Any]:
    item: dict[str, Any] = {
        **keys.secret(org_id),
        "type": "webhook_secret",
        "org_id": org_id,
        "current_ciphertext": current,
        "created_at": at,
    }
    if previous:
        item |= {"previous_ciphertext": previous, "previous_until": previous_until}
    return item


# ---------------------------------------------------------------- inbound


def receipt_recorded(org_id: str, webhook_id: str) -> bool:
    """Whether an inbound event id was queued before (its receipt is written only once it is)."""
    with translated_errors():
        answer = table().get_item(Key=keys.receipt(org_id, webhook_id), ConsistentRead=True, ProjectionExpression="PK")
    return "Item" in answer


def record_receipt(org_id: str, webhook_id: str, at: str, expires_epoch: int) -> None:
    """Records that an inbound event is queued. A plain put: a try whose answer was lost, sent
    again by boto3 or after the partner's retry, writes the same receipt again."""
    item: dict[str, Any] = {
        **keys.receipt(org_id, webhook_id),
        "type": "webhook_receipt",
        "status": "queued",
        "received_at": at,
        "ttl": expires_epoch,
    }
    write_one(put_request(item))


def processed(org_id: str, webhook_id: str) -> bool:
    """Whether the consumer acted on an inbound event id already (its marker is written only
    once the processing succeeded)."""
    with translated_errors():
        answer = table().get_item(
            Key=keys.processed(org_id, webhook_id), ConsistentRead=True, ProjectionExpression="PK"
        )
    return "Item" in answer


def record_processed(org_id: str, webhook_id: str, outcome: str, at: str, expires_epoch: int) -> bool:
    """Marks an inbound event as acted on, after its processing succeeded. Conditional: the
    first marker stays; False if the event was marked already (a copy processed meanwhile)."""
    return put_new(
        {
            **keys.processed(org_id, webhook_id),
            "type": "webhook_processed",
            "outcome": outcome,
            "processed_at": at,
            "ttl": expires_epoch,
        }
    )


def enqueue(queue_url: str, message: dict[str, Any]) -> None:
    _sqs().send_message(QueueUrl=queue_url, MessageBody=json.dumps(message))


def dead_letters(queue_url: str, limit: int = 10) -> list[dict[str, Any]]:
    """Looks at parked messages without taking them (visibility 0)."""
    answer = _sqs().receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=min(limit, 10), VisibilityTimeout=0, AttributeNames=["All"]
    )
    return [
        {
            "message_id": m["MessageId"],
            "receive_count": int(m.get("Attributes", {}).get("ApproximateReceiveCount", "0")),
            "body": m["Body"],
        }
        for m in answer.get("Messages", [])
    ]


# ---------------------------------------------------------------- outbound


def put_subscription(sub: dict[str, Any]) -> None:
    write_one(put_request({**keys.webhook(sub["org_id"]), "type": "webhook_subscription", **sub}))


_delivery_key = keys.delivery


def outbound_context(
    org_id: str, created_at: str, delivery_id: str
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, bool]:
    """What a new delivery needs, in one call: the subscription, the secrets, and whether this
    event's delivery is recorded already (a redelivered message)."""
    sub, secrets, recorded = batch_get(
        [keys.webhook(org_id), keys.secret(org_id), _delivery_key(org_id, created_at, delivery_id)]
    )
    return (strip_keys(sub) if sub else None), (dict(secrets) if secrets else None), recorded is not None


def save_delivery(delivery: dict[str, Any], seen_attempts: int) -> bool:
    """Records the delivery after an attempt: a new one only if nobody recorded it meanwhile, a
    known one only if nobody recorded another attempt meanwhile. While an attempt is due, it is
    in the due index (GSI4) for the retry sweep."""
    key = _delivery_key(delivery["org_id"], delivery["created_at"], delivery["delivery_id"])
    item = {**key, "type": "delivery", **{k: v for k, v in delivery.items() if v is not None}}
    if delivery["status"] == "pending" and delivery.get("next_attempt_at"):
        item |= keys.due_index("delivery", delivery["next_attempt_at"], delivery["delivery_id"])
    write = (
        put_request(item, "attribute_not_exists(PK)")
        if seen_attempts == 0
        else put_request(item, "size(attempts) = :seen", values={":seen": seen_attempts})
    )
    try:
        write_one(write)
    except TransactionRefused:
        return False
    return True


def due_deliveries(until: str, per_org: int | None = None) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(key, delivery) of the deliveries whose next attempt is due by `until`, oldest first, one
    page at a time; at most `per_org` of one organisation (the others are not even read). The key
    is what `note_failed_handling` takes."""
    taken: Counter[str] = Counter()

    def keep(key: dict[str, Any]) -> bool:
        taken[str(key["PK"])] += 1
        return per_org is None or taken[str(key["PK"])] <= per_org

    for key, item in due_index.keyed_items("delivery", until, keep=keep):
        yield {k: key[k] for k in ("PK", "SK", *due_index.INDEX_KEYS)}, strip_keys(item)


def note_failed_handling(key: dict[str, Any], attempt: dict[str, Any], next_attempt_at: str | None) -> bool:
    """Records an attempt the sweep could not make (its handling failed), needing nothing of the
    stored delivery but its key, so that even a delivery the sweep cannot read right follows the
    retry schedule: due again at `next_attempt_at`, or failed (out of the due index) if None.
    False if the delivery is no longer pending (delivered or failed meanwhile) or gone."""
    sets: dict[str, Any] = {"attempts": Appended([attempt])}
    removed: tuple[str, ...] = ()
    if next_attempt_at:
        sets |= {"next_attempt_at": next_attempt_at}
        sets |= keys.due_index("delivery", next_attempt_at, due_index.item_id(key))
    else:
        sets |= {"status": "failed"}
        removed = ("next_attempt_at", *due_index.INDEX_KEYS)
    change = update_request(
        keys.primary(key),
        set_=sets,
        remove=removed,
        condition="attribute_exists(PK) AND #status = :pending",
        names={"#status": "status"},
        values={":pending": "pending"},
    )
    try:
        write_one(change)
    except TransactionRefused:
        return False
    return True


def deliveries(org_id: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    condition = Key("PK").eq(keys.org_partition(org_id)) & Key("SK").begins_with(keys.DELIVERY)
    items, nxt = query_page(condition, scope=f"deliveries:{org_id}", limit=limit, cursor=cursor, forward=False)
    return [strip_keys(i) for i in items], nxt
