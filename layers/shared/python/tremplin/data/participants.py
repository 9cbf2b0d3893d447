"""Participants (PART#<id> / PROFILE) and what lives in their partition (audit trail, exit,
suggestions), the e-mail claims that make an address enrol at most one participant, and the
monthly enrolment counts, keyed as in keys.py.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from collections.abc import Collection, Iterable
from typing import Any

from boto3.dynamodb.conditions import ConditionBase, Key

from tremplin.clock import month_of
from tremplin.data import keys
from tremplin.data.dynamo import (
    TransactionRefused,
    batch_get,
    batch_write,
    delete_request,
    put_request,
    strip_keys,
    table,
    transact,
    translated_errors,
    update_request,
    write_one,
)
from tremplin.data.keys import GSI1, GSI3, GSI4
from tremplin.data.pagination import query_all, query_page
from tremplin.errors import Conflict

EMAIL_TAKEN = Conflict("A participant with this e-mail address is already enrolled.", code="email_already_enrolled")
# The month's enrolment count is spread over this many items, so the enrolments' transactions
# (which each add one to a shard) seldom contend for the same item.
ENROLMENT_SHARDS = 10


_key = profile_key = keys.profile
_email_key = keys.email


def _index_keys(p: dict[str, Any]) -> dict[str, str]:
    return keys.participant_index(p["caseworker_id"], p["status"], p["participant_id"], month_of(p["created_at"]))


def count_enrolment(month: str) -> dict[str, Any]:
    """+1 on the month's enrolment count, as a transaction item: on one of the month's shards,
    picked at random, so that concurrent enrolments seldom hold the same item."""
    key = keys.enrolment_shard(month, secrets.randbelow(ENROLMENT_SHARDS))
    return update_request(key, set_={"type": "stats"}, add={"count": 1})


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def insert(p: dict[str, Any], audit: dict[str, Any] | None = None) -> None:
    """Stores a new participant, counts it in its month and writes its `audit` entry, in one
    transaction: the enrolment happened entirely or not at all. Its e-mail address, if any,
    must not be enrolled yet."""
    item = {**_key(p["participant_id"]), "type": "participant", **_index_keys(p), **_clean(p)}
    writes: list[dict[str, Any]] = [put_request(item, "attribute_not_exists(PK)")]
    email_write = None
    if p.get("email"):
        owner = {**_email_key(p["email"]), "type": "email", "participant_id": p["participant_id"]}
        email_write = len(writes)
        writes.append(put_request(owner, "attribute_not_exists(PK)"))
    writes.append(count_enrolment(month_of(p["created_at"])))
    if audit is not None:
        writes.append(put_request(_audit_item(audit)))
    try:
        transact(writes)
    except TransactionRefused as refused:
        if email_write is not None and refused.failed(email_write):
            raise EMAIL_TAKEN from None
        raise


def get(participant_id: str) -> dict[str, Any] | None:
    with translated_errors():
        item = table().get_item(Key=_key(participant_id), ConsistentRead=True).get("Item")
    return strip_keys(item) if item else None


def get_many(participant_ids: list[str]) -> list[dict[str, Any]]:
    """Consistent batch reads of profiles; unknown ids are left out."""
    return [strip_keys(i) for i in batch_get([_key(p) for p in participant_ids]) if i]


def list_caseload(
    caseworker_id: str, status: str | None, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    condition: ConditionBase = Key(GSI1.pk).eq(keys.caseworker(caseworker_id))
    if status:
        condition = condition & Key(GSI1.sk).begins_with(keys.status_prefix(status))
    items, nxt = query_page(
        condition, index=GSI1.name, scope=f"caseload:{caseworker_id}:{status}", limit=limit, cursor=cursor
    )
    return [strip_keys(i) for i in _still(items, status, caseworker_id)], nxt


def list_all(status: str | None, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    condition: ConditionBase = Key(GSI4.pk).eq(keys.ALL_PARTICIPANTS)
    if status:
        condition = condition & Key(GSI4.sk).begins_with(keys.status_prefix(status))
    items, nxt = query_page(condition, index=GSI4.name, scope=f"participants:{status}", limit=limit, cursor=cursor)
    return [strip_keys(i) for i in _still(items, status)], nxt


def _still(items: list[dict[str, Any]], status: str | None, caseworker_id: str | None = None) -> list[dict[str, Any]]:
    """The profiles, read by key after a Query on an index that may lag behind the table, that
    still match it: a participant moved to another caseworker is not shown to the old one."""
    return [
        i
        for i in items
        if (status is None or i["status"] == status) and (caseworker_id is None or i["caseworker_id"] == caseworker_id)
    ]


def _profile_update(
    participant_id: str,
    set_fields: dict[str, Any],
    remove_fields: Iterable[str],
    condition: str | None = None,
    names: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The Update of a profile (for a transaction) that sets and removes single fields, so
    counters other capabilities keep on the same item are never overwritten."""
    return update_request(
        _key(participant_id), set_=set_fields, remove=remove_fields, condition=condition, names=names, values=values
    )


