"""Reports (REPORT#<id>, listed on GSI1 and GSI3 as in keys.py): their items and attempts,
their files in S3, their queue, and the period-bounded reads they are computed from (each a
Query on a month's index key, never a scan).
"""

from __future__ import annotations

import heapq
import json
import secrets
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import ConditionBase, Key
from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

from tremplin.data import keys
from tremplin.data.dynamo import (
    BUSY_CODES,
    Increment,
    TransactionRefused,
    aws_client,
    batch_get,
    batch_write,
    error_code,
    put_request,
    strip_keys,
    table,
    translated_errors,
    update_request,
    write_one,
)
from tremplin.data.keys import GSI1, GSI2, GSI3, GSI4, Index
from tremplin.data.pagination import query_all, query_page
from tremplin.errors import ServiceUnavailable
from tremplin.settings import get_settings

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client
    from mypy_boto3_s3.type_defs import ObjectIdentifierTypeDef
    from mypy_boto3_sqs.client import SQSClient

LINK_SECONDS = 900

# Errors that pass (DynamoDB's busy codes, S3's and SQS's throttling and hiccups): the message is
# left to come back.
TRANSIENT_CODES = BUSY_CODES | frozenset(
    {
        "Throttling",
        "ThrottledException",
        "RequestThrottled",
        "TooManyRequestsException",
        "SlowDown",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "InternalError",
        "InternalFailure",
        "RequestTimeout",
        "RequestTimeoutException",
    }
)


def _s3() -> S3Client:
    return aws_client("s3")  # type: ignore[no-any-return]


def _sqs() -> SQSClient:
    return aws_client("sqs")  # type: ignore[no-any-return]


_key = keys.report


def transient(exc: BaseException) -> bool:
    """Throttling, a 5xx, a lost connection: worth trying again later, not a failed report."""
    if isinstance(exc, ClientError):
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
        return error_code(exc) in TRANSIENT_CODES or status >= 500 or status == 429
    # ServiceUnavailable: tremplin.data's name for DynamoDB's throttling once boto3 gave up.
    transient_kinds = ServiceUnavailable | BotoConnectionError | HTTPClientError | ConnectionError | TimeoutError
    return isinstance(exc, transient_kinds)


def _listed(report: dict[str, Any]) -> dict[str, str]:
    """A report is listed by its type (and organisation), newest first."""
    listing = keys.reports(report["type"], report.get("org_id"))
    return keys.report_index(listing, report["requested_at"], report["report_id"])


# Attempts. Every generation of a report has its own attempt number, taken from the item's
# `attempt` counter, and writes its files under its own keys (`reports/<id>/attempt-<n>/...`), so
# two generations never write the same object. On the item:
#
# - attempt            the last number handed out;
# - requested_attempt  the attempt of the last request (asking, the monthly run): older attempts
#                      are superseded and may not finish;
# - refresh_attempt    the attempt of the last late-outcome refresh, refresh_queued_at when,
#                      started_attempt the last attempt that began reading (a refresh queued and
#                      not started yet will see any later change: no second one is queued),
#                      refresh_sent_attempt the last refresh whose message is known sent (the
#                      refresh is saved first, its message sent second: a repeat of the call
#                      finding a queued refresh without it sends that attempt's message again);
# - current_attempt    the attempt whose outcome (files and summary, or failure) the item shows.
#                      It only grows: an attempt finishes only if it is newer, so a slower,
#                      older worker never replaces what a newer one recorded.


def request(report: dict[str, Any]) -> int:
    """Stores the report as pending (replacing an earlier run of the same period) and returns
    its attempt number; attempts asked for before it are superseded."""
    change = update_request(
        _key(report["report_id"]),
        set_={
            "type": "report",
            "report_type": report["type"],
            "period": report["period"],
            "org_id": report.get("org_id"),
            "report_id": report["report_id"],
            "status": "pending",
            "requested_at": report["requested_at"],
            "requested_by": report["requested_by"],
            **_listed(report),
            "files": {},
            # Every action reads the item as it was: both get the same, new number.
            "attempt": Increment("attempt"),
            "requested_attempt": Increment("attempt"),
        },
        remove=("generated_at", "error", "summary_json"),
    )
    return int(str(write_one(change, returns="UPDATED_NEW")["attempt"]))


def refresh(report_id: str, now: str, stale_before: str) -> int | None:
    """The attempt of an existing report whose message is to be sent, to be generated again from
    the data as it is now, without superseding the one under way (its files stay until the new
    ones are ready): a new attempt, or the refresh already queued if its message is not known
    sent (`refresh_sent`), e.g. a repeat of a call that failed between saving and sending. None
    if there is no such report, or a refresh is queued, sent, and has not started reading (queued
    after `stale_before`): that one will see the change as well."""
    change = update_request(
        _key(report_id),
        set_={"attempt": Increment("attempt"), "refresh_attempt": Increment("attempt"), "refresh_queued_at": now},
        condition=(
            "attribute_exists(PK) AND (attribute_not_exists(refresh_attempt) OR refresh_attempt <> attempt "
            "OR started_attempt = attempt OR refresh_queued_at < :stale)"
        ),
        values={":stale": stale_before},
    )
    try:
        return int(str(write_one(change, returns="UPDATED_NEW")["attempt"]))
    except TransactionRefused as refused:
        return _unsent_refresh(refused.item)


