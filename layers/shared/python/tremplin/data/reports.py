"""Reports: their items, their files in S3, their queue, and the period-bounded reads
they are computed from (each read is a Query on a month's index key, never a scan).

    REPORT#<id> / REPORT   GSI1: REPORTS#<type>[#<org>] / <requested>#<id>, GSI3: REPORTS / <requested>#<id>

Attempts. Every generation of a report has its own attempt number, taken from the item's
`attempt` counter, and writes its files under its own keys (`reports/<id>/attempt-<n>/...`), so
two generations never write the same object. On the item:

- `attempt`            the last number handed out;
- `requested_attempt`  the attempt of the last request (asking, the monthly run): older attempts
                       are superseded and may not finish;
- `refresh_attempt`    the attempt of the last late-outcome refresh, `refresh_queued_at` when,
                       `started_attempt` the last attempt that began reading (a refresh queued
                       and not started yet will see any later change: no second one is queued),
                       `refresh_sent_attempt` the last refresh whose message is known sent (the
                       refresh is saved first, its message sent second: a repeat of the call
                       finding a queued refresh without it sends that attempt's message again);
- `current_attempt`    the attempt whose outcome (files and summary, or failure) the item shows.
                       It only grows: an attempt finishes only if it is newer, so a slower,
                       older worker never replaces what a newer one recorded.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import ConditionBase, Key
from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

from tremplin.data.dynamo import (
    TransactionRefused,
    aws_client,
    batch_get,
    error_code,
    strip_keys,
    table,
    transact,
    translated_errors,
    update_request,
)
from tremplin.data.pagination import query_all, query_page
from tremplin.errors import ServiceUnavailable
from tremplin.settings import get_settings

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client
    from mypy_boto3_sqs.client import SQSClient

LINK_SECONDS = 900
_DESERIALIZE = TypeDeserializer()

# Errors that pass: capacity, a service's own hiccup. The message is left to come back.
TRANSIENT_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "Throttling",
        "ThrottledException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "TooManyRequestsException",
        "SlowDown",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "InternalError",
        "InternalServerError",
        "InternalFailure",
        "RequestTimeout",
        "RequestTimeoutException",
        "TransactionConflictException",
        "TransactionInProgressException",
    }
)


def _s3() -> S3Client:
    return aws_client("s3")  # type: ignore[no-any-return]


def _sqs() -> SQSClient:
    return aws_client("sqs")  # type: ignore[no-any-return]


def _key(report_id: str) -> dict[str, str]:
    return {"PK": f"REPORT#{report_id}", "SK": "REPORT"}


def transient(exc: BaseException) -> bool:
    """Throttling, a 5xx, a lost connection: worth trying again later, not a failed report."""
    if isinstance(exc, ClientError):
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
        return error_code(exc) in TRANSIENT_CODES or status >= 500 or status == 429
    # ServiceUnavailable: tremplin.data's name for DynamoDB's throttling once boto3 gave up.
    transient_kinds = ServiceUnavailable | BotoConnectionError | HTTPClientError | ConnectionError | TimeoutError
    return isinstance(exc, transient_kinds)


def _listed(report: dict[str, Any], listing: str) -> dict[str, Any]:
    sort = f"{report['requested_at']}#{report['report_id']}"
    return {"GSI1PK": listing, "GSI1SK": sort, "GSI3PK": "REPORTS", "GSI3SK": sort}


def request(report: dict[str, Any], listing: str) -> int:
    """Stores the report as pending (replacing an earlier run of the same period) and returns
    its attempt number; attempts asked for before it are superseded."""
    listed = _listed(report, listing)
    with translated_errors():
        answer = table().update_item(
            Key=_key(report["report_id"]),
            UpdateExpression=(
                "SET #type = :item_type, report_type = :type, #period = :period, org_id = :org, report_id = :id, "
                "#status = :pending, requested_at = :at, requested_by = :by, GSI1PK = :listing, GSI1SK = :sort, "
                "GSI3PK = :all, GSI3SK = :sort, files = :none, "
                # Every action reads the item as it was: both get the same, new number.
                "attempt = if_not_exists(attempt, :zero) + :one, "
                "requested_attempt = if_not_exists(attempt, :zero) + :one "
                "REMOVE generated_at, #error, summary_json"
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
                ":listing": listed["GSI1PK"],
                ":sort": listed["GSI1SK"],
                ":all": listed["GSI3PK"],
                ":none": {},
                ":zero": 0,
                ":one": 1,
            },
            ReturnValues="UPDATED_NEW",
        )
    return int(str(answer["Attributes"]["attempt"]))


def refresh(report_id: str, now: str, stale_before: str) -> int | None:
    """The attempt of an existing report whose message is to be sent, to be generated again from
    the data as it is now, without superseding the one under way (its files stay until the new
    ones are ready): a new attempt, or the refresh already queued if its message is not known
    sent (`refresh_sent`), e.g. a repeat of a call that failed between saving and sending. None
    if there is no such report, or a refresh is queued, sent, and has not started reading (queued
    after `stale_before`): that one will see the change as well."""
    try:
        with translated_errors():
            answer = table().update_item(
                Key=_key(report_id),
                UpdateExpression=(
                    "SET attempt = if_not_exists(attempt, :zero) + :one, "
                    "refresh_attempt = if_not_exists(attempt, :zero) + :one, refresh_queued_at = :now"
                ),
                ConditionExpression=(
                    "attribute_exists(PK) AND (attribute_not_exists(refresh_attempt) OR refresh_attempt <> attempt "
                    "OR started_attempt = attempt OR refresh_queued_at < :stale)"
                ),
                ExpressionAttributeValues={":zero": 0, ":one": 1, ":now": now, ":stale": stale_before},
                ReturnValues="UPDATED_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
    except ClientError as exc:
        if error_code(exc) == "ConditionalCheckFailedException":
            return _unsent_refresh(exc.response.get("Item"))  # type: ignore[arg-type]
        raise
    return int(str(answer["Attributes"]["attempt"]))


def _unsent_refresh(stored: dict[str, Any] | None) -> int | None:
    """The refresh queued on `stored` (the item as the failed condition found it, in DynamoDB's
    JSON: a refresh queued and not started) if its message is not known sent."""
    if not stored or "refresh_attempt" not in stored:
        return None
    queued = int(_DESERIALIZE.deserialize(stored["refresh_attempt"]))
    sent = stored.get("refresh_sent_attempt")
    if sent is not None and int(_DESERIALIZE.deserialize(sent)) >= queued:
        return None
    return queued


def refresh_sent(report_id: str, attempt: int) -> None:
    """Notes that the message of the refresh `attempt` was sent: a repeat queues nothing more."""
    newer = "attribute_exists(PK) AND (attribute_not_exists(refresh_sent_attempt) OR refresh_sent_attempt < :a)"
    _update_if(report_id, {"refresh_sent_attempt": attempt}, newer, {":a": attempt})  # else: a newer one was


def create_for_refresh(report: dict[str, Any], listing: str) -> int | None:
    """A report the monthly run did not know it needed (a late outcome of an organisation with
    nothing else in the month), stored as a request; None if it exists by now (then `refresh`
    it: it may be this very call's, repeated, whose message was not sent)."""
    item = {
        **_key(report["report_id"]),
        "type": "report",
        "report_type": report["type"],
        **{k: v for k, v in report.items() if k != "type"},
        **_listed(report, listing),
        "status": "pending",
        "files": {},
        "attempt": 1,
        "requested_attempt": 1,
        "refresh_attempt": 1,
        "refresh_queued_at": report["requested_at"],
    }
    try:
        with translated_errors():
            table().put_item(Item=item, ConditionExpression="attribute_not_exists(PK)")
    except ClientError as exc:
        if error_code(exc) == "ConditionalCheckFailedException":
            return None
        raise
    return 1


def enqueue(report_id: str, attempt: int, delay_seconds: int = 0) -> None:
    _sqs().send_message(
        QueueUrl=get_settings().reports_queue_url,
        MessageBody=json.dumps({"report_id": report_id, "attempt": attempt}),
        DelaySeconds=delay_seconds,
    )


def get(report_id: str) -> dict[str, Any] | None:
    with translated_errors():
        item = table().get_item(Key=_key(report_id), ConsistentRead=True).get("Item")
    return strip_keys(item) if item else None


def existing(report_ids: list[str]) -> set[str]:
    """Which of these reports exist (one consistent BatchGetItem, up to 100)."""
    return {str(i["report_id"]) for i in batch_get([_key(r) for r in report_ids]) if i}


def start(report_id: str, attempt: int) -> None:
    """Notes that the newest attempt began reading: a later change needs a refresh of its own."""
    _update_if(report_id, {"started_attempt": attempt}, "attempt = :a", {":a": attempt})  # else: an older one


def finish(
    report_id: str,
    attempt: int,
    status: str,
    fields: dict[str, Any],
    *,
    remove: tuple[str, ...] = (),
    settle: bool = True,
) -> bool:
    """Records the outcome of one attempt, which becomes the current one (`settle`); False if a
    newer request superseded it or a newer attempt finished first."""
    sets = {"status": status, **fields} | ({"current_attempt": attempt} if settle else {})
    newest = (
        "attempt >= :a"
        " AND (attribute_not_exists(requested_attempt) OR requested_attempt <= :a)"
        " AND (attribute_not_exists(current_attempt) OR current_attempt < :a)"
    )
    return _update_if(report_id, sets, newest, {":a": attempt}, remove=remove)


def _update_if(
    report_id: str, sets: dict[str, Any], condition: str, values: dict[str, Any], remove: tuple[str, ...] = ()
) -> bool:
    """One conditional update of the report item, as every single write goes (a lost answer
    recognised by its write id); False if the condition did not hold."""
    try:
        transact([update_request(_key(report_id), set_=sets, remove=remove, condition=condition, values=values)])
    except TransactionRefused:
        return False
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


def active_orgs(month: str) -> Iterator[str]:
    """The organisations with a shift starting or an outcome in `month`, in order, each once.

    Keys only and one organisation at a time: each Query (Limit 1) asks for the first key past
    the organisation found before (`<org>#...` sorts below `<org>$`), so the cost and the memory
    grow with the month's organisations, never with its shifts or outcomes."""
    last = None
    for org in heapq.merge(_orgs_keyed("GSI3", f"SHIFTS#{month}"), _orgs_keyed("GSI4", f"OUTCOME#{month}")):
        if org != last:
            yield org
            last = org


def _orgs_keyed(index: str, partition: str) -> Iterator[str]:
    pk, sk = f"{index}PK", f"{index}SK"
    condition: ConditionBase = Key(pk).eq(partition)
    while True:
        with translated_errors():
            found = table().query(IndexName=index, KeyConditionExpression=condition, Limit=1).get("Items", [])
        if not found:
            return
        org = str(found[0][sk]).split("#", 1)[0]
        yield org
        condition = Key(pk).eq(partition) & Key(sk).gt(f"{org}$")


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