def update(
    current: dict[str, Any],
    changes: dict[str, Any],
    *,
    allowed_statuses: Iterable[str],
    at: str,
    also: Iterable[dict[str, Any]] = (),
) -> dict[str, Any] | None:
    """Sets `changes` (a None value removes the field) while the participant is in one of
    `allowed_statuses` and its status, caseworker and e-mail address are still those read; moves
    the e-mail claim along; writes `also` (the change's audit entry among them) in the same
    transaction. Returns the profile as read with the change applied (no read back: a
    transaction returns nothing; a field another request changed in the same moment shows at the
    next read); None when the participant's status, caseworker or address changed meanwhile."""
    after = {k: v for k, v in {**current, **changes, "updated_at": at}.items() if v is not None}
    set_fields = {k: v for k, v in changes.items() if v is not None} | {"updated_at": at} | _index_keys(after)
    values: dict[str, Any] = {f":st{i}": s for i, s in enumerate(allowed_statuses)}
    condition = f"attribute_exists(PK) AND #status IN ({', '.join(values)})"
    old_email, new_email = current.get("email"), after.get("email")
    if old_email:
        values[":seen_email"] = old_email
        condition += " AND #email = :seen_email"
    else:
        condition += " AND attribute_not_exists(#email)"
    # The index keys are written from `after`: the fields they come from must be those read, or
    # a change made meanwhile (a move to another caseload, a consent) would be undone in the index.
    values |= {":seen_status": current["status"], ":seen_cw": current["caseworker_id"]}
    condition += " AND #status = :seen_status AND caseworker_id = :seen_cw"
    profile_update = _profile_update(
        current["participant_id"],
        set_fields,
        [k for k, v in changes.items() if v is None],
        condition,
        {"#status": "status", "#email": "email"},
        values,
    )
    writes: list[dict[str, Any]] = [profile_update, *also]
    if old_email != new_email:
        if old_email:
            writes.append(delete_request(_email_key(old_email)))
        if new_email:
            owner = {**_email_key(new_email), "type": "email", "participant_id": after["participant_id"]}
            writes.append(put_request(owner, "attribute_not_exists(PK)"))
    try:
        transact(writes)
    except TransactionRefused as refused:
        if new_email != old_email and new_email and refused.failed(len(writes) - 1):
            raise EMAIL_TAKEN from None
        return None
    return after


def exit_record(participant_id: str, outcome: str, date: str) -> dict[str, Any]:
    """The exit as its own item (a transaction item), indexed by the month it happened."""
    item = {
        **keys.exit_record(participant_id),
        "type": "exit",
        "participant_id": participant_id,
        "outcome": outcome,
        "date": date,
        **keys.exit_index(date[:7], participant_id),  # the month of a YYYY-MM-DD date
    }
    return put_request(item)


def enrolled_in(month: str) -> list[dict[str, Any]]:
    return [strip_keys(i) for i in query_all(Key(GSI3.pk).eq(keys.enrolled(month)), index=GSI3.name)]


def exited_in(month: str) -> list[dict[str, Any]]:
    return [strip_keys(i) for i in query_all(Key(GSI3.pk).eq(keys.exited(month)), index=GSI3.name)]


