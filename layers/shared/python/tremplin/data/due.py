"""The sparse "due" index the schedules sweep: GSI4 DUE#<kind> / <due at>#<id>, keys only
(the sweep then reads the items by key).

Kinds: offer (expiry), hours (auto-approval), reminder (24 h ahead), delivery (webhook retry).
An item is in it only while something is due; the sweep reads what is due by now, oldest first.

A sweep pages through any backlog with DynamoDB's own LastEvaluatedKey: it never leaves this
process, so it needs no signed cursor and no cursor secret (the schedules function may not read
that secret). The generators hold one page at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from boto3.dynamodb.conditions import Key

from tremplin.data.dynamo import batch_get, strip_keys, table, translated_errors

INDEX_KEYS = ("GSI4PK", "GSI4SK")
PAGE_SIZE = 100  # one BatchGetItem reads a page of keys


def keys(kind: str, due_at: str, item_id: str) -> dict[str, str]:
    return {"GSI4PK": f"DUE#{kind}", "GSI4SK": f"{due_at}#{item_id}"}


def item_id(key: dict[str, Any]) -> str:
    """The id in a due key's sort key (<due at>#<id>)."""
    return str(key["GSI4SK"]).partition("#")[2]


def key_pages(kind: str, until: str, page_size: int = PAGE_SIZE) -> Iterator[list[dict[str, Any]]]:
    """The keys (PK, SK and the index keys) of what is due by `until` (inclusive), oldest first,
    one page at a time, to the end of the backlog."""
    request: dict[str, Any] = {
        "IndexName": "GSI4",
        "KeyConditionExpression": Key("GSI4PK").eq(f"DUE#{kind}") & Key("GSI4SK").lte(f"{until}~"),
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
        for start in range(0, len(wanted), 100):
            chunk = wanted[start : start + 100]
            read = batch_get([{"PK": k["PK"], "SK": k["SK"]} for k in chunk])
            yield from ((k, i) for k, i in zip(chunk, read, strict=True) if i is not None)


def each(kind: str, until: str) -> Iterator[dict[str, Any]]:
    """The items whose `kind` is due by `until` (inclusive), oldest first, without their storage
    keys; one page is held at a time, however long the backlog."""
    return (strip_keys(item) for _, item in keyed_items(kind, until))


def items(kind: str, until: str) -> list[dict[str, Any]]:
    """Every item whose `kind` is due by `until` (inclusive), oldest first: the whole backlog,
    not just a first page. Prefer `each` where a sweep can take them one by one."""
    return list(each(kind, until))
