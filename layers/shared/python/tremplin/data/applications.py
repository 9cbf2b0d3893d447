"""Applications in the table.

APP#<id> / APP              one participant on one shift. The id is "app.<shift>.<participant>",
                            so the key itself makes it one application per participant and shift.
                            GSI1: SHIFT#<shift>#APPS / <created>#<id>   (an employer's applicant list)
                            GSI3: PARTAPP#<participant> / <starts>#<id> (a participant's own list)
                            GSI4 while something is due: DUE#<kind> / <due>#<id>, kinds offer
                            (expiry), hours (auto-approval), reminder; once ended (completed,
                            no-show, cancelled): OUTCOME#<yyyy-mm> / <org>#<id> (reports by month)
PART#<p> / SCHEDULE         the participant's held shifts {application: {start, end, minutes}}
                            and a version; every change to what they hold bumps the version
                            inside the same transaction, so two offers made at once cannot
                            both pass the overlap and weekly-hours checks.
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
    condition_check,
    put_request,
    strip_keys,
    table,
    transact,
    translated_errors,
    update_request,
)
from tremplin.data.pagination import query_all, query_page

STATUS = {"#status": "status"}


app_key = keys.application
shift_key = keys.shift
profile_key = keys.profile
schedule_key = keys.schedule
org_key = keys.org


def _clean(item: dict[str, Any] | None) -> dict[str, Any] | None:
    return strip_keys(item) if item else None


def read(*keys: dict[str, str]) -> list[dict[str, Any] | None]:
    """Consistent reads of several items in one call, storage keys stripped."""
    return [_clean(i) for i in batch_get(list(keys))]


def read_raw(*keys: dict[str, str]) -> list[dict[str, Any] | None]:
    """As read(), keeping storage keys (the schedule's version lives beside them)."""
    return batch_get(list(keys))


def get(application_id: str) -> dict[str, Any] | None:
    with translated_errors():
        item = table().get_item(Key=app_key(application_id), ConsistentRead=True).get("Item")
    return _clean(item)


def insert(app: dict[str, Any], now: str) -> None:
    """Stores a new application while the shift takes applications (in the browsing index: job
    open, shift open, organisation active) and has not started, and the participant is active.
    Raises TransactionRefused with reasons [application, shift, participant, organisation]."""
    item = {
        **app_key(app["application_id"]),
        "type": "application",
        "GSI1PK": f"SHIFT#{app['shift_id']}#APPS",
        "GSI1SK": f"{app['created_at']}#{app['application_id']}",
        "GSI3PK": f"PARTAPP#{app['participant_id']}",
        "GSI3SK": f"{app['shift_starts_at']}#{app['application_id']}",
        **{k: v for k, v in app.items() if v is not None},
    }
    transact(
        [
            put_request(item, "attribute_not_exists(PK)"),
            condition_check(
                shift_key(app["shift_id"]),
                "attribute_exists(GSI2PK) AND #status = :open AND starts_at > :now",
                STATUS,
                {":open": "open", ":now": now},
            ),
            condition_check(profile_key(app["participant_id"]), "#status = :active", STATUS, {":active": "active"}),
            condition_check(org_key(app["org_id"]), "#status = :active", STATUS, {":active": "active"}),
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
    values = {f":from{i}": s for i, s in enumerate(from_statuses)} | (extra_values or {})
    condition = f"#status IN ({', '.join(f':from{i}' for i in range(len(from_statuses)))})"
    if extra_condition:
        condition += f" AND ({extra_condition})"
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
    """Adds an interval to the participant's schedule if nobody changed it since `seen_version`."""
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
    names = {"#held": "held", "#app": application_id, "#version": "version"} | {
        f"#old{i}": a for i, a in enumerate(prune)
    }
    expression = "SET #held.#app = :interval, #version = #version + :one"
    if prune:
        expression += " REMOVE " + ", ".join(f"#held.#old{i}" for i in range(len(prune)))
    return {
        "Update": {
            "TableName": table().name,
            "Key": key,
            "UpdateExpression": expression,
            "ConditionExpression": "#version = :seen",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": {":interval": interval, ":one": 1, ":seen": seen_version},
        }
    }


def unhold(participant_id: str, application_id: str) -> dict[str, Any]:
    """Frees the application's place in the schedule; bumping the version invalidates offers
    computed from the schedule as it was."""
    return {
        "Update": {
            "TableName": table().name,
            "Key": schedule_key(participant_id),
            "UpdateExpression": "REMOVE #held.#app SET #version = #version + :one",
            "ConditionExpression": "attribute_exists(PK)",
            "ExpressionAttributeNames": {"#held": "held", "#app": application_id, "#version": "version"},
            "ExpressionAttributeValues": {":one": 1},
        }
    }


def add_to(
    key: dict[str, str], counters: dict[str, Any], condition: str | None = None, names: dict[str, str] | None = None
) -> dict[str, Any]:
    return update_request(key, add=counters, condition=condition, names=names)


def run(writes: list[dict[str, Any]]) -> None:
    transact(writes)


def list_for_shift(shift_id: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    items, nxt = query_page(
        Key("GSI1PK").eq(f"SHIFT#{shift_id}#APPS"), index="GSI1", scope=f"apps:{shift_id}", limit=limit, cursor=cursor
    )
    return [strip_keys(i) for i in items], nxt


def all_for_shift(shift_id: str) -> list[dict[str, Any]]:
    return [strip_keys(i) for i in query_all(Key("GSI1PK").eq(f"SHIFT#{shift_id}#APPS"), index="GSI1")]


def list_for_participant(
    participant_id: str, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    items, nxt = query_page(
        Key("GSI3PK").eq(f"PARTAPP#{participant_id}"),
        index="GSI3",
        scope=f"myapps:{participant_id}",
        limit=limit,
        cursor=cursor,
        forward=False,
    )
    return [strip_keys(i) for i in items], nxt


def all_for_participant(participant_id: str) -> list[dict[str, Any]]:
    return query_all(Key("GSI3PK").eq(f"PARTAPP#{participant_id}"), index="GSI3")


def scrub_free_text(app: dict[str, Any]) -> None:
    """Removes what the participant wrote in their own words; hours and pay stay."""
    removed = [f for f in ("message", "dispute_reason") if app.get(f)]
    if app.get("cancelled_by") == "participant" and app.get("cancel_reason"):
        removed.append("cancel_reason")
    names = {f"#r{i}": f for i, f in enumerate(removed)}
    paths = list(names)
    if (app.get("rating_by_participant") or {}).get("comment"):
        names |= {"#rating": "rating_by_participant", "#comment": "comment"}
        paths.append("#rating.#comment")
    if not paths:
        return
    with translated_errors():
        table().update_item(
            Key=app_key(app["application_id"]),
            UpdateExpression="REMOVE " + ", ".join(paths),
            ExpressionAttributeNames=names,
        )


def outcome_keys(month: str, org_id: str, application_id: str) -> dict[str, str]:
    """An ended application by the month of its work, on the due index's keys (replacing what was
    due): reports read a period's outcomes from here, never the whole table."""
    pk, sk = due_index.INDEX_KEYS
    return {pk: f"OUTCOME#{month}", sk: f"{org_id}#{application_id}"}


def due(kind: str, until: str) -> Iterator[dict[str, Any]]:
    """Applications whose `kind` (offer, hours, reminder) is due by `until`, one page held at a time."""
    return due_index.each(kind, until)


due_keys = due_index.keys
DUE_INDEX_KEYS = due_index.INDEX_KEYS


__all__ = ["TransactionRefused"]
