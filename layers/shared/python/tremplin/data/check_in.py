"""Check-in at the site (issue 20): the key that signs the QR codes, and the writes of arrival
and departure on the application item (`check_in` map), each made once, while it is confirmed."""

from __future__ import annotations

from functools import cache
from typing import Any

from tremplin.data import applications as store
from tremplin.data.dynamo import strip_keys, write_one
from tremplin.models.applications import ApplicationStatus
from tremplin.settings import get_settings

NAMES = {"#ci": "check_in", "#arr": "arrived_at", "#dep": "departed_at"}
CONFIRMED = (ApplicationStatus.CONFIRMED.value,)


@cache
def signing_key() -> bytes:
    settings = get_settings()
    if settings.check_in_secret_arn:
        from aws_lambda_powertools.utilities.parameters import get_secret

        return str(get_secret(settings.check_in_secret_arn, max_age=3600)).encode()
    return settings.check_in_secret.encode()


def record_arrival(application_id: str, at: str, by: str) -> dict[str, Any]:
    """Arrival, unless one is recorded. Answers the application as stored after the write;
    raises TransactionRefused (with the item as found) when not confirmed or already arrived."""
    write = store.app_update(
        application_id,
        CONFIRMED,
        set_={"check_in": {"arrived_at": at, "arrival_by": by}},
        extra_condition="attribute_not_exists(#ci)",
        extra_names={"#ci": "check_in"},
    )
    return strip_keys(write_one(write, returns="ALL_NEW"))


def record_departure(application_id: str, recorded: dict[str, Any], at: str, by: str) -> dict[str, Any]:
    """Departure, once, after the arrival in `recorded` (as read: a changed one refuses)."""
    write = store.app_update(
        application_id,
        CONFIRMED,
        set_={"check_in": {**recorded, "departed_at": at, "departure_by": by}},
        extra_condition="#ci.#arr = :arrived AND attribute_not_exists(#ci.#dep)",
        extra_names=NAMES,
        extra_values={":arrived": recorded["arrived_at"]},
    )
    return strip_keys(write_one(write, returns="ALL_NEW"))
