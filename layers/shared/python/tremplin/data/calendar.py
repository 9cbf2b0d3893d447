"""The participant's calendar feed (issue 20), keyed as in keys.py: PART#<p> / CALENDAR holds
the SHA-256 of the feed's secret (never the secret), PART#<p> / CALSHIFT#<application> a shift
as the feed shows it. Both sort under "CAL": the public feed is one Query of the partition.
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key

from tremplin.data import keys
from tremplin.data.dynamo import (
    TransactionRefused,
    batch_get,
    batch_write,
    delete_request,
    put_request,
    strip_keys,
    table,
    translated_errors,
    update_request,
    write_one,
)

FEED_TYPE = "calendar_feed"
SHIFT_TYPE = "calendar_shift"


def turn_on(participant_id: str, secret_hash: str, language: str, at: str) -> None:
    """Stores the feed's secret hash; a renewal replaces it (the old URL stops working)."""
    item = {
        **keys.calendar_feed(participant_id),
        "type": FEED_TYPE,
        "participant_id": participant_id,
        "secret_sha256": secret_hash,
        "language": language,
        "turned_on_at": at,
    }
    write_one(put_request(item))


def turn_off(participant_id: str) -> None:
    """Idempotent: a feed that is off stays off."""
    write_one(delete_request(keys.calendar_feed(participant_id)))


def feed_delete(participant_id: str) -> dict[str, Any]:
    """The feed's Delete, for an erasure's transaction: its URL answers 404 from the commit on
    (the kept shifts, unreachable without it, go with what follows)."""
    return delete_request(keys.calendar_feed(participant_id))


def get_feed(participant_id: str) -> dict[str, Any] | None:
    with translated_errors():
        item = table().get_item(Key=keys.calendar_feed(participant_id), ConsistentRead=True).get("Item")
    return strip_keys(item) if item else None


def read(participant_id: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The feed item (None: off) and its shifts, from one Query (a single page holds years of
    shifts: an entry is about 300 bytes, a page 1 MB)."""
    condition = Key("PK").eq(keys.participant_partition(participant_id)) & Key("SK").begins_with(keys.CALENDAR)
    with translated_errors():
        items = table().query(KeyConditionExpression=condition, ConsistentRead=True).get("Items", [])
    feed = next((strip_keys(i) for i in items if i.get("type") == FEED_TYPE), None)
    shifts = [strip_keys(i) for i in items if i.get("type") == SHIFT_TYPE]
    return feed, shifts


def keep_shift(entry: dict[str, Any], digest: str) -> bool:
    """Writes the shift as the feed shows it when its content (`digest`) changed, counting the
    change in `sequence`; False when it was already so (a redelivered change)."""
    key = keys.calendar_shift(entry["participant_id"], entry["application_id"])
    change = update_request(
        key,
        set_={"type": SHIFT_TYPE, **entry, "digest": digest},
        add={"sequence": 1},
        condition="attribute_not_exists(#digest) OR #digest <> :digest",
        names={"#digest": "digest"},
        values={":digest": digest},
    )
    try:
        write_one(change)
    except TransactionRefused:
        return False
    return True


def job_and_org(job_id: str, org_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """What a shift's event names: its job (title, address) and organisation, one BatchGetItem."""
    job, org = batch_get([keys.job(job_id), keys.org(org_id)])
    return (strip_keys(job) if job else {}), (strip_keys(org) if org else {})


def forget(participant_id: str) -> None:
    """Deletes the feed and every kept shift of the participant."""
    condition = Key("PK").eq(keys.participant_partition(participant_id)) & Key("SK").begins_with(keys.CALENDAR)
    with translated_errors():
        items = table().query(KeyConditionExpression=condition, ProjectionExpression="PK, SK").get("Items", [])
    batch_write(deletes=[keys.primary(i) for i in items])
