"""Pay lines and payslips (PART#<p> / PAYLINE#<application>, PART#<p> / PAYSLIP#<run month>).

A pay line is written in the same transaction that fixes an application's pay (approval, or a
late cancellation's compensation) and sits in the due index (`payroll`) until a payroll run puts
it on a payslip. Issuing a payslip is one transaction: the payslip is put only if its id is new
and each of its lines is deleted only if it is still there, so a line is on exactly one payslip
however many runs meet it, at once or one after another.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from boto3.dynamodb.conditions import Key

from tremplin.data import due as due_index
from tremplin.data import keys
from tremplin.data.dynamo import (
    TransactionRefused,
    batch_get,
    delete_request,
    put_request,
    strip_keys,
    table,
    transact,
    translated_errors,
)
from tremplin.data.keys import GSI3
from tremplin.data.pagination import query_all, query_page

DUE_KIND = "payroll"
MAX_LINES = 99
"""A payslip and the deletion of each of its lines make one transaction of at most 100 items."""


def line_put(line: dict[str, Any]) -> dict[str, Any]:
    """The Put of an application's pay line, for the transaction that fixes its pay. The line
    holds what the payslip shows of it; the due index keeps it until a payroll run takes it."""
    due = keys.due_index(DUE_KIND, line["completed_at"], line["application_id"])
    item = {**keys.pay_line(line["participant_id"], line["application_id"]), "type": "pay_line", **due, **line}
    return put_request(item, "attribute_not_exists(PK)")


def pending(until: str) -> Iterator[dict[str, Any]]:
    """Pay lines due by `until` (every line not yet on a payslip), oldest first, a page at a time."""
    return due_index.each(DUE_KIND, until)


def issue(payslip: dict[str, Any], lines: list[dict[str, Any]]) -> bool:
    """Stores `payslip` and takes its `lines` off the waiting list, together; False when a run
    got there first (the payslip exists, or a line is on another one): nothing is written."""
    if not 0 < len(lines) <= MAX_LINES:
        raise ValueError(f"a payslip holds 1 to {MAX_LINES} lines, not {len(lines)}")
    key = keys.payslip(payslip["payslip_id"])
    if key is None:
        raise ValueError(f"not a payslip id: {payslip['payslip_id']!r}")
    indexed = keys.payslip_index(payslip["payout_date"][:7], payslip["participant_id"], payslip["payslip_id"])
    writes = [put_request({**key, "type": "payslip", **indexed, **payslip}, "attribute_not_exists(PK)")]
    writes += [
        delete_request(keys.pay_line(line["participant_id"], line["application_id"]), "attribute_exists(PK)")
        for line in lines
    ]
    try:
        transact(writes)
    except TransactionRefused:
        return False
    return True


def get(payslip_id: str) -> dict[str, Any] | None:
    key = keys.payslip(payslip_id)
    if key is None:
        return None
    with translated_errors():
        item = table().get_item(Key=key, ConsistentRead=True).get("Item")
    return strip_keys(item) if item else None


def list_for(participant_id: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """A participant's payslips, newest first."""
    items, nxt = query_page(
        Key("PK").eq(keys.participant_partition(participant_id)) & Key("SK").begins_with(keys.PAYSLIP),
        scope=f"payslips:{participant_id}",
        limit=limit,
        cursor=cursor,
        forward=False,
    )
    return [strip_keys(i) for i in items], nxt


def all_for(participant_id: str) -> list[dict[str, Any]]:
    """Every payslip of a participant (an erasure finds the statements that named them)."""
    condition = Key("PK").eq(keys.participant_partition(participant_id)) & Key("SK").begins_with(keys.PAYSLIP)
    return [strip_keys(i) for i in query_all(condition)]


def paid_in(month: str) -> list[dict[str, Any]]:
    """Every payslip whose payout date lies in `month` (the index holds that month's alone)."""
    return [strip_keys(i) for i in query_all(Key(GSI3.pk).eq(keys.payslips_paid(month)), index=GSI3.name)]


def read(*wanted: dict[str, str]) -> list[dict[str, Any] | None]:
    """Consistent reads of several items (profiles, organisations, the pay scheme), keys stripped."""
    return [strip_keys(i) if i else None for i in batch_get(list(wanted))]
