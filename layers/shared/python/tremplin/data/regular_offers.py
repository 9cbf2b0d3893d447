"""Offers of regular employment (ROFFER#<offer> / ROFFER), the record of an accepted one
(ROFFER#<offer> / HIRED) and the lock that lets an organisation hold one open offer per
participant (PART#<p> / HIRE#<org>), keyed as in keys.py.

Making an offer puts it and takes the lock in one transaction; answering or withdrawing it
moves it on from `open` and frees the lock in one transaction, so two offers made at once
never both stand, and an answer never meets an offer withdrawn at the same moment.
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key

from tremplin.clock import month_of
from tremplin.data import keys
from tremplin.data.dynamo import (
    batch_get,
    condition_check,
    put_request,
    strip_keys,
    transact,
    update_request,
    write_one,
)
from tremplin.data.keys import GSI1, GSI2, GSI3, GSI4
from tremplin.data.pagination import query_all, query_page

STATUS = {"#status": "status"}
IN_PROGRAMME = ("invited", "active")
"""The participant's statuses in which an offer can be made and accepted (exit moves them on)."""


def read(*wanted: dict[str, str]) -> list[dict[str, Any] | None]:
    """Consistent reads of several items in one call, storage keys stripped."""
    return [strip_keys(i) if i else None for i in batch_get(list(wanted))]


def get(offer_id: str) -> dict[str, Any] | None:
    return read(keys.regular_offer(offer_id))[0]


def offer_writes(offer: dict[str, Any]) -> list[dict[str, Any]]:
    """The new offer and the organisation's lock on the participant, while the participant is
    still in the programme. Refused: [offer, lock, participant]."""
    participant_id, org_id = offer["participant_id"], offer["org_id"]
    indexed = keys.regular_offer_index(
        org_id, participant_id, month_of(offer["created_at"]), offer["created_at"], offer["offer_id"]
    )
    item = {**keys.regular_offer(offer["offer_id"]), "type": "regular_offer", **indexed}
    item |= {k: v for k, v in offer.items() if v is not None}
    lock = update_request(
        keys.open_offer_lock(participant_id, org_id),
        set_={"type": "hire_lock", "open_offer_id": offer["offer_id"]},
        condition="attribute_not_exists(open_offer_id)",
    )
    values = {f":st{i}": s for i, s in enumerate(IN_PROGRAMME)}
    in_programme = condition_check(keys.profile(participant_id), f"#status IN ({', '.join(values)})", STATUS, values)
    return [put_request(item, "attribute_not_exists(PK)"), lock, in_programme]


def close_writes(offer: dict[str, Any], changes: dict[str, Any]) -> list[dict[str, Any]]:
    """Moves an open offer on (`changes` holds its new status) and frees the organisation's lock
    on the participant. Refused: [offer, lock]."""
    moved = update_request(
        keys.regular_offer(offer["offer_id"]),
        set_=changes,
        condition="#status = :open",
        names=STATUS,
        values={":open": "open"},
    )
    unlock = update_request(
        keys.open_offer_lock(offer["participant_id"], offer["org_id"]),
        remove=["open_offer_id"],
        condition="open_offer_id = :offer",
        values={":offer": offer["offer_id"]},
    )
    return [moved, unlock]


def hire_put(offer: dict[str, Any], accepted_at: str) -> dict[str, Any]:
    """The record of an accepted offer, by the Zurich month of its acceptance."""
    month = month_of(accepted_at)
    item = {
        **keys.regular_hire(offer["offer_id"]),
        "type": "regular_hire",
        **keys.regular_hire_index(month, offer["org_id"], offer["offer_id"]),
        "offer_id": offer["offer_id"],
        "org_id": offer["org_id"],
        "participant_id": offer["participant_id"],
        "start_date": offer["start_date"],
        "accepted_at": accepted_at,
    }
    return put_request(item, "attribute_not_exists(PK)")


def run(writes: list[dict[str, Any]]) -> None:
    transact(writes)


def _page(
    partition: str, index: str, scope: str, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    pk = {GSI1.name: GSI1.pk, GSI3.name: GSI3.pk, GSI4.name: GSI4.pk}[index]
    items, nxt = query_page(Key(pk).eq(partition), index=index, scope=scope, limit=limit, cursor=cursor, forward=False)
    return [strip_keys(i) for i in items], nxt


def list_for_org(org_id: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    return _page(keys.org_regular_offers(org_id), GSI1.name, f"roffers:org:{org_id}", limit, cursor)


def list_for_participant(
    participant_id: str, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    scope = f"roffers:participant:{participant_id}"
    return _page(keys.participant_regular_offers(participant_id), GSI3.name, scope, limit, cursor)


def list_all(limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    return _page(keys.ALL_REGULAR_OFFERS, GSI4.name, "roffers:all", limit, cursor)


def made_in(month: str) -> list[dict[str, Any]]:
    """Offers made in `month` (GSI2 holds whole items: no second read)."""
    return [strip_keys(i) for i in query_all(Key(GSI2.pk).eq(keys.regular_offers_made(month)), index=GSI2.name)]


def hired_in(month: str) -> list[dict[str, Any]]:
    """Offers accepted in `month`."""
    return [strip_keys(i) for i in query_all(Key(GSI3.pk).eq(keys.regular_hires(month)), index=GSI3.name)]


def all_for_participant(participant_id: str) -> list[dict[str, Any]]:
    """Every offer made to a participant, as stored (their export, their erasure)."""
    return query_all(Key(GSI3.pk).eq(keys.participant_regular_offers(participant_id)), index=GSI3.name)


def hire_keys(offers: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The keys of the records of the accepted ones among `offers` (their export)."""
    return [keys.regular_hire(o["offer_id"]) for o in offers if o.get("status") == "accepted"]


def scrub_message(offer: dict[str, Any]) -> None:
    """Removes the employer's message, which may speak of the person (erasure); the rest stays
    for the reports."""
    if offer.get("message"):
        write_one(update_request(keys.regular_offer(offer["offer_id"]), remove=["message"]))
