"""The sparse "due" index the schedules sweep (GSI4, keys.due_index): an item is in it only
while something is due (an offer's expiry, the hours' auto-approval, a reminder, a delivery's
retry). A sweep reads what is due by now, oldest first, a page at a time, paging with
DynamoDB's own LastEvaluatedKey: it never leaves this process, so it needs no signed cursor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from boto3.dynamodb.conditions import Key

from tremplin.data import keys
from tremplin.data.dynamo import batch_get, strip_keys, table, translated_errors
from tremplin.data.keys import GSI4

INDEX_KEYS = (GSI4.pk, GSI4.sk)
PAGE_SIZE = 100  # one BatchGetItem reads a page of keys


def item_id(key: dict[str, Any]) -> str:
    """The id of a due entry (as key_pages gives them)."""
    return keys.due_item_id(str(key[GSI4.sk]))


def key_pages(kind: str, until: str, page_size: int = PAGE_SIZE) -> Iterator[list[dict[str, Any]]]:
    """The keys (PK, SK and the index keys) of what is due by `until` (inclusive), oldest first,
    one page at a time, to the end of the backlog."""
    request: dict[str, Any] = {
        "IndexName": GSI4.name,
        "KeyConditionExpression": Key(GSI4.pk).eq(keys.due(kind)) & Key(GSI4.sk).lte(keys.up_to(until)),
        "Limit": page_size,
    }
    while True:
        with translated_errors():
            answer = table().query(**request)
        found = answer.get("Items", [])
        if found:
            yield [dict(k) for k in found]
        last = answer.get("LastEvaluatedKey")
        if not last:
            return
        request["ExclusiveStartKey"] = last


def keyed_items(
    kind: str,
    until: str,
    *,
    keep: Callable[[dict[str, Any]], bool] | None = None,
    page_size: int = PAGE_SIZE,
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(due key, whole stored item) of what is due by `until`, oldest first. `keep` sees each key
    before its item is read: keys it refuses are not read at all. An item gone since the Query
    is left out. The items are as stored, so the caller can still tell their keys."""
    for page in key_pages(kind, until, page_size):
        wanted = [k for k in page if keep is None or keep(k)]
        read = batch_get([keys.primary(k) for k in wanted])
        yield from ((k, i) for k, i in zip(wanted, read, strict=True) if i is not None)


def each(kind: str, until: str) -> Iterator[dict[str, Any]]:
    """The items whose `kind` is due by `until` (inclusive), oldest first, without their storage
    keys; one page is held at a time, however long the backlog."""
    return (strip_keys(item) for _, item in keyed_items(kind, until))


def items(kind: str, until: str) -> list[dict[str, Any]]:
    """Every item whose `kind` is due by `until` (inclusive), oldest first: the whole backlog,
    not just a first page. Prefer `each` where a sweep can take them one by one."""
    return list(each(kind, until))
