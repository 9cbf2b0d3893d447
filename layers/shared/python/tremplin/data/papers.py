"""Issued papers (VERIFY#<code> / VERIFY, PART#<p> / PAPER#<code>) and the work they confirm.

Issuing a paper stores its verification record (what the public check answers, plus the holder
and the document's hash, which only the office reads) and a note in the holder's partition, in
one transaction; the note is how an erasure finds the records without a scan.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from boto3.dynamodb.conditions import Key

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
    update_request,
    write_one,
)
from tremplin.data.keys import GSI3
from tremplin.data.pagination import query_all

HOLDER_FIELDS = ("participant_id", "document_sha256")
"""What ties a verification record to its holder: removed when the holder is erased."""


def issue(record: dict[str, Any], also: Sequence[dict[str, Any]] = ()) -> bool:
    """Stores a paper's verification record and the holder's note of it, together with the
    unconditional writes `also` (a staff download's audit entry); False (and nothing written)
    when the code is taken already."""
    code, holder = record["code"], record["participant_id"]
    note = {"code": code, "document": record["document"], "issued_at": record["issued_at"]}
    try:
        transact(
            [
                put_request({**keys.verification(code), "type": "verification", **record}, "attribute_not_exists(PK)"),
                put_request({**keys.paper(holder, code), "type": "paper", **note}, "attribute_not_exists(PK)"),
                *also,
            ]
        )
    except TransactionRefused:
        return False
    return True


def verification(code: str) -> dict[str, Any] | None:
    with translated_errors():
        item = table().get_item(Key=keys.verification(code)).get("Item")
    return strip_keys(item) if item else None


def issued_to(participant_id: str) -> list[dict[str, Any]]:
    """The holder's notes of the papers issued to them (an erasure's list)."""
    condition = Key("PK").eq(keys.participant_partition(participant_id)) & Key("SK").begins_with(keys.PAPER)
    return query_all(condition)


def record_keys(notes: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The keys of the verification records the holder's notes name (their export)."""
    return [keys.verification(note["code"]) for note in notes]


def forget_holder(participant_id: str, code: str) -> None:
    """Unties a verification record from its erased holder (it still says the paper is genuine)
    and then drops the holder's note: run again, it finishes what an interrupted run left."""
    untie = update_request(keys.verification(code), remove=list(HOLDER_FIELDS), condition="attribute_exists(PK)")
    with contextlib.suppress(TransactionRefused):  # no record to untie: nothing of the holder is left there
        write_one(untie)
    write_one(delete_request(keys.paper(participant_id, code)))


def work_between(participant_id: str, first: str | None, last: str) -> list[dict[str, Any]]:
    """The participant's applications whose shift starts between the sort keys `first` (None:
    from their first) and `last` (their own applications by start, GSI3), whole, oldest first."""
    starts = Key(GSI3.sk).lte(last) if first is None else Key(GSI3.sk).between(first, last)
    condition = Key(GSI3.pk).eq(keys.participant_applications(participant_id)) & starts
    return [strip_keys(i) for i in query_all(condition, index=GSI3.name)]


def read(*wanted: dict[str, str]) -> list[dict[str, Any] | None]:
    """Consistent reads of several items (jobs, organisations), keys stripped."""
    return [strip_keys(i) if i else None for i in batch_get(list(wanted))]
