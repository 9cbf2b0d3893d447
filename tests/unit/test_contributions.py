"""The contribution-month rule (tremplin.contributions; README "Contribution months"): 1.4
calendar days per Zurich day with completed work, at most 30 per calendar month, 30 to a month,
over the 24 months up to today, two decimals rounded half up."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tremplin import contributions
from tremplin.contributions import contribution_months, window

TODAY = date(2026, 11, 28)


def completed(
    started_at: str, org: str = "o1", gross: str = "216.95", hours: str = "8.00", **extra: Any
) -> dict[str, Any]:
    return {
        "status": "completed",
        "participant_id": "p1",
        "org_id": org,
        "shift_starts_at": started_at,
        "hours": {"started_at": started_at},
        "pay": {"hours": hours, "gross": gross},
        **extra,
    }


def days(first: date, n: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(n)]


def test_ten_days_are_fourteen_calendar_days_and_round_half_up() -> None:
    assert contribution_months(days(date(2026, 3, 2), 10)) == Decimal("0.47")  # 14 / 30 = 0.4666..., API.md
    assert contribution_months(days(date(2026, 3, 2), 15)) == Decimal("0.70")  # 21 / 30 exactly
    assert contribution_months([]) == Decimal("0.00")


def test_a_calendar_month_gives_at_most_one_month() -> None:
    assert contribution_months(days(date(2026, 3, 1), 31)) == Decimal("1.00")  # 43.4 capped at 30
    assert contribution_months(days(date(2026, 3, 1), 21)) == Decimal("0.98")  # 29.4
    assert contribution_months(days(date(2026, 3, 1), 22)) == Decimal("1.00")  # 30.8 capped


def test_the_cap_is_per_calendar_month_so_month_edges_matter() -> None:
    # 22 days across a month's end are two partial months: 11 x 1.4 + 11 x 1.4 = 30.8, no cap.
    across = days(date(2026, 3, 21), 22)
    assert contribution_months(across) == Decimal("1.03")  # 1.0266...
    assert contribution_months(days(date(2026, 3, 10), 22)) == Decimal("1.00")  # all in March


def test_the_window_is_the_24_months_up_to_today() -> None:
    frame = window(TODAY)
    assert (frame.first, frame.last) == (date(2024, 11, 29), TODAY)
    leap = window(date(2028, 2, 29))
    assert leap.first == date(2026, 3, 1)


def test_work_on_the_windows_edges() -> None:
    just_out = completed("2024-11-28T10:00:00+01:00")
    first_day = completed("2024-11-29T10:00:00+01:00")
    found = contributions.progress([just_out, first_day], TODAY)
    assert found.worked_days == 1 and found.contribution_months == Decimal("0.05")  # 1.4 / 30
    today = completed("2026-11-28T22:30:00+00:00")  # 23:30 in Zurich: still today
    tomorrow = completed("2026-11-28T23:30:00+00:00")  # 00:30 on the 29th in Zurich
    assert contributions.progress([today, tomorrow], TODAY).worked_days == 1


def test_days_are_zurich_days_across_daylight_saving() -> None:
    # 29 March 2026 has 23 hours: 22:30 UTC on the 28th is 23:30 CET (28th), 22:30 UTC on the
    # 29th is 00:30 CEST (30th). 25 October 2026 has 25 hours: 23:30 UTC on the 24th is the 25th.
    assert contributions.work_day(completed("2026-03-28T22:30:00+00:00")) == date(2026, 3, 28)
    assert contributions.work_day(completed("2026-03-29T22:30:00+00:00")) == date(2026, 3, 30)
    assert contributions.work_day(completed("2026-10-24T22:30:00+00:00")) == date(2026, 10, 25)
    assert contributions.work_day(completed("2026-10-25T22:30:00+00:00")) == date(2026, 10, 25)


def test_two_shifts_on_one_day_count_once_but_both_pay() -> None:
    morning = completed("2026-06-01T06:00:00+00:00", org="o1", gross="100.00", hours="4.00")
    evening = completed("2026-06-01T15:00:00+00:00", org="o2", gross="50.05", hours="2.50")
    found = contributions.progress([morning, evening], TODAY)
    assert (found.worked_days, found.completed_shifts, found.employers) == (1, 2, 2)
    assert found.contribution_months == Decimal("0.05")
    assert (found.hours, found.gross, found.average_monthly_gross) == (
        Decimal("6.50"),
        Decimal("150.05"),
        Decimal("150.05"),
    )


def test_only_completed_work_counts_and_the_average_is_per_month_worked() -> None:
    june = completed("2026-06-01T06:00:00+00:00", gross="100.00")
    july = completed("2026-07-01T06:00:00+00:00", gross="33.33")
    missed = completed("2026-08-01T06:00:00+00:00", status="no_show")
    found = contributions.progress([june, july, missed], TODAY)
    assert (found.completed_shifts, found.months_worked) == (2, 2)
    assert found.average_monthly_gross == Decimal("66.65")  # 66.665 to 0.05, half up
    assert contributions.progress([], TODAY).average_monthly_gross == Decimal("0.00")


@given(st.sets(st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)), max_size=400))
def test_months_follow_the_rule_for_any_set_of_days(worked: set[date]) -> None:
    months = contribution_months(worked)
    per_month: dict[tuple[int, int], int] = {}
    for d in worked:
        per_month[(d.year, d.month)] = per_month.get((d.year, d.month), 0) + 1
    exact = sum((min(Decimal(n) * Decimal("1.4"), Decimal(30)) for n in per_month.values()), Decimal(0)) / 30
    assert abs(months - exact) <= Decimal("0.005")  # half up
    assert exact >= int(months)  # the whole months shown are whole months reached
    assert months <= len(per_month)  # never more than one month per calendar month
    assert contribution_months(list(worked) * 2) == months  # a day twice is one day


def test_the_programme_counts_per_participant() -> None:
    june = date(2026, 6, 1)
    worked = [("p1", june), ("p2", june), ("p2", june), ("p2", date(2026, 6, 2)), ("p3", date(2024, 1, 1))]
    assert contributions.months_by_participant(worked, TODAY) == {"p1": Decimal("0.05"), "p2": Decimal("0.09")}
