"""Jobs and shifts in the table.

JOB#<id> / JOB                  the job; GSI1: ORG#<org>#JOBS / <created>#<id> (an employer's),
                                GSI3: JOBS / <id> (all, for admins)
SHIFT#<id> / SHIFT              a shift, with a summary of its job for browsing; while it takes
                                applications also GSI2: OPEN / <starts_at>#<id> (browsing index)
EXTREF#<org>#<ref> / EXTREF     makes a partner's external_ref name one job per organisation
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from boto3.dynamodb.conditions import Attr, ConditionBase, Key
from botocore.exceptions import ClientError

from tremplin.clock import month_of
from tremplin.data import keys
from tremplin.data.dynamo import (
    TransactionRefused,
    client,
    error_code,
    strip_keys,
    table,
    transact,
    translated_errors,
    update_request,
)
from tremplin.data.pagination import query_all, query_page
from tremplin.errors import Conflict

BROWSE_PARTITION = "OPEN"


job_key = keys.job
shift_key = keys.shift
org_key = keys.org


def extref_key(org_id: str, ref: str) -> dict[str, str]:
    return {"PK": f"EXTREF#{org_id}#{ref}", "SK": "EXTREF"}


def browse_keys(shift: dict[str, Any]) -> dict[str, str]:
    return {"GSI2PK": BROWSE_PARTITION, "GSI2SK": f"{shift['starts_at']}#{shift['shift_id']}"}


def published_keys(job_id: str, published_at: str) -> dict[str, str]:
    """Jobs by the month they were published, for the programme report."""
    return {"GSI2PK": f"PUBLISHED#{month_of(published_at)}", "GSI2SK": job_id}


def _job_item(job: dict[str, Any]) -> dict[str, Any]:
    item = {
        **job_key(job["job_id"]),
        "type": "job",
        "GSI1PK": f"ORG#{job['org_id']}#JOBS",
        "GSI1SK": f"{job['created_at']}#{job['job_id']}",
        "GSI3PK": "JOBS",
        "GSI3SK": job["job_id"],
        **{k: v for k, v in job.items() if v is not None},
    }
    return item | (published_keys(job["job_id"], job["published_at"]) if job.get("published_at") else {})


def _shift_item(shift: dict[str, Any], browsable: bool) -> dict[str, Any]:
    item = {
        **shift_key(shift["shift_id"]),
        "type": "shift",
        # Shifts by the month they start in, per organisation, for the reports.
        "GSI3PK": f"SHIFTS#{month_of(shift['starts_at'])}",
        "GSI3SK": f"{shift['org_id']}#{shift['shift_id']}",
        **{k: v for k, v in shift.items() if v is not None},
    }
    return item | (browse_keys(shift) if browsable else {})


def org_is_active(org_id: str) -> dict[str, Any]:
    """A transaction item that holds only while the organisation exists and is active."""
    return {
        "ConditionCheck": {
            "TableName": table().name,
            "Key": org_key(org_id),
            "ConditionExpression": "#s = :active",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":active": "active"},
        }
    }


def insert(job: dict[str, Any], shifts: list[dict[str, Any]], browsable: bool) -> None:
    writes: list[dict[str, Any]] = [org_is_active(job["org_id"])] if browsable else []
    writes.append(
        {"Put": {"TableName": table().name, "Item": _job_item(job), "ConditionExpression": "attribute_not_exists(PK)"}}
    )
    writes += [{"Put": {"TableName": table().name, "Item": _shift_item(s, browsable)}} for s in shifts]
    if job.get("external_ref"):
        claim = {**extref_key(job["org_id"], job["external_ref"]), "type": "extref", "job_id": job["job_id"]}
        writes.append(
            {"Put": {"TableName": table().name, "Item": claim, "ConditionExpression": "attribute_not_exists(PK)"}}
        )
    try:
        transact(writes)
    except TransactionRefused as refused:
        if browsable and refused.reasons[0] == "ConditionalCheckFailed":
            raise Conflict("A suspended organisation cannot publish jobs.", code="organisation_suspended") from None
        if job.get("external_ref") and refused.reasons[-1] == "ConditionalCheckFailed":
            raise Conflict("A job with this external_ref exists already.", code="external_ref_taken") from None
        raise


def get_job(job_id: str) -> dict[str, Any] | None:
    with translated_errors():
        item = table().get_item(Key=job_key(job_id), ConsistentRead=True).get("Item")
    return strip_keys(item) if item else None


def job_by_external_ref(org_id: str, ref: str) -> str | None:
    with translated_errors():
        item = table().get_item(Key=extref_key(org_id, ref), ConsistentRead=True).get("Item")
    return str(item["job_id"]) if item else None


def get_shift(shift_id: str) -> dict[str, Any] | None:
    with translated_errors():
        item = table().get_item(Key=shift_key(shift_id), ConsistentRead=True).get("Item")
    return strip_keys(item) if item else None


def get_shifts(shift_ids: Iterable[str]) -> list[dict[str, Any]]:
    """The shifts, in the order asked, read consistently (one BatchGetItem per 100)."""
    wanted = list(shift_ids)
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), 100):
        keys = [shift_key(s) for s in wanted[start : start + 100]]
        request: dict[str, Any] = {table().name: {"Keys": keys, "ConsistentRead": True}}
        while request:
            with translated_errors():
                answer = client().batch_get_item(RequestItems=request)
            for item in answer["Responses"].get(table().name, []):
                found[str(item["shift_id"])] = strip_keys(item)
            request = dict(answer.get("UnprocessedKeys") or {})
    return [found[s] for s in wanted if s in found]


def list_org(org_id: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    items, nxt = query_page(
        Key("GSI1PK").eq(f"ORG#{org_id}#JOBS"),
        index="GSI1",
        scope=f"jobs:{org_id}",
        limit=limit,
        cursor=cursor,
        forward=False,
    )
    return [strip_keys(i) for i in items], nxt


def list_all(limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    items, nxt = query_page(
        Key("GSI3PK").eq("JOBS"), index="GSI3", scope="jobs", limit=limit, cursor=cursor, forward=False
    )
    return [strip_keys(i) for i in items], nxt


def browse(
    *, after: str, until: str | None, category: str | None, postcode: str | None, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """Open shifts that start after `after`, by start time: one Query on the browsing index.
    Full shifts and the filters are applied by DynamoDB (FilterExpression), not in Python."""
    condition: ConditionBase = Key("GSI2PK").eq(BROWSE_PARTITION)
    condition &= Key("GSI2SK").between(after, f"{until}~") if until else Key("GSI2SK").gt(after)
    filters: ConditionBase = Attr("filled").lt(Attr("slots"))  # type: ignore[arg-type]
    if category:
        filters &= Attr("job.category").eq(category)
    if postcode:
        filters &= Attr("job.postcode").begins_with(postcode)
    scope = f"browse:{until}:{category}:{postcode}"
    # Full shifts are filtered out after the read; reading ahead keeps pages full, in one call.
    read_ahead = 4 if (category or postcode) else 2
    items, nxt = query_page(
        condition,
        index="GSI2",
        scope=scope,
        limit=limit,
        cursor=cursor,
        filter_expression=filters,
        read_ahead=read_ahead,
    )
    return [strip_keys(i) for i in items], nxt


def _update(
    key: dict[str, str],
    sets: dict[str, Any],
    *,
    removes: Iterable[str] = (),
    condition: str | None = None,
    condition_values: dict[str, Any] | None = None,
) -> dict[str, Any]:
    names = {"#status": "status"} if condition and "#status" in condition else None
    return update_request(key, set_=sets, remove=removes, condition=condition, names=names, values=condition_values)


def publish(job: dict[str, Any], shifts: list[dict[str, Any]], at: str) -> None:
    """draft -> open, and every open shift into the browsing index, while the organisation is active."""
    writes = [
        org_is_active(job["org_id"]),
        _update(
            job_key(job["job_id"]),
            {"status": "open", "published_at": at, "updated_at": at} | published_keys(job["job_id"], at),
            condition="#status = :draft",
            condition_values={":draft": "draft"},
        ),
    ]
    opened = [s for s in shifts if s["status"] == "open"]
    writes += [_update(shift_key(s["shift_id"]), browse_keys(s) | {"published_at": at}) for s in opened]
    try:
        transact(writes)
    except TransactionRefused as refused:
        if refused.reasons[0] == "ConditionalCheckFailed":
            raise Conflict("A suspended organisation cannot publish jobs.", code="organisation_suspended") from None
        raise Conflict("Only a draft job can be published.", code="invalid_transition") from None


def update(job: dict[str, Any], changes: dict[str, Any], summary: dict[str, Any], at: str) -> None:
    """Changes the job and the summary its shifts carry, together."""
    writes = [
        _update(
            job_key(job["job_id"]),
            {**changes, "updated_at": at},
            condition="#status IN (:draft, :open)",
            condition_values={":draft": "draft", ":open": "open"},
        ),
    ]
    writes += [_update(shift_key(s), {"job": summary}) for s in job.get("shift_ids", [])]
    try:
        transact(writes)
    except TransactionRefused:
        raise Conflict("A cancelled job cannot be changed.", code="invalid_transition") from None


def add_shift(job: dict[str, Any], shift: dict[str, Any], browsable: bool, max_shifts: int) -> None:
    writes = [org_is_active(job["org_id"])] if browsable else []
    writes.append(
        _update(
            job_key(job["job_id"]),
            {"shift_ids": job["shift_ids"] + [shift["shift_id"]], "updated_at": shift["created_at"]},
            condition="#status = :seen_status AND size(shift_ids) = :seen_count AND size(shift_ids) < :max",
            condition_values={":seen_status": job["status"], ":seen_count": len(job["shift_ids"]), ":max": max_shifts},
        )
    )
    writes.append({"Put": {"TableName": table().name, "Item": _shift_item(shift, browsable)}})
    try:
        transact(writes)
    except TransactionRefused as refused:
        if browsable and refused.reasons[0] == "ConditionalCheckFailed":
            raise Conflict("A suspended organisation cannot add open shifts.", code="organisation_suspended") from None
        raise Conflict("The job changed meanwhile; please reload and try again.", code="concurrent_update") from None


def cancel_shift(shift_id: str, at: str, reason: str | None) -> bool:
    """open -> cancelled, out of the browsing index; False if it was not open."""
    change = _update(
        shift_key(shift_id),
        {"status": "cancelled", "cancelled_at": at, "cancel_reason": reason or ""},
        removes=["GSI2PK", "GSI2SK"],
        condition="#status = :open",
        condition_values={":open": "open"},
    )
    try:
        transact([change])
    except TransactionRefused:
        return False
    return True


def cancel_job(job: dict[str, Any], open_shift_ids: list[str], at: str, reason: str) -> None:
    writes = [
        _update(
            job_key(job["job_id"]),
            {"status": "cancelled", "cancelled_at": at, "cancel_reason": reason, "updated_at": at},
            condition="#status IN (:draft, :open)",
            condition_values={":draft": "draft", ":open": "open"},
        ),
    ]
    writes += [
        _update(
            shift_key(s),
            {"status": "cancelled", "cancelled_at": at, "cancel_reason": reason},
            removes=["GSI2PK", "GSI2SK"],
            condition="#status = :open",
            condition_values={":open": "open"},
        )
        for s in open_shift_ids
    ]
    try:
        transact(writes)
    except TransactionRefused:
        raise Conflict("The job is cancelled already, or changed meanwhile.", code="invalid_transition") from None


def org_jobs(org_id: str) -> list[dict[str, Any]]:
    return [strip_keys(i) for i in query_all(Key("GSI1PK").eq(f"ORG#{org_id}#JOBS"), index="GSI1")]


def set_browsable(shifts: list[dict[str, Any]], browsable: bool) -> None:
    """Puts shifts into, or takes them out of, the browsing index (idempotent; no transaction:
    applications check the organisation's status themselves)."""
    for s in shifts:
        key = shift_key(s["shift_id"])
        try:
            with translated_errors():
                if browsable:
                    table().update_item(
                        Key=key,
                        UpdateExpression="SET GSI2PK = :pk, GSI2SK = :sk",
                        ConditionExpression="#status = :open",
                        ExpressionAttributeNames={"#status": "status"},
                        ExpressionAttributeValues={
                            ":pk": BROWSE_PARTITION,
                            ":sk": browse_keys(s)["GSI2SK"],
                            ":open": "open",
                        },
                    )
                else:
                    table().update_item(Key=key, UpdateExpression="REMOVE GSI2PK, GSI2SK")
        except ClientError as exc:
            if error_code(exc) != "ConditionalCheckFailedException":  # cancelled meanwhile: stays out
                raise


def set_org_active(job_id: str, active: bool) -> None:
    with translated_errors():
        table().update_item(
            Key=job_key(job_id), UpdateExpression="SET org_active = :a", ExpressionAttributeValues={":a": active}
        )
