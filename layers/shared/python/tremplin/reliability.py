"""The reliability record on the employer's applicant card: coaching, not punishment (README
"Reliability record"). The one place of its rule.

A miss is a no-show or a late cancellation by the participant. It counts on the card for six
calendar months after the shift's start and never once a caseworker or an admin excused it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from tremplin.clock import ZURICH

MEMORY_MONTHS = 6


class MissKind(StrEnum):
    NO_SHOW = "no_show"
    LATE_CANCELLATION = "late_cancellation"


def miss_kind(app: Mapping[str, Any]) -> MissKind | None:
    """What the application counts as on the record, if anything."""
    if app.get("status") == "no_show":
        return MissKind.NO_SHOW
    if app.get("status") == "cancelled" and app.get("cancelled_by") == "participant" and app.get("cancelled_late"):
        return MissKind.LATE_CANCELLATION
    return None


def months_later(instant: datetime, months: int) -> datetime:
    """The same wall time `months` calendar months later (the month's last day if shorter)."""
    index = instant.month - 1 + months
    year, month = instant.year + index // 12, index % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - date(year, month, 1)).days
    return instant.replace(year=year, month=month, day=min(instant.day, last))


def counts(at: str, now: datetime) -> bool:
    """A miss at `at` (the shift's start) counts until six calendar months after it."""
    return now < months_later(datetime.fromisoformat(at).astimezone(ZURICH), MEMORY_MONTHS)


@dataclass(frozen=True)
class Record:
    no_shows: int
    late_cancellations: int


def record(misses: Iterable[Mapping[str, Any]], excused: Iterable[str], now: datetime) -> Record:
    """What the card shows of `misses` ({application_id, kind, at}) with `excused` application ids."""
    left_out = set(excused)
    counted = [m for m in misses if m["application_id"] not in left_out and counts(str(m["at"]), now)]
    return Record(
        no_shows=sum(1 for m in counted if m["kind"] == MissKind.NO_SHOW),
        late_cancellations=sum(1 for m in counted if m["kind"] == MissKind.LATE_CANCELLATION),
    )