def _unsent_refresh(stored: dict[str, Any] | None) -> int | None:
    """The refresh queued on `stored` (the item as the failed condition found it: a refresh
    queued and not started) if its message is not known sent."""
    if not stored or "refresh_attempt" not in stored:
        return None
    queued = int(stored["refresh_attempt"])
    sent = stored.get("refresh_sent_attempt")
    if sent is not None and int(sent) >= queued:
        return None
    return queued


def refresh_sent(report_id: str, attempt: int) -> None:
    """Notes that the message of the refresh `attempt` was sent: a repeat queues nothing more."""
    newer = "attribute_exists(PK) AND (attribute_not_exists(refresh_sent_attempt) OR refresh_sent_attempt < :a)"
    _update_if(report_id, {"refresh_sent_attempt": attempt}, newer, {":a": attempt})  # else: a newer one was


def create_for_refresh(report: dict[str, Any]) -> int | None:
    """A report the monthly run did not know it needed (a late outcome of an organisation with
    nothing else in the month), stored as a request; None if it exists by now (then `refresh`
    it: it may be this very call's, repeated, whose message was not sent)."""
    item = {
        **_key(report["report_id"]),
        "type": "report",
        "report_type": report["type"],
        **{k: v for k, v in report.items() if k != "type"},
        **_listed(report),
        "status": "pending",
        "files": {},
        "attempt": 1,
        "requested_attempt": 1,
        "refresh_attempt": 1,
        "refresh_queued_at": report["requested_at"],
    }
    try:
        write_one(put_request(item, "attribute_not_exists(PK)"))
    except TransactionRefused:
        return None
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
        write_one(update_request(_key(report_id), set_=sets, remove=remove, condition=condition, values=values))
    except TransactionRefused:
        return False
    return True


def list_page(
    report_type: str | None, org_id: str | None, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of reports, newest first: of one type (and organisation), or all (type None)."""
    listing, on = (keys.reports(report_type, org_id), GSI1) if report_type else (keys.ALL_REPORTS, GSI3)
    items, nxt = query_page(
        Key(on.pk).eq(listing), index=on.name, scope=f"reports:{listing}", limit=limit, cursor=cursor, forward=False
    )
    return [strip_keys(i) for i in items], nxt


def add_link_audit(entries: list[dict[str, Any]]) -> None:
    """Notes who was handed links to which reports' files (one entry per report)."""
    stamp = secrets.token_hex
    batch_write(
        puts=[
            {**keys.report_audit(e["report_id"], e["at"], time.time_ns(), stamp(2)), "type": "report_audit", **e}
            for e in entries
        ]
    )


def list_link_audit(report_id: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    condition = Key("PK").eq(keys.report(report_id)["PK"]) & Key("SK").begins_with(keys.AUDIT)
    items, nxt = query_page(condition, scope=f"report-audit:{report_id}", limit=limit, cursor=cursor)
    return [strip_keys(i) for i in items], nxt


def put_file(key: str, body: str | bytes, content_type: str) -> None:
    _s3().put_object(
        Bucket=get_settings().reports_bucket,
        Key=key,
        Body=body.encode("utf-8") if isinstance(body, str) else body,
        ContentType=content_type,
        ServerSideEncryption="AES256",
    )


def delete_files_before(report_id: str, attempt: int) -> int:
    """Deletes the files of the report's attempts older than `attempt` (a versioned bucket keeps
    their last version until its lifecycle rule expires it); returns how many."""
    bucket = get_settings().reports_bucket
    old: list[ObjectIdentifierTypeDef] = []
    for page in _s3().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"reports/{report_id}/"):
        for found in page.get("Contents", []):
            number = found["Key"].split("/attempt-", 1)[-1].split("/", 1)[0]
            if number.isdigit() and int(number) < attempt:
                old.append({"Key": found["Key"]})
    for start in range(0, len(old), 1000):
        _s3().delete_objects(Bucket=bucket, Delete={"Objects": old[start : start + 1000], "Quiet": True})
    return len(old)


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
    for org in heapq.merge(_orgs_keyed(GSI3, keys.shifts_in(month)), _orgs_keyed(GSI4, keys.outcomes(month))):
        if org != last:
            yield org
            last = org


def _orgs_keyed(index: Index, partition: str) -> Iterator[str]:
    """The organisations of a partition whose sort keys are keys.org_sort, in order, each once."""
    condition: ConditionBase = Key(index.pk).eq(partition)
    while True:
        with translated_errors():
            found = table().query(IndexName=index.name, KeyConditionExpression=condition, Limit=1).get("Items", [])
        if not found:
            return
        org = keys.org_in(str(found[0][index.sk]))
        yield org
        condition = Key(index.pk).eq(partition) & Key(index.sk).gt(keys.past_org(org))


def outcomes(month: str, org_id: str | None = None) -> list[dict[str, Any]]:
    """Applications that ended in `month` as completed, no-show or cancelled."""
    condition: ConditionBase = Key(GSI4.pk).eq(keys.outcomes(month))
    if org_id:
        condition = condition & Key(GSI4.sk).begins_with(keys.org_prefix(org_id))
    return [strip_keys(i) for i in query_all(condition, index=GSI4.name)]


def shifts_starting(month: str, org_id: str | None = None) -> list[dict[str, Any]]:
    condition: ConditionBase = Key(GSI3.pk).eq(keys.shifts_in(month))
    if org_id:
        condition = condition & Key(GSI3.sk).begins_with(keys.org_prefix(org_id))
    return [strip_keys(i) for i in query_all(condition, index=GSI3.name)]


def jobs_published(month: str) -> list[dict[str, Any]]:
    return [strip_keys(i) for i in query_all(Key(GSI2.pk).eq(keys.published(month)), index=GSI2.name)]
