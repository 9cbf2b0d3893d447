"""Organisations (ORG#<id> / ORG), all of them listed on GSI1 (keys.py)."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key

from tremplin.data import keys
from tremplin.data.dynamo import (
    TransactionRefused,
    batch_get,
    put_request,
    strip_keys,
    table,
    translated_errors,
    update_request,
    write_one,
)
from tremplin.data.keys import GSI1
from tremplin.data.pagination import query_page

_key = keys.org


def insert(org: dict[str, Any]) -> None:
    item = {**_key(org["org_id"]), "type": "organisation", **keys.org_index(org["org_id"]), **org}
    write_one(put_request(item, "attribute_not_exists(PK)"))


def get(org_id: str) -> dict[str, Any] | None:
    with translated_errors():
        item = table().get_item(Key=_key(org_id)).get("Item")
    return strip_keys(item) if item else None


def get_many(org_ids: list[str]) -> list[dict[str, Any]]:
    """Consistent batch reads of organisations; unknown ids are left out."""
    return [strip_keys(i) for i in batch_get([_key(o) for o in org_ids]) if i]


def list_all(limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    items, next_cursor = query_page(
        Key(GSI1.pk).eq(keys.ALL_ORGS), index=GSI1.name, scope="orgs", limit=limit, cursor=cursor
    )
    return [strip_keys(i) for i in items], next_cursor


def set_status(org_id: str, status: str, at: str) -> dict[str, Any] | None:
    """The updated organisation, or None if there is none."""
    change = update_request(_key(org_id), set_={"status": status, "updated_at": at}, condition="attribute_exists(PK)")
    try:
        return strip_keys(write_one(change, returns="ALL_NEW"))
    except TransactionRefused:
        return None
