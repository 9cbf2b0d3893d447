"""The sparse "due" index the schedules sweep: GSI4 DUE#<kind> / <due at>#<id>, keys only
(the sweep then reads the items by key).

Kinds: offer (expiry), hours (auto-approval), reminder (24 h ahead), delivery (webhook retry).
An item is in it only while something is due; the sweep reads what is due by now, oldest first.
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key

from tremplin.data.dynamo import strip_keys
from tremplin.data.pagination import query_page

INDEX_KEYS = ("GSI4PK", "GSI4SK")


def keys(kind: str, due_at: str, item_id: str) -> dict[str, str]:
    return {"GSI4PK": f"DUE#{kind}", "GSI4SK": f"{due_at}#{item_id}"}


def items(kind: str, until: str, limit: int = 100) -> list[dict[str, Any]]:
    """Items whose `kind` is due by `until` (inclusive), oldest first."""
    found, _ = query_page(
        Key("GSI4PK").eq(f"DUE#{kind}") & Key("GSI4SK").lte(f"{until}~"),
        index="GSI4",
        scope="due",
        limit=limit,
        cursor=None,
    )
    return [strip_keys(i) for i in found]
