"""Applications (APP#<id>) and the participant's schedule (PART#<p> / SCHEDULE), keyed as in
keys.py. The schedule holds the participant's held shifts {application: {start, end, minutes}}
and a version: every change to what they hold bumps it in the same transaction, so two offers
made at once cannot both pass the overlap and weekly-hours checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from boto3.dynamodb.conditions import Key

from tremplin.data import due as due_index
from tremplin.data import favourites, keys
from tremplin.data.dynamo import (
    Appended,
    Increment,
    Path,
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

STATUS = {"#status": "status"}
# A shift whose job is no longer (or never was) published to its organisation's favourites first.
FOR_EVERYONE = "(attribute_not_exists(#job.#until) OR #job.#until <= :now)"
WINDOW = {"#job": "job", "#until": "favourites_until"}


app_key = keys.application
shift_key = keys.shift
profile_key = keys.profile
schedule_key = keys.schedule
org_key = keys.org


def _clean(item: dict[str, Any] | None) -> dict[str, Any] | None:
    return strip_keys(item) if item else None


def read(*wanted: dict[str, str]) -> list[dict[str, Any] | None]:
    """Consistent reads of several items in one call, storage keys stripped."""
    return [_clean(i) for i in batch_get(list(wanted))]


def read_raw(*wanted: dict[str, str]) -> list[dict[str, Any] | None]:
    """As read(), keeping storage keys (the schedule's version lives beside them)."""
    return batch_get(list(wanted))


def get(application_id: str) -> dict[str, Any] | None:
    with translated_errors():
        item = table().get_item(Key=app_key(application_id), ConsistentRead=True).get("Item")
    return _clean(item)


def _item(app: dict[str, Any]) -> dict[str, Any]:
    indexed = keys.application_index(
        app["shift_id"], app["created_at"], app["participant_id"], app["shift_starts_at"], app["application_id"]
    )
    return {
        **app_key(app["application_id"]),
        "type": "application",
        **indexed,
        **{k: v for k, v in app.items() if v is not None},
    }


def insert(app: dict[str, Any], now: str, *, for_favourites_too: bool = False) -> None:
    """Stores a new application while the shift takes applications (in the browsing index: job
    open, shift open, organisation active) and has not started, and the participant is active;
    unless `for_favourites_too`, only once the job's favourites-first window is over.
    Raises TransactionRefused with reasons [application, shift, participant, organisation]."""
    transact(
        [
            put_request(_item(app), "attribute_not_exists(PK)"),
            condition_check(
                shift_key(app["shift_id"]),
                f"attribute_exists({GSI2.pk}) AND #status = :open AND starts_at > :now"
                + ("" if for_favourites_too else f" AND {FOR_EVERYONE}"),
                STATUS | ({} if for_favourites_too else WINDOW),
                {":open": "open", ":now": now},
            ),
            condition_check(profile_key(app["participant_id"]), "#status = :active", STATUS, {":active": "active"}),
            condition_check(org_key(app["org_id"]), "#status = :active", STATUS, {":active": "active"}),
        ]
    )


def insert_invitation(app: dict[str, Any], now: str, hold_write: dict[str, Any]) -> None:
    """Stores an application made straight as an offer (the employer's invitation) with the
    shift's slot taken and the participant's time held (`hold_write`), all or nothing: while
    the shift takes applications (browsing index, open, not started) and has a free slot, the
    participant is active and still a favourite of the organisation, and it is active.
    Raises TransactionRefused with reasons [application, shift, schedule, participant,
    organisation, favourite]."""
    transact(
        [
            put_request(_item(app), "attribute_not_exists(PK)"),
            update_request(
                shift_key(app["shift_id"]),
                add={"filled": 1},
                condition=f"attribute_exists({GSI2.pk}) AND filled < slots AND #status = :open AND starts_at > :now",
                names=STATUS,
                values={":open": "open", ":now": now},
            ),
            hold_write,
            condition_check(profile_key(app["participant_id"]), "#status = :active", STATUS, {":active": "active"}),
            condition_check(org_key(app["org_id"]), "#status = :active", STATUS, {":active": "active"}),
            favourites.still_favourite(app["org_id"], app["participant_id"]),
        ]
    )


def app_update(
    application_id: str,
    from_statuses: tuple[str, ...],
    *,
    set_: dict[str, Any] | None = None,
    remove: tuple[str, ...] = (),
    extra_condition: str = "",
    extra_values: dict[str, Any] | None = None,
    extra_names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The Update that moves an application on, only from one of `from_statuses`."""
    values: dict[str, Any] = {f":from{i}": s for i, s in enumerate(from_statuses)}
    condition = "#status IN (" + ", ".join(values) + ")"
    if extra_condition:
        condition += f" AND ({extra_condition})"
    values |= extra_values or {}
    names = STATUS | (extra_names or {})
    return update_request(
        app_key(application_id), set_=set_, remove=remove, condition=condition, names=names, values=values
    )


def take_slot(shift_id: str, now: str) -> dict[str, Any]:
    return update_request(
        shift_key(shift_id),
        add={"filled": 1},
        condition="filled < slots AND #status = :open AND starts_at > :now",
        names=STATUS,
        values={":open": "open", ":now": now},
    )


def free_slot(shift_id: str) -> dict[str, Any]:
    return update_request(shift_key(shift_id), add={"filled": -1}, condition="filled > :zero", values={":zero": 0})


def hold(
    participant_id: str, seen_version: int | None, application_id: str, interval: dict[str, Any], prune: list[str]
) -> dict[str, Any]:
    """Adds an interval to the participant's schedule if nobody changed it since `seen_version`,
    dropping the applications in `prune` (shifts long over)."""
    key = schedule_key(participant_id)
    if seen_version is None:
        return put_request(
            {
                **key,
                "type": "schedule",
                "participant_id": participant_id,
                "version": 1,
                "held": {application_id: interval},
            },
            "attribute_not_exists(PK)",
        )
    sets: dict[Path, Any] = {("held", application_id): interval, "version": Increment("version")}
    return update_request(
        key,
        set_=sets,
        remove=[("held", old) for old in prune],
        condition="#version = :seen",
        names={"#version": "version"},
        values={":seen": seen_version},
    )


def unhold(participant_id: str, application_id: str) -> dict[str, Any]:
    """Frees the application's place in the schedule; bumping the version invalidates offers
    computed from the schedule as it was."""
    return update_request(
        schedule_key(participant_id),
        set_={"version": Increment("version")},
        remove=[("held", application_id)],
        condition="attribute_exists(PK)",
    )


def add_to(
    key: dict[str, str], counters: dict[str, Any], condition: str | None = None, names: dict[str, str] | None = None
) -> dict[str, Any]:
    return update_request(key, add=counters, condition=condition, names=names)


def run(writes: list[dict[str, Any]]) -> None:
    transact(writes)


def list_for_shift(shift_id: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    items, nxt = query_page(
        Key(GSI1.pk).eq(keys.shift_applicants(shift_id)),
        index=GSI1.name,
        scope=f"apps:{shift_id}",
        limit=limit,
        cursor=cursor,
    )
    return [strip_keys(i) for i in items], nxt


def all_for_shift(shift_id: str) -> list[dict[str, Any]]:
    return [strip_keys(i) for i in query_all(Key(GSI1.pk).eq(keys.shift_applicants(shift_id)), index=GSI1.name)]


def list_for_participant(
    participant_id: str, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    items, nxt = query_page(
        Key(GSI3.pk).eq(keys.participant_applications(participant_id)),
        index=GSI3.name,
        scope=f"myapps:{participant_id}",
        limit=limit,
        cursor=cursor,
        forward=False,
    )
    return [strip_keys(i) for i in items], nxt


def all_for_participant(participant_id: str) -> list[dict[str, Any]]:
    return query_all(Key(GSI3.pk).eq(keys.participant_applications(participant_id)), index=GSI3.name)


def started_between(participant_id: str, first: str, last: str) -> list[dict[str, Any]]:
    """The participant's applications on shifts starting from `first` up to `last` (ISO instants,
    inclusive): one keyed Query on their own partition of GSI3, never the table."""
    condition = Key(GSI3.pk).eq(keys.participant_applications(participant_id)) & Key(GSI3.sk).between(
        first, keys.up_to(last)
    )
    return [strip_keys(i) for i in query_all(condition, index=GSI3.name)]


# ---------------------------------------------------------------- the reliability record (tremplin.reliability)


def record_miss(
    participant_id: str, application_id: str, kind: str, at: str, counters: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Appends a no-show or late cancellation to the profile's record (adding `counters`), for the
    move's own transaction."""
    miss = {"application_id": application_id, "kind": kind, "at": at}
    return update_request(profile_key(participant_id), set_={"misses": Appended([miss])}, add=counters)


def excuse_miss(participant_id: str, application_id: str) -> dict[str, Any]:
    """Adds the application to the profile's excused misses (a set: adding twice changes nothing)."""
    return update_request(
        profile_key(participant_id), add={"excused_misses": {application_id}}, condition="attribute_exists(PK)"
    )


def scrub_free_text(app: dict[str, Any]) -> None:
    """Removes what the participant wrote in their own words, and what an employer wrote about
    them (a rating's comment, a reference describe the person); hours, pay and the stars stay."""
    removed: list[Path] = [f for f in ("message", "dispute_reason") if app.get(f)]
    if app.get("cancelled_by") == "participant" and app.get("cancel_reason"):
        removed.append("cancel_reason")
    for side in ("rating_by_participant", "rating_by_employer"):
        if (app.get(side) or {}).get("comment"):
            removed.append((side, "comment"))
    if app.get("reference"):  # an employer's reference describes the person too
        removed.append("reference")
    if removed:
        write_one(update_request(app_key(app["application_id"]), remove=removed))


outcome_keys = keys.outcome_index
"""An ended application by the month of its work, on the due index's keys (replacing what was
due): reports read a period's outcomes from here, never the whole table."""


def due(kind: str, until: str) -> Iterator[dict[str, Any]]:
    """Applications whose `kind` (offer, hours, reminder) is due by `until`, one page held at a time."""
    return due_index.each(kind, until)


due_keys = keys.due_index
DUE_INDEX_KEYS = due_index.INDEX_KEYS


__all__ = ["TransactionRefused"]