def enrolled_up_to(month: str) -> int:
    """Participants enrolled in every month up to and including `month`: the sum of every
    enrolment counter up to it (keys.enrolment_counters_up_to)."""
    items = query_all(Key("PK").eq(keys.STATS) & Key("SK").between(*keys.enrolment_counters_up_to(month)))
    return sum(int(i.get("count", 0)) for i in items)


def email_claim_key(email: str) -> dict[str, str]:
    """The key of the item that reserves an e-mail address for its participant (their export)."""
    return _email_key(email)


def erase(
    current: dict[str, Any],
    replacements: dict[str, Any],
    removed: Collection[str],
    at: str,
    also: Iterable[dict[str, Any]],
) -> dict[str, Any]:
    """Overwrites and removes the personal fields, releases the e-mail claim and writes `also`
    (the erasure's audit entry, the calendar feed's delete), in one transaction; returns the
    profile as it now is."""
    after = {**current, **replacements, "status": "erased", "updated_at": at}
    set_fields = replacements | {"status": "erased", "updated_at": at} | _index_keys(after)
    # `erasures` counts the runs: each one sets off what follows again (tremplin.events).
    profile = update_request(_key(current["participant_id"]), set_=set_fields, remove=removed, add={"erasures": 1})
    writes: list[dict[str, Any]] = [profile]
    if current.get("email"):
        # Only the participant's own claim: should the address belong to someone else by now,
        # it stays theirs (gone already, from an interrupted run, is fine too).
        claim = delete_request(
            _email_key(current["email"]),
            "attribute_not_exists(PK) OR participant_id = :p",
            values={":p": current["participant_id"]},
        )
        writes.append(claim)
    transact([*writes, *also])
    return {k: v for k, v in after.items() if k not in removed}


def bind_identity(participant_id: str, sub: str) -> None:
    """Stores the `sub` of the participant's Cognito account (not once they are erased)."""
    with contextlib.suppress(TransactionRefused):  # erased meanwhile: the erasure removes the account
        write_one(
            update_request(
                keys.profile(participant_id),
                set_={"identity_sub": sub},
                condition="attribute_exists(PK) AND #status <> :erased",
                names={"#status": "status"},
                values={":erased": "erased"},
            )
        )


def add_suggestion(s: dict[str, Any], also: Iterable[dict[str, Any]]) -> None:
    """Stores a job suggestion and writes `also` (its audit entry) in the same transaction."""
    item = {**keys.suggestion(s["participant_id"], s["created_at"], s["suggestion_id"]), "type": "suggestion"}
    transact([put_request(item | _clean(s)), *also])


def suggestions(participant_id: str) -> list[dict[str, Any]]:
    partition = keys.participant_partition(participant_id)
    return query_all(Key("PK").eq(partition) & Key("SK").begins_with(keys.SUGGESTION))


def delete_items(items: list[dict[str, Any]]) -> None:
    """Deletes items as stored (suggestions, items_under)."""
    batch_write(deletes=items)


# ---------------------------------------------------------------- audit trail


def _audit_item(e: dict[str, Any]) -> dict[str, Any]:
    key = keys.audit(e["participant_id"], e["at"], time.time_ns(), secrets.token_hex(2))
    return {**key, "type": "audit", **e}


def audit_put(entry: dict[str, Any]) -> dict[str, Any]:
    """An audit entry's Put, for the transaction of the change it records."""
    return put_request(_audit_item(entry))


def add_audit(entries: list[dict[str, Any]]) -> None:
    """Writes audit entries (one per participant read or changed)."""
    batch_write(puts=[_audit_item(e) for e in entries])


def list_audit(participant_id: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    condition = Key("PK").eq(keys.participant_partition(participant_id)) & Key("SK").begins_with(keys.AUDIT)
    items, nxt = query_page(condition, scope=f"audit:{participant_id}", limit=limit, cursor=cursor)
    return [strip_keys(i) for i in items], nxt


def items_under(participant_id: str) -> list[dict[str, Any]]:
    """Every item in the participant's own partition (profile, audit trail, suggestions), as stored."""
    return query_all(Key("PK").eq(keys.participant_partition(participant_id)))
