"""Reports: their items, their files in S3, their queue, and the period-bounded reads
they are computed from (each read is a Query on a month's index key, never a scan).

    REPORT#<id> / REPORT   GSI1: REPORTS#<type>[#<org>] / <requested>#<id>, GSI3: REPORTS / <requested>#<id>
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import ConditionBase, Key
from botocore.exceptions import ClientError

from tremplin.data.dynamo import aws_client, batch_get, error_code, strip_keys, table, translated_errors
from tremplin.data.pagination import query_all, query_page
from tremplin.settings import get_settings

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client
    from mypy_boto3_sqs.client import SQSClient

LINK_SECONDS = 900


def _s3() -> S3Client:
    return aws_client("s3")  # type: ignore[no-any-return]


def _sqs() -> SQSClient:
    return aws_client("sqs")  # type: ignore[no-any-return]


def _key(report_id: str) -> dict[str, str]:
    return {"PK": f"REPORT#{report_id}", "SK": "REPORT"}


def request(report: dict[str, Any], listing: str) -> int:
    """Stores the report as pending (replacing an earlier run of the same period) and returns
    its attempt number; only the worker holding the latest attempt may finish it."""
    with translated_errors():
        answer = table().update_item(
            Key=_key(report["report_id"]),
            UpdateExpression=(
                "SET #type = :item_type, report_type = :type, #period = :period, org_id = :org, report_id = :id, "
                "#status = :pending, requested_at = :at, requested_by = :by, GSI1PK = :listing, GSI1SK = :sort, "
                "GSI3PK = :all, GSI3SK = :sort, files = :none "
                "REMOVE generated_at, #error, summary_json ADD attempt :one"
            ),
            ExpressionAttributeNames={"#type": "type", "#period": "period", "#status": "status", "#error": "error"},
            ExpressionAttributeValues={
                ":item_type": "report",
                ":type": report["type"],
                ":period": report["period"],
                ":org": report.get("org_id"),
                ":id": report["report_id"],
                ":pending": "pending",
                ":at": report["requested_at"],
                ":by": report["requested_by"],
                ":listing": listing,
                ":sort": f"{report['requested_at']}#{report['report_id']}",
                ":all": "REPORTS",
                ":none": {},
                ":one": 1,
            },
            ReturnValues="ALL_NEW",
        )
    return int(str(answer["Attributes"]["attempt"]))


def enqueue(report_id: str, attempt: int) -> None:
    _sqs().send_message(
        QueueUrl=get_settings().reports_queue_url, MessageBody=json.dumps({"report_id": report_id, "attempt": attempt})
    )


def get(report_id: str) -> dict[str, Any] | None:
    with translated_errors():
        item = table().get_item(Key=_key(report_id), ConsistentRead=True).get("Item")
    return strip_keys(item) if item else None


def finish(report_id: str, attempt: int, status: str, fields: dict[str, Any]) -> bool:
    """Records the outcome of one attempt; False if a newer request superseded it."""
    names = {"#status": "status"} | {f"#f{i}": k for i, k in enumerate(fields)}
    values: dict[str, Any] = {":status": status, ":attempt": attempt} | {
        f":f{i}": v for i, v in enumerate(fields.values())
    }
    sets = ", ".join(["#status = :status", *(f"#f{i} = :f{i}" for i in range(len(fields)))])
    try:
        with translated_errors():
            table().update_item(
                Key=_key(report_id),
                UpdateExpression=f"SET {sets}",
                ConditionExpression="attempt = :attempt",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
    except ClientError as exc:
        if error_code(exc) == "ConditionalCheckFailedException":
            return False
        raise
    return True


def list_page(listing: str, index: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    pk = "GSI3PK" if index == "GSI3" else "GSI1PK"
    items, nxt = query_page(
        Key(pk).eq(listing), index=index, scope=f"reports:{listing}", limit=limit, cursor=cursor, forward=False
    )
    return [strip_keys(i) for i in items], nxt


def put_file(key: str, body: str, content_type: str) -> None:
    _s3().put_object(
        Bucket=get_settings().reports_bucket,
        Key=key,
        Body=body.encode("utf-8"),
        ContentType=content_type,
        ServerSideEncryption="AES256",
    )


def read_file(key: str) -> str:
    return _s3().get_object(Bucket=get_settings().reports_bucket, Key=key)["Body"].read().decode("utf-8")


def link(key: str) -> str:
    """A short-lived link to one file (15 minutes)."""
    return _s3().generate_presigned_url(
        "get_object", Params={"Bucket": get_settings().reports_bucket, "Key": key}, ExpiresIn=LINK_SECONDS
    )


# ---------------------------------------------------------------- a period's data


def outcomes(month: str, org_id: str | None = None) -> list[dict[str, Any]]:
    """Applications that ended in `month` as completed, no-show or cancelled."""
    condition: ConditionBase = Key("GSI4PK").eq(f"OUTCOME#{month}")
    if org_id:
        condition = condition & Key("GSI4SK").begins_with(f"{org_id}#")
    return [strip_keys(i) for i in query_all(condition, index="GSI4")]


def shifts_starting(month: str, org_id: str | None = None) -> list[dict[str, Any]]:
    condition: ConditionBase = Key("GSI3PK").eq(f"SHIFTS#{month}")
    if org_id:
        condition = condition & Key("GSI3SK").begins_with(f"{org_id}#")
    return [strip_keys(i) for i in query_all(condition, index="GSI3")]


def jobs_published(month: str) -> list[dict[str, Any]]:
    return [strip_keys(i) for i in query_all(Key("GSI2PK").eq(f"PUBLISHED#{month}"), index="GSI2")]


def items(keys: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Consistent batch reads, 100 keys a call; missing items are left out."""
    found: list[dict[str, Any]] = []
    for start in range(0, len(keys), 100):
        found += [strip_keys(i) for i in batch_get(keys[start : start + 100]) if i]
    return found
