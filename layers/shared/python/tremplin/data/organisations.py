"""Organisations in the table: PK=ORG#<id>, SK=ORG; all of them listed on GSI1 (ORGS)."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from tremplin.data import keys
from tremplin.data.dynamo import error_code, strip_keys, table, translated_errors
from tremplin.data.pagination import query_page

_key = keys.org


def insert(org: dict[str, Any]) -> None:
    item = {**_key(org["org_id"]), "type": "organisation", "GSI1PK": "ORGS", "GSI1SK": org["org_id"], **org}
    with translated_errors():
        table().put_item(Item=item, ConditionExpression="attribute_not_exists(PK)")


def get(org_id: str) -> dict[str, Any] | None:
    with translated_errors():
        item = table().get_item(Key=_key(org_id)).get("Item")
    return strip_keys(item) if item else None


def list_all(limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    items, next_cursor = query_page(Key("GSI1PK").eq("ORGS"), index="GSI1", scope="orgs", limit=limit, cursor=cursor)
    return [strip_keys(i) for i in items], next_cursor


def set_status(org_id: str, status: str, at: str) -> dict[str, Any] | None:
    """The updated organisation, or None if there is none."""
    try:
        with translated_errors():
            answer = table().update_item(
                Key=_key(org_id),
                UpdateExpression="SET #s = :s, updated_at = :at",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={":s": status, ":at": at},
                ReturnValues="ALL_NEW",
            )
    except ClientError as exc:
        if error_code(exc) == "ConditionalCheckFailedException":
            return None
        raise
    return strip_keys(answer["Attributes"])
