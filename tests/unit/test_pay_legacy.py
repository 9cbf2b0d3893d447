"""Pay fixed before the pay scheme (issue 16) is shown, and reported, in today's shape."""

from __future__ import annotations

from tremplin.logic import report_generation as reports
from tremplin.models.applications import Pay

LEGACY = {"hours": "3.50", "hourly_wage": "24.50", "gross": "85.75", "holiday_pay": "7.15", "total": "92.90"}


def test_legacy_pay_is_presented_faithfully_in_the_new_shape() -> None:
    assert Pay.model_validate(LEGACY).model_dump() == {
        "hours": "3.50",
        "hourly_wage": "24.50",
        "base": "85.75",  # the old gross: hours x wage
        "public_holiday": "0.00",
        "holiday": "7.15",
        "thirteenth_month": "0.00",
        "gross": "92.90",  # the old total: what was paid
        "compensation": False,
    }


def test_new_pay_is_read_as_it_is() -> None:
    new = {
        "hours": "8.00",
        "hourly_wage": "22.39",
        "base": "179.10",
        "public_holiday": "5.75",
        "holiday": "15.40",
        "thirteenth_month": "16.70",
        "gross": "216.95",
        "compensation": False,
    }
    assert Pay.model_validate(new).model_dump() == new


def test_reports_sum_legacy_and_new_pay_together() -> None:
    new = {"pay": {**Pay.model_validate(LEGACY).model_dump(), "base": "10.00", "holiday": "1.00", "gross": "11.00"}}
    assert reports._pay_sums([{"pay": LEGACY}, new]) == {
        "completed_shifts": 2,
        "hours": "7.00",
        "base": "95.75",
        "public_holiday": "0.00",
        "holiday": "8.15",
        "thirteenth_month": "0.00",
        "gross": "103.90",
    }
