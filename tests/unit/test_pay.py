"""Worked time and the base of pay, computed by hand, to the centime (the rest of the pay rules:
tests/unit/test_pay_rules.py)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from tremplin import pay


@pytest.mark.parametrize(
    ("start", "end", "break_minutes", "wage", "expected"),
    [
        # Ordinary: 4 h x 25.00 = 100.00; 8.33 % = 8.33 -> 8.35; total 108.35.
        ("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00", 0, "25.00", ("4.00", "100.00", "8.35", "108.35")),
        # With a break: 9 h - 45 min = 8.25 h x 23.35 = 192.6375 -> 192.65; 16.0477 -> 16.05.
        ("2026-12-01T08:00:00+01:00", "2026-12-01T17:00:00+01:00", 45, "23.35", ("8.25", "192.65", "16.05", "208.70")),
        # Night across midnight: 8 h - 30 min = 7.5 h x 26.00 = 195.00; 16.2435 -> 16.25.
        ("2026-12-04T22:00:00+01:00", "2026-12-05T06:00:00+01:00", 30, "26.00", ("7.50", "195.00", "16.25", "211.25")),
        # Spring forward: 22:00 to 06:00 on the wall clock is 7 real hours: 168.00; 13.9944 -> 14.00.
        ("2026-03-28T22:00:00+01:00", "2026-03-29T06:00:00+02:00", 0, "24.00", ("7.00", "168.00", "14.00", "182.00")),
        # Fall back: 22:00 to 06:00 on the wall clock is 9 real hours: 216.00; 17.9928 -> 18.00.
        ("2026-10-24T22:00:00+02:00", "2026-10-25T06:00:00+01:00", 0, "24.00", ("9.00", "216.00", "18.00", "234.00")),
        # A third of an hour: 20 min x 21.00 = 7.00; 0.5831 -> 0.60.
        ("2026-12-01T08:00:00+01:00", "2026-12-01T08:20:00+01:00", 0, "21.00", ("0.33", "7.00", "0.60", "7.60")),
    ],
)
def test_pay_by_hand(start: str, end: str, break_minutes: int, wage: str, expected: tuple[str, str, str, str]) -> None:
    minutes = pay.worked_minutes(datetime.fromisoformat(start), datetime.fromisoformat(end), break_minutes)
    amounts = pay.application_pay(minutes, Decimal(wage), pay.FIRST_VERSION, 30)
    assert (amounts["hours"], amounts["base"]) == expected[:2]  # the old rule's gross was today's base


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [
        ("0.02", "0.00"),
        ("0.025", "0.05"),
        ("0.07", "0.05"),
        ("0.075", "0.10"),
        ("10.124", "10.10"),
        ("10.125", "10.15"),
    ],
)
def test_swiss_rounding_is_to_five_centimes_half_up(amount: str, rounded: str) -> None:
    assert str(pay.swiss_round(Decimal(amount))) == rounded
