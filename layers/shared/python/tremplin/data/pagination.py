"""Paginated queries with opaque, tamper-safe cursors.

A cursor is DynamoDB's LastEvaluatedKey, signed with an HMAC key kept in Secrets
Manager; a changed or forged cursor is a 400, never a 500 or a peek elsewhere.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from functools import cache
from typing import Any

from boto3.dynamodb.conditions import ConditionBase

from tremplin.data import keys
from tremplin.data.dynamo import batch_get, table, translated_errors
from tremplin.data.keys import GSI1, GSI3, GSI4, Index
from tremplin.errors import BadRequest
from tremplin.settings import get_settings

# Indexes that project keys only (template.yaml's Table): a Query on them finds the items,
# one BatchGetItem per 100 then reads them, so every caller still gets whole items.
KEYS_ONLY_INDEXES = frozenset({GSI1.name, GSI3.name, GSI4.name})


@cache
def signing_key() -> bytes:
    settings = get_settings()
    if settings.cursor_secret_arn:
        from aws_lambda_powertools.utilities.parameters import get_secret

        return str(get_secret(settings.cursor_secret_arn, max_age=3600)).encode()
    return settings.cursor_secret.encode()


def _sign(payload: bytes, scope: str) -> bytes:
    return hmac.new(signing_key(), scope.encode() + b"|" + payload, hashlib.sha256).digest()[:16]


def encode_cursor(last_key: dict[str, Any], scope: str) -> str:
    payload = json.dumps(last_key, sort_keys=True, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(_sign(payload, scope) + payload).decode().rstrip("=")


def _whole(found: list[dict[str, Any]], index: str | None) -> list[dict[str, Any]]:
    """The items as stored, in the order found; one deleted since the Query is left out."""
    if index not in KEYS_ONLY_INDEXES or not found:
        return found
    return [i for i in batch_get([keys.primary(i) for i in found]) if i is not None]


def decode_cursor(cursor: str, scope: str) -> dict[str, Any]:
    """`scope` binds a cursor to one listing, so it cannot be replayed on another."""
    invalid = BadRequest("The cursor is not valid for this list.", code="invalid_cursor")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError):
        raise invalid from None
    signature, payload = raw[:16], raw[16:]
    if len(signature) != 16 or not hmac.compare_digest(signature, _sign(payload, scope)):
        raise invalid
    try:
        key = json.loads(payload)
    except ValueError:
        raise invalid from None
    if not isinstance(key, dict):
        raise invalid
    return key


def query_page(
    key_condition: ConditionBase,
    *,
    scope: str,
    limit: int,
    cursor: str | None,
    index: str | None = None,
    filter_expression: ConditionBase | None = None,
    forward: bool = True,
    read_ahead: int = 1,
) -> tuple[list[dict[str, Any]], str | None]:
    """One Query call: at most `limit` items and the cursor of the next page.

    DynamoDB applies `Limit` before the filter, so a filtered page can come back short;
    `read_ahead` reads that many times more items in the same call and the cursor then
    points just after the last item returned."""
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": key_condition,
        "Limit": min(limit * read_ahead, 1000),
        "ScanIndexForward": forward,
    }
    if index:
        kwargs["IndexName"] = index
    if filter_expression is not None:
        kwargs["FilterExpression"] = filter_expression
    scope = f"{index or 'table'}:{scope}"  # a cursor made on one index is refused on another
    if cursor:
        kwargs["ExclusiveStartKey"] = decode_cursor(cursor, scope)
    with translated_errors():
        answer = table().query(**kwargs)
    items = answer.get("Items", [])
    last = answer.get("LastEvaluatedKey")
    if len(items) > limit:
        items = items[:limit]
        key_names = ["PK", "SK"] + ([Index(index).pk, Index(index).sk] if index else [])
        last = {k: items[-1][k] for k in key_names}
    return _whole(items, index), (encode_cursor(dict(last), scope) if last else None)


def query_all(key_condition: ConditionBase, *, index: str | None = None, forward: bool = True) -> list[dict[str, Any]]:
    """Every item of one key (all pages). For bounded sets only: an export, an erasure."""
    kwargs: dict[str, Any] = {"KeyConditionExpression": key_condition, "ScanIndexForward": forward}
    if index:
        kwargs["IndexName"] = index
    items: list[dict[str, Any]] = []
    while True:
        with translated_errors():
            page = table().query(**kwargs)
        items.extend(_whole(page.get("Items", []), index))
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
