"""Favourites, keyed as in keys.py: the organisation's WORKED#<participant> item says it worked
with them (written with the completion of an application) and, while `favourite` is set, sits
in the organisation's favourites index; the participant's FAVOURED item holds the organisations
that made them a favourite, as one string set. Marking and unmarking change both together.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from boto3.dynamodb.conditions import Key

from tremplin.data import keys
from tremplin.data.dynamo import (
    TransactionRefused,
    batch_get,
    condition_check,
    strip_keys,
    table,
    transact,
    translated_errors,
    update_request,
)
from tremplin.data.keys import GSI1
from tremplin.data.pagination import query_page

relation_key = keys.worked_with
favoured_key = keys.favoured
INDEX_KEYS = (GSI1.pk, GSI1.sk)


def worked_with(org_id: str, participant_id: str, at: str) -> dict[str, Any]:
    """The write, for a completion's transaction, that records the organisation worked with the
    participant (a repeat changes only the time; a favourite stays one)."""
    return update_request(
        relation_key(org_id, participant_id),
        set_={"type": "worked_with", "org_id": org_id, "participant_id": participant_id, "last_completed_at": at},
    )


def relation_keys(participant_id: str, org_ids: Iterable[str]) -> list[dict[str, str]]:
    """The keys of the organisations' WORKED items of the participant (their export)."""
    return [relation_key(o, participant_id) for o in sorted(set(org_ids))]


def relation_and_profile(org_id: str, participant_id: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The organisation's WORKED item of the participant (None: it never worked with them) and
    the participant's profile, in one BatchGetItem."""
    relation, profile = batch_get([relation_key(org_id, participant_id), keys.profile(participant_id)])
    return (strip_keys(relation) if relation else None), (strip_keys(profile) if profile else None)


def favoured_orgs(participant_id: str) -> frozenset[str]:
    """The organisations that made the participant a favourite (one GetItem)."""
    with translated_errors():
        item = table().get_item(Key=favoured_key(participant_id), ConsistentRead=False).get("Item")
    return frozenset(str(org) for org in (item or {}).get("orgs") or ())  # type: ignore[union-attr]


def mark(org_id: str, participant_id: str, at: str) -> bool:
    """Makes a participant the organisation worked with a favourite; False if it never worked with
    them. A favourite marked again keeps its first time."""
    writes = [
        update_request(
            relation_key(org_id, participant_id),
            set_={"favourite": True, "favourited_at": at} | keys.favourite_index(org_id, at, participant_id),
            condition="attribute_exists(PK) AND attribute_not_exists(favourite)",
        ),
        update_request(
            favoured_key(participant_id),
            set_={"type": "favoured", "participant_id": participant_id},
            add={"orgs": {org_id}},
        ),
    ]
    try:
        transact(writes)
    except TransactionRefused:
        item = batch_get([relation_key(org_id, participant_id)])[0]
        return item is not None  # a favourite already (marked meanwhile): nothing to do
    return True


def unmark(org_id: str, participant_id: str) -> bool:
    """No longer a favourite (idempotent); False if the organisation never worked with them."""
    writes = [
        update_request(
            relation_key(org_id, participant_id),
            remove=("favourite", "favourited_at", *INDEX_KEYS),
            condition="attribute_exists(PK)",
        ),
        update_request(favoured_key(participant_id), delete={"orgs": {org_id}}),
    ]
    try:
        transact(writes)
    except TransactionRefused:
        return False
    return True


def still_favourite(org_id: str, participant_id: str) -> dict[str, Any]:
    """A transaction item that holds only while the participant is the organisation's favourite."""
    return condition_check(relation_key(org_id, participant_id), "attribute_exists(favourite)")


def list_page(org_id: str, limit: int, cursor: str | None) -> tuple[list[tuple[str, str]], str | None]:
    """The organisation's favourites (participant id, favourited at), newest first (one Query of
    the keys-only index, then one BatchGetItem of the items it names)."""
    items, nxt = query_page(
        Key(GSI1.pk).eq(keys.favourites_of(org_id)),
        index=GSI1.name,
        scope=f"favs:{org_id}",
        limit=limit,
        cursor=cursor,
        forward=False,
    )
    return [(str(i["participant_id"]), str(i["favourited_at"])) for i in items], nxt


def profiles(participant_ids: list[str]) -> list[dict[str, Any] | None]:
    return [strip_keys(p) if p else None for p in batch_get([keys.profile(p) for p in participant_ids])]
