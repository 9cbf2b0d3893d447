"""The one clock every function uses.

Real time in AWS. The local stack and the tests may pin it (`POST /_local/clock`),
so offers, hours and schedules can be exercised without waiting.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

ZURICH = ZoneInfo("Europe/Zurich")

_lock = threading.Lock()
_pinned: datetime | None = None


def now() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    pinned = _pinned
    return pinned if pinned is not None else datetime.now(UTC)


def pin(instant: datetime | None) -> None:
    """Fix the time every caller of now() sees; None returns to real time."""
    global _pinned
    if instant is not None and instant.tzinfo is None:
        raise ValueError("a pinned time needs an offset")
    with _lock:
        _pinned = instant.astimezone(UTC) if instant is not None else None


def month_of(instant: datetime | str) -> str:
    """The Europe/Zurich month ("YYYY-MM") an instant falls in."""
    moment = datetime.fromisoformat(instant) if isinstance(instant, str) else instant
    return moment.astimezone(ZURICH).strftime("%Y-%m")


def iso(instant: datetime) -> str:
    """ISO 8601 with offset, second precision, in UTC (sortable as text)."""
    return instant.astimezone(UTC).isoformat(timespec="seconds")
