"""Partner integration in the table, its queues and the outbound HTTP calls.

ORG#<org> / SECRET                    current secret, and the previous one with its end of validity
ORG#<org> / WEBHOOK                   the outbound subscription (url, events)
ORG#<org> / RECEIPT#<webhook-id>      an inbound event queued (written after the enqueue; expires after 7 days)
ORG#<org> / PROCESSED#<webhook-id>    an inbound event acted on (written after its processing succeeded;
                                      expires after 7 days)
ORG#<org> / DELIVERY#<created>#<id>   an outbound delivery and its attempts;
                                      GSI4 DUE#delivery / <next attempt>#<id> while an attempt is due
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from tremplin.data import due as due_index
from tremplin.data.dynamo import aws_client, batch_get, error_code, put_new, strip_keys, table, translated_errors
from tremplin.data.pagination import query_page

if TYPE_CHECKING:
    from mypy_boto3_sqs.client import SQSClient

RECEIPT_DAYS = 7


def _sqs() -> SQSClient:
    return aws_client("sqs")  # type: ignore[no-any-return]


def _org(org_id: str, sort: str) -> dict[str, str]:
    return {"PK": f"ORG#{org_id}", "SK": sort}


# ---------------------------------------------------------------- secrets


def get_secrets(org_id: str) -> dict[str, Any] | None:
    with translated_errors():
        item = table().get_item(Key=_org(org_id, "SECRET"), ConsistentRead=True).get("Item")
    return dict(item) if item else None


def put_secret(org_id: str, secret: str, at: str, previous: str | None, previous_until: str | None) -> None:
    item: dict[str, Any] = {
        **_org(org_id, "SECRET"),
        "type": "webhook_secret",
        "org_id": org_id,
        "current": secret,
        "created_at": at,
    }
    if previous:
        item |= {"previous": previous, "previous_until": previous_until}
    with translated_errors():
        table().put_item(Item=item)


# ---------------------------------------------------------------- inbound


def receipt_recorded(org_id: str, webhook_id: str) -> bool:
    """Whether an inbound event id was queued before (its receipt is written only once it is)."""
    with translated_errors():
        answer = table().get_item(
            Key=_org(org_id, f"RECEIPT#{webhook_id}"), ConsistentRead=True, ProjectionExpression="PK"
        )
    return "Item" in answer


def record_receipt(org_id: str, webhook_id: str, at: str, expires_epoch: int) -> None:
    """Records that an inbound event is queued. A plain put: a try whose answer was lost, sent
    again by boto3 or after the partner's retry, writes the same receipt again."""
    item: dict[str, Any] = {
        **_org(org_id, f"RECEIPT#{webhook_id}"),
        "type": "webhook_receipt",
        "status": "queued",
        "received_at": at,
        "ttl": expires_epoch,
    }
    with translated_errors():
        table().put_item(Item=item)


def processed(org_id: str, webhook_id: str) -> bool:
    """Whether the consumer acted on an inbound event id already (its marker is written only
    once the processing succeeded)."""
    with translated_errors():
        answer = table().get_item(
            Key=_org(org_id, f"PROCESSED#{webhook_id}"), ConsistentRead=True, ProjectionExpression="PK"
        )
    return "Item" in answer


def record_processed(org_id: str, webhook_id: str, outcome: str, at: str, expires_epoch: int) -> bool:
    """Marks an inbound event as acted on, after its processing succeeded. Conditional: the
    first marker stays; False if the event was marked already (a copy processed meanwhile)."""
    return put_new(
        {
            **_org(org_id, f"PROCESSED#{webhook_id}"),
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
    with translated_errors():
        table().put_item(Item={**_org(sub["org_id"], "WEBHOOK"), "type": "webhook_subscription", **sub})


def _delivery_key(org_id: str, created_at: str, delivery_id: str) -> dict[str, str]:
    return _org(org_id, f"DELIVERY#{created_at}#{delivery_id}")


def outbound_context(
    org_id: str, created_at: str, delivery_id: str
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, bool]:
    """What a new delivery needs, in one call: the subscription, the secrets, and whether this
    event's delivery is recorded already (a redelivered message)."""
    sub, secrets, recorded = batch_get(
        [_org(org_id, "WEBHOOK"), _org(org_id, "SECRET"), _delivery_key(org_id, created_at, delivery_id)]
    )
    return (strip_keys(sub) if sub else None), (dict(secrets) if secrets else None), recorded is not None


def save_delivery(delivery: dict[str, Any], seen_attempts: int) -> bool:
    """Records the delivery after an attempt: a new one only if nobody recorded it meanwhile, a
    known one only if nobody recorded another attempt meanwhile. While an attempt is due, it is
    in the due index (GSI4) for the retry sweep."""
    key = _delivery_key(delivery["org_id"], delivery["created_at"], delivery["delivery_id"])
    item = {**key, "type": "delivery", **{k: v for k, v in delivery.items() if v is not None}}
    if delivery["status"] == "pending" and delivery.get("next_attempt_at"):
        item |= due_index.keys("delivery", delivery["next_attempt_at"], delivery["delivery_id"])
    condition: dict[str, Any] = (
        {"ConditionExpression": "attribute_not_exists(PK)"}
        if seen_attempts == 0
        else {"ConditionExpression": "size(attempts) = :seen", "ExpressionAttributeValues": {":seen": seen_attempts}}
    )
    try:
        with translated_errors():
            table().put_item(Item=item, **condition)
    except ClientError as exc:
        if error_code(exc) == "ConditionalCheckFailedException":
            return False
        raise
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
    request: dict[str, Any] = {
        "Key": {"PK": key["PK"], "SK": key["SK"]},
        "ConditionExpression": "attribute_exists(PK) AND #status = :pending",
        "ExpressionAttributeNames": {"#status": "status", "#attempts": "attempts", "#next": "next_attempt_at"},
        "ExpressionAttributeValues": {":pending": "pending", ":attempt": [attempt], ":none": []},
    }
    appended = "#attempts = list_append(if_not_exists(#attempts, :none), :attempt)"
    if next_attempt_at:
        request["UpdateExpression"] = f"SET {appended}, #next = :next, GSI4PK = :due_pk, GSI4SK = :due_sk"
        due = due_index.keys("delivery", next_attempt_at, due_index.item_id(key))
        request["ExpressionAttributeValues"] |= {
            ":next": next_attempt_at,
            ":due_pk": due["GSI4PK"],
            ":due_sk": due["GSI4SK"],
        }
    else:
        request["UpdateExpression"] = f"SET {appended}, #status = :failed REMOVE #next, GSI4PK, GSI4SK"
        request["ExpressionAttributeValues"][":failed"] = "failed"
    try:
        with translated_errors():
            table().update_item(**request)
    except ClientError as exc:
        if error_code(exc) == "ConditionalCheckFailedException":
            return False
        raise
    return True


def deliveries(org_id: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    condition = Key("PK").eq(f"ORG#{org_id}") & Key("SK").begins_with("DELIVERY#")
    items, nxt = query_page(condition, scope=f"deliveries:{org_id}", limit=limit, cursor=cursor, forward=False)
    return [strip_keys(i) for i in items], nxt
