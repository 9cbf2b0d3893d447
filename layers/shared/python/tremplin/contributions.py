"""Contribution months toward unemployment insurance: the one place of the rule (README
"Contribution months"), used by GET /me/progress and by the programme report.

- AVIV art. 11 para. 2: contribution periods shorter than a calendar month are added up; each
  30 calendar days make one contribution month. Days of work convert to calendar days at 1.4
  (five working days are seven calendar days; BGE 122 V 256).
- AVIV art. 11 para. 1: a full calendar month counts as one contribution month, so one calendar
  month never gives more than 30 calendar days, however many days were worked in it.
- AVIV art. 11 para. 4: simultaneous jobs count once, so two shifts on one day are one day.
- AVIG art. 13 para. 1: 12 contribution months within the 24-month frame open a claim.

Days are Europe/Zurich calendar days of the work's start. Decimal throughout; the result is
rounded half up to two decimals, as API.md's example (10 days: 14 / 30 = 0.466... -> "0.47").
That never shows a threshold reached that is not (BGE 122 V 256 refuses rounding up to the
minimum): every value is a multiple of 1/150 (1.4 / 30), so the closest below a whole month is
1/150 = 0.0067 under it, which rounds to .99, never up to the whole month.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tremplin import clock
from tremplin.pay import HUNDREDTH, swiss_round

CALENDAR_DAYS_PER_WORKED_DAY = Decimal("1.4")
CALENDAR_DAYS_PER_MONTH = Decimal(30)
WINDOW_YEARS = 2  # the 24-month frame (AVIG art. 9 para. 3, art. 13 para. 1)
REQUIRED_MONTHS = 12
ZERO = Decimal(0)


@dataclass(frozen=True)
class Window:
    """The 24 months up to `last`, both days included."""

    first: date
    last: date

    def holds(self, day: date) -> bool:
        return self.first <= day <= self.last


def window(today: date) -> Window:
    """The 24 months that end today: from the day after the same date two years before
    (28 February for a 29th that year) to today."""
    try:
        back = today.replace(year=today.year - WINDOW_YEARS)
    except ValueError:  # 29 February
        back = today.replace(year=today.year - WINDOW_YEARS, day=28)
    return Window(back + timedelta(days=1), today)


def work_day(app: Mapping[str, Any]) -> date:
    """The Zurich calendar day a completed application's work started on."""
    started = (app.get("hours") or {}).get("started_at") or app["shift_starts_at"]
    return datetime.fromisoformat(str(started)).astimezone(clock.ZURICH).date()


def calendar_days(worked: Iterable[date]) -> Decimal:
    """Calendar days credited for these days of work: 1.4 each, at most 30 per calendar month."""
    per_month: dict[tuple[int, int], int] = {}
    for day in set(worked):
        per_month[(day.year, day.month)] = per_month.get((day.year, day.month), 0) + 1
    return sum(
        (min(n * CALENDAR_DAYS_PER_WORKED_DAY, CALENDAR_DAYS_PER_MONTH) for n in per_month.values()),
        ZERO,
    )


def contribution_months(worked: Iterable[date]) -> Decimal:
    """Contribution months of these days of work, two decimals, rounded half up."""
    return (calendar_days(worked) / CALENDAR_DAYS_PER_MONTH).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Progress:
    window: Window
    contribution_months: Decimal
    worked_days: int
    months_worked: int
    completed_shifts: int
    employers: int
    hours: Decimal
    gross: Decimal

    @property
    def average_monthly_gross(self) -> Decimal:
        """Gross of the window / calendar months with completed work in it, to CHF 0.05."""
        return swiss_round(self.gross / self.months_worked) if self.months_worked else ZERO.quantize(HUNDREDTH)


def progress(completed: Iterable[Mapping[str, Any]], today: date) -> Progress:
    """The progress of one participant from their completed applications (others are ignored)."""
    frame = window(today)
    inside = [a for a in completed if a.get("status") == "completed" and frame.holds(work_day(a))]
    days = {work_day(a) for a in inside}
    return Progress(
        window=frame,
        contribution_months=contribution_months(days),
        worked_days=len(days),
        months_worked=len({(d.year, d.month) for d in days}),
        completed_shifts=len(inside),
        employers=len({a["org_id"] for a in inside}),
        hours=sum((Decimal(str((a.get("pay") or {}).get("hours", 0))) for a in inside), ZERO).quantize(HUNDREDTH),
        gross=sum((Decimal(str((a.get("pay") or {}).get("gross", 0))) for a in inside), ZERO).quantize(HUNDREDTH),
    )


def months_by_participant(worked: Iterable[tuple[str, date]], today: date) -> dict[str, Decimal]:
    """Contribution months per participant as of `today`, from (participant, day of work) pairs
    (the programme report)."""
    frame = window(today)
    days: dict[str, set[date]] = {}
    for participant_id, day in worked:
        if frame.holds(day):
            days.setdefault(participant_id, set()).add(day)
    return {p: contribution_months(d) for p, d in days.items()}
