"""The pay scheme (PRODUCT.md, Hours and pay): dated versions of the rates, minimum wages,
deductions and income allowance that pay a shift. Every figure is a decimal string ("0.032",
"22.39", "182"), never a JSON number, so no binary fraction ever enters the arithmetic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints

from tremplin.models import Model, Strict

_DECIMAL = r"^(0|[1-9][0-9]{0,8})(\.[0-9]{1,6})?$"


def _at_most_one(value: str) -> str:
    if Decimal(value) > 1:
        raise ValueError("must be a rate between 0 and 1, e.g. 0.032 for 3.2 %")
    return value


def _positive(value: str) -> str:
    if Decimal(value) <= 0:
        raise ValueError("must be more than 0")
    return value


DecimalText = Annotated[
    str,
    StringConstraints(pattern=_DECIMAL),
    Field(description='A decimal string, at least 0, e.g. "22.39" (up to 6 decimals; no sign, no exponent)'),
]
Rate = Annotated[
    str,
    StringConstraints(pattern=_DECIMAL),
    AfterValidator(_at_most_one),
    Field(description='A rate between 0 and 1 as a decimal string, e.g. "0.032" for 3.2 %'),
]
Amount = DecimalText
"""An amount in CHF or a number of hours, at least 0."""
PositiveAmount = Annotated[DecimalText, AfterValidator(_positive)]
WageClass = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$"), Field(description="e.g. unskilled, skilled")
]


class Deductions(Strict):
    """Employee deductions, rates of a payslip's gross."""

    ahv_iv_eo: Rate
    alv: Rate
    nbu: Rate
    nbu_min_weekly_hours: Amount = Field(description="NBU is deducted only from this weekly average of hours on")
    ktg: Rate
    gav: Rate
    bvg: Rate


class IncomeAllowance(Strict):
    """Einkommensfreibetrag (SKOS E.1.2): the full amount a month at full time, pro rata to the hours."""

    full_amount: Amount
    full_time_hours: PositiveAmount


class PaySchemeVersion(Strict):
    """One version, in force from `valid_from` (a Europe/Zurich date) until the next one's."""

    valid_from: dt.date
    minimum_wages: dict[WageClass, Amount] = Field(
        min_length=1, description='Minimum base wage per wage class, CHF an hour, e.g. {"unskilled": "22.39"}'
    )
    public_holiday_rate: Rate
    holiday_rate: Rate
    holiday_rate_under_20_or_50_plus: Rate
    thirteenth_month_rate: Rate
    deductions: Deductions
    income_allowance: IncomeAllowance


class PayScheme(Model):
    """Every version, oldest first."""

    versions: list[PaySchemeVersion]


FIRST_VERSION: dict[str, Any] = {
    "valid_from": "2026-01-01",
    "minimum_wages": {"unskilled": "22.39"},
    "public_holiday_rate": "0.032",
    "holiday_rate": "0.0833",
    "holiday_rate_under_20_or_50_plus": "0.106",
    "thirteenth_month_rate": "0.0833",
    "deductions": {
        "ahv_iv_eo": "0.053",
        "alv": "0.011",
        "nbu": "0.0142",
        "nbu_min_weekly_hours": "8",
        "ktg": "0.001",
        "gav": "0.004",
        "bvg": "0",
    },
    "income_allowance": {"full_amount": "600", "full_time_hours": "182"},
}
"""PRODUCT.md's defaults: the scheme while no admin has stored a version (as the API shows it)."""
