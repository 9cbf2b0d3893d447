"""Jobs, their shifts, and the claims that make a partner's external_ref name one job per
organisation, keyed as in keys.py. A shift carries a summary of its job for browsing, and is in
the browsing index only while it takes applications.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from typing import Any

from boto3.dynamodb.conditions import Attr, ConditionBase, Key

from tremplin.clock import month_of
from tremplin.data import keys
from tremplin.data.dynamo import (
    TransactionRefused,
    batch_get,
    condition_check,
    put_request,
    strip_keys,
    table,
    transact,
    translated_errors,
    update_request,
    write_one,
)
from tremplin.data.keys import GSI1, GSI2, GSI3
from tremplin.data.pagination import query_all, query_page
from tremplin.errors import Conflict

BROWSE_KEYS = (GSI2.pk, GSI2.sk)
FILTER_IN_MAX = 100
STATUS = {"#status": "status"}
OPEN = {":open": "open"}


job_key = keys.job
shift_key = keys.shift
org_key = keys.org
extref_key = keys.extref


def browse_keys(shift: dict[str, Any]) -> dict[str, str]:
    return keys.browse_index(shift["starts_at"], shift["shift_id"])


def published_keys(job_id: str, published_at: str) -> dict[str, str]:
    """Jobs by the month they were published, for the programme report."""
    return keys.published_index(month_of(published_at), job_id)


def _job_item(job: dict[str, Any]) -> dict[str, Any]:
    item = {
        **job_key(job["job_id"]),
        "type": "job",
        **keys.job_index(job["org_id"], job["created_at"], job["job_id"]),
        **{k: v for k, v in job.items() if v is not None},
    }
    return item | (published_keys(job["job_id"], job["published_at"]) if job.get("published_at") else {})


def _shift_item(shift: dict[str, Any], browsable: bool) -> dict[str, Any]:
    item = {
        **shift_key(shift["shift_id"]),
        "type": "shift",
        **keys.shift_month_index(month_of(shift["starts_at"]), shift["org_id"], shift["shift_id"]),
        **{k: v for k, v in shift.items() if v is not None},
    }
    return item | (browse_keys(shift) if browsable else {})


def org_is_active(org_id: str) -> dict[str, Any]:
    """A transaction item that holds only while the organisation exists and is active."""
    return condition_check(org_key(org_id), "#s = :active", {"#s": "status"}, {":active": "active"})


def insert(job: dict[str, Any], shifts: list[dict[str, Any]], browsable: bool) -> None:
    writes: list[dict[str, Any]] = [org_is_active(job["org_id"])] if browsable else []
    writes.append(put_request(_job_item(job), "attribute_not_exists(PK)"))
    writes += [put_request(_shift_item(s, browsable)) for s in shifts]
    if job.get("external_ref"):
        claim = {**extref_key(job["org_id"], job["external_ref"]), "type": "extref", "job_id": job["job_id"]}
        writes.append(put_request(claim, "attribute_not_exists(PK)"))
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
    """The shifts, in the order asked, read consistently (one BatchGetItem per 100); a shift
    asked twice comes twice, one that does not exist is left out."""
    return [strip_keys(item) for item in batch_get([shift_key(s) for s in shift_ids]) if item]


def list_org(org_id: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    items, nxt = query_page(
        Key(GSI1.pk).eq(keys.org_jobs(org_id)),
        index=GSI1.name,
        scope=f"jobs:{org_id}",
        limit=limit,
        cursor=cursor,
        forward=False,
    )
    return [strip_keys(i) for i in items], nxt


def list_all(limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    items, nxt = query_page(
        Key(GSI3.pk).eq(keys.ALL_JOBS), index=GSI3.name, scope="jobs", limit=limit, cursor=cursor, forward=False
    )
    return [strip_keys(i) for i in items], nxt


def browse(
    *,
    after: str,
    until: str | None,
    category: str | None,
    postcode: str | None,
    limit: int,
    cursor: str | None,
    now: str,
    favoured: list[str],
) -> tuple[list[dict[str, Any]], str | None]:
    """Open shifts that start after `after`, by start time: one Query on the browsing index.
    Full shifts and the filters are applied by DynamoDB (FilterExpression), not in Python; so
    are shifts still only for their organisation's favourites, unless of one of `favoured`."""
    condition: ConditionBase = Key(GSI2.pk).eq(keys.BROWSE)
    condition &= Key(GSI2.sk).between(after, keys.up_to(until)) if until else Key(GSI2.sk).gt(after)
    filters: ConditionBase = Attr("filled").lt(Attr("slots"))  # type: ignore[arg-type]
    for_everyone: ConditionBase = Attr("job.favourites_until").not_exists() | Attr("job.favourites_until").lte(now)
    for first in range(0, len(favoured), FILTER_IN_MAX):  # IN takes at most 100 operands
        for_everyone |= Attr("org_id").is_in(favoured[first : first + FILTER_IN_MAX])
    filters &= for_everyone
    if category:
        filters &= Attr("job.category").eq(category)
    if postcode:
        filters &= Attr("job.postcode").begins_with(postcode)
    scope = f"browse:{until}:{category}:{postcode}"
    # Full shifts are filtered out after the read; reading ahead keeps pages full, in one call.
    read_ahead = 4 if (category or postcode) else 2
    items, nxt = query_page(
        condition,
        index=GSI2.name,
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
    names = STATUS if condition and "#status" in condition else None
    return update_request(key, set_=sets, remove=removes, condition=condition, names=names, values=condition_values)


def publish(
    job: dict[str, Any], shifts: list[dict[str, Any]], at: str, summary: dict[str, Any], favourites_until: str | None
) -> dict[str, Any]:
    """draft -> open, and every open shift into the browsing index (with the job's summary as
    published: its favourites-first window), while the organisation is active. Returns the job
    as read with the change."""
    window = {"favourites_until": favourites_until} if favourites_until else {}
    changes = {"status": "open", "published_at": at, "updated_at": at} | window
    writes = [
        org_is_active(job["org_id"]),
        _update(
            job_key(job["job_id"]),
            changes | published_keys(job["job_id"], at),
            condition="#status = :draft",
            condition_values={":draft": "draft"},
        ),
    ]
    opened = [s for s in shifts if s["status"] == "open"]
    writes += [_update(shift_key(s["shift_id"]), browse_keys(s) | {"published_at": at, "job": summary}) for s in opened]
    try:
        transact(writes)
    except TransactionRefused as refused:
        if refused.reasons[0] == "ConditionalCheckFailed":
            raise Conflict("A suspended organisation cannot publish jobs.", code="organisation_suspended") from None
        raise Conflict("Only a draft job can be published.", code="invalid_transition") from None
    return job | changes


def update(job: dict[str, Any], changes: dict[str, Any], summary: dict[str, Any], at: str) -> dict[str, Any]:
    """Changes the job and the summary its shifts carry, together. Returns the job as read with
    the change."""
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
    return job | changes | {"updated_at": at}


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
    writes.append(put_request(_shift_item(shift, browsable)))
    try:
        transact(writes)
    except TransactionRefused as refused:
        if browsable and refused.reasons[0] == "ConditionalCheckFailed":
            raise Conflict("A suspended organisation cannot add open shifts.", code="organisation_suspended") from None
        raise Conflict("The job changed meanwhile; please reload and try again.", code="concurrent_update") from None


def cancel_shift(shift_id: str, at: str, reason: str | None) -> dict[str, Any] | None:
    """open -> cancelled, out of the browsing index: the shift as it is then (one call), or None
    if it was not open."""
    change = _update(
        shift_key(shift_id),
        {"status": "cancelled", "cancelled_at": at, "cancel_reason": reason or ""},
        removes=BROWSE_KEYS,
        condition="#status = :open",
        condition_values=OPEN,
    )
    try:
        return strip_keys(write_one(change, returns="ALL_NEW"))
    except TransactionRefused:
        return None


def cancel_job(
    job: dict[str, Any], shifts: list[dict[str, Any]], at: str, reason: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The job and its open shifts (of `shifts`, as read) cancelled at once; a shift that left
    "open" meanwhile refuses it all. Returns the job and `shifts` as read with the change."""
    cancelled = {"status": "cancelled", "cancelled_at": at, "cancel_reason": reason}
    writes = [
        _update(
            job_key(job["job_id"]),
            cancelled | {"updated_at": at},
            condition="#status IN (:draft, :open)",
            condition_values={":draft": "draft", ":open": "open"},
        ),
    ]
    open_ids = [s["shift_id"] for s in shifts if s["status"] == "open"]
    writes += [
        _update(shift_key(s), cancelled, removes=BROWSE_KEYS, condition="#status = :open", condition_values=OPEN)
        for s in open_ids
    ]
    try:
        transact(writes)
    except TransactionRefused:
        raise Conflict("The job is cancelled already, or changed meanwhile.", code="invalid_transition") from None
    after = [s | cancelled if s["shift_id"] in open_ids else s for s in shifts]
    return job | cancelled | {"updated_at": at}, after


def org_jobs(org_id: str) -> list[dict[str, Any]]:
    return [strip_keys(i) for i in query_all(Key(GSI1.pk).eq(keys.org_jobs(org_id)), index=GSI1.name)]


def set_browsable(shifts: list[dict[str, Any]], browsable: bool) -> None:
    """Puts shifts into, or takes them out of, the browsing index (idempotent; no transaction:
    applications check the organisation's status themselves)."""
    for s in shifts:
        key = shift_key(s["shift_id"])
        if not browsable:
            write_one(update_request(key, remove=BROWSE_KEYS))
            continue
        with suppress(TransactionRefused):  # cancelled meanwhile: stays out
            write_one(update_request(key, set_=browse_keys(s), condition="#status = :open", names=STATUS, values=OPEN))


def set_org_active(job_id: str, active: bool) -> None:
    write_one(update_request(job_key(job_id), set_={"org_active": active}))
