"""The sparse "due" index the schedules sweep: GSI2 DUE#<kind> / <due at>#<id>.

Kinds: offer (expiry), hours (auto-approval), reminder (24 h ahead), delivery (webhook retry).
An item is in it only while something is due; the sweep reads what is due by now, oldest first.
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key

from tremplin.data.dynamo import strip_keys
from tremplin.data.pagination import query_page

INDEX_KEYS = ("GSI2PK", "GSI2SK")


def keys(kind: str, due_at: str, item_id: str) -> dict[str, str]:
    return {"GSI2PK": f"DUE#{kind}", "GSI2SK": f"{due_at}#{item_id}"}


def items(kind: str, until: str, limit: int = 100) -> list[dict[str, Any]]:
    """Items whose `kind` is due by `until` (inclusive), oldest first."""
    found, _ = query_page(
        Key("GSI2PK").eq(f"DUE#{kind}") & Key("GSI2SK").lte(f"{until}~"),
        index="GSI2",
        scope="due",
        limit=limit,
        cursor=None,
    )
    return [strip_keys(i) for i in found]
