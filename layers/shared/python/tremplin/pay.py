"""Pay, computed once, on approval, with Decimal.

The pay scheme (PRODUCT.md "Hours and pay"): dated `PaySchemeVersion`s; `application_pay` builds
an application's pay the GAV Personalverleih way (base, public holiday, holiday, 13th month);
`payslip_totals` gives a payslip's deductions, net pay, income allowance and counted income.

Every amount is rounded to CHF 0.05 (Swiss rounding, half up); hours are shown to the hundredth.
Pure: no I/O, Decimal only.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any, TypedDict

from tremplin.errors import Conflict, field_error
from tremplin.models import pay_scheme

FIVE_CENTIMES = Decimal("0.05")
HUNDREDTH = Decimal("0.01")


def swiss_round(amount: Decimal) -> Decimal:
    return ((amount / FIVE_CENTIMES).quantize(Decimal(1), rounding=ROUND_HALF_UP) * FIVE_CENTIMES).quantize(HUNDREDTH)


def worked_minutes(started_at: datetime, ended_at: datetime, break_minutes: int) -> int:
    """Real elapsed minutes (aware datetimes: daylight-saving changes count as they happen)."""
    return int((ended_at - started_at).total_seconds() // 60) - break_minutes


# --- Swiss temporary-staffing rules (PRODUCT.md "Hours and pay") --------------------------------

COMPENSATION_MAX_MINUTES = 4 * 60
"""A late cancellation by the employer pays the planned hours, at most 4."""

DEDUCTIONS = ("ahv_iv_eo", "alv", "nbu", "ktg", "gav", "bvg")
"""The deductions a payslip shows, in its order (`Deductions` also holds NBU's threshold)."""


def _rate(name: str, value: Decimal) -> None:
    if not Decimal(0) <= value <= Decimal(1):
        raise ValueError(f"{name} must be a rate between 0 and 1, not {value}")


@dataclass(frozen=True)
class Deductions:
    """Employee deductions, shares of a payslip's gross (NBU only from its weekly threshold)."""

    ahv_iv_eo: Decimal
    alv: Decimal
    nbu: Decimal
    nbu_min_weekly_hours: Decimal
    ktg: Decimal
    gav: Decimal
    bvg: Decimal

    def __post_init__(self) -> None:
        for name in DEDUCTIONS:
            _rate(name, getattr(self, name))
        if self.nbu_min_weekly_hours < 0:
            raise ValueError("nbu_min_weekly_hours must be at least 0")


@dataclass(frozen=True)
class IncomeAllowance:
    """The allowance the social office leaves out of counted income (SKOS E.1.2)."""

    full_amount: Decimal
    full_time_hours: Decimal

    def __post_init__(self) -> None:
        if self.full_amount < 0 or self.full_time_hours <= 0:
            raise ValueError("the income allowance needs an amount of at least 0 and full-time hours above 0")


@dataclass(frozen=True)
class PaySchemeVersion:
    """One dated version of the pay scheme, exactly the fields of `GET /pay-scheme`, as Decimals.
    The API's contract model (strings) converts with `from_json` / `to_json`; a version holds
    only what the arithmetic needs and checks only what keeps it sound (rates 0 to 1, amounts
    at least 0, full-time hours above 0). A shift is paid by `version_in_force` on its date."""

    valid_from: date
    minimum_wages: Mapping[str, Decimal]
    public_holiday_rate: Decimal
    holiday_rate: Decimal
    holiday_rate_under_20_or_50_plus: Decimal
    thirteenth_month_rate: Decimal
    deductions: Deductions
    income_allowance: IncomeAllowance

    def __post_init__(self) -> None:
        object.__setattr__(self, "minimum_wages", MappingProxyType(dict(self.minimum_wages)))
        for name in _RATES:
            _rate(name, getattr(self, name))
        if any(wage < 0 for wage in self.minimum_wages.values()):
            raise ValueError("minimum wages must be at least 0")

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> PaySchemeVersion:
        """From the API's shape (decimal strings; Decimals, as DynamoDB gives them, do too)."""
        deductions, allowance = body["deductions"], body["income_allowance"]
        return cls(
            valid_from=date.fromisoformat(str(body["valid_from"])),
            minimum_wages={str(name): _decimal(wage) for name, wage in body["minimum_wages"].items()},
            public_holiday_rate=_decimal(body["public_holiday_rate"]),
            holiday_rate=_decimal(body["holiday_rate"]),
            holiday_rate_under_20_or_50_plus=_decimal(body["holiday_rate_under_20_or_50_plus"]),
            thirteenth_month_rate=_decimal(body["thirteenth_month_rate"]),
            deductions=Deductions(**{name: _decimal(deductions[name]) for name in _DEDUCTION_FIELDS}),
            income_allowance=IncomeAllowance(
                full_amount=_decimal(allowance["full_amount"]), full_time_hours=_decimal(allowance["full_time_hours"])
            ),
        )

    def to_json(self) -> dict[str, Any]:
        """The API's shape: every figure a decimal string."""
        return {
            "valid_from": self.valid_from.isoformat(),
            "minimum_wages": {name: str(wage) for name, wage in self.minimum_wages.items()},
            "public_holiday_rate": str(self.public_holiday_rate),
            "holiday_rate": str(self.holiday_rate),
            "holiday_rate_under_20_or_50_plus": str(self.holiday_rate_under_20_or_50_plus),
            "thirteenth_month_rate": str(self.thirteenth_month_rate),
            "deductions": {name: str(getattr(self.deductions, name)) for name in _DEDUCTION_FIELDS},
            "income_allowance": {
                "full_amount": str(self.income_allowance.full_amount),
                "full_time_hours": str(self.income_allowance.full_time_hours),
            },
        }


_RATES = ("public_holiday_rate", "holiday_rate", "holiday_rate_under_20_or_50_plus", "thirteenth_month_rate")
_DEDUCTION_FIELDS = ("ahv_iv_eo", "alv", "nbu", "nbu_min_weekly_hours", "ktg", "gav", "bvg")


def _decimal(value: object) -> Decimal:
    """A decimal string or Decimal as a Decimal; a float (a binary fraction) is refused."""
    if isinstance(value, bool | float) or not isinstance(value, str | int | Decimal):
        raise TypeError(f"expected a decimal string, not {value!r}")
    return Decimal(value)


FIRST_VERSION = PaySchemeVersion.from_json(pay_scheme.FIRST_VERSION)
"""PRODUCT.md's defaults (GAV Personalverleih, Bern agglomeration, 2026), as the API shows them."""


def version_in_force(versions: Iterable[PaySchemeVersion], day: date) -> PaySchemeVersion:
    """The version whose `valid_from` is the latest not after `day` (of two with the same
    `valid_from`, the one listed last). Conflict (409, `no_pay_scheme_version`) when none is."""
    in_force: PaySchemeVersion | None = None
    for version in versions:
        if version.valid_from <= day and (in_force is None or version.valid_from >= in_force.valid_from):
            in_force = version
    if in_force is None:
        raise Conflict(f"no pay scheme version is in force on {day.isoformat()}", code="no_pay_scheme_version")
    return in_force


def age_on(date_of_birth: date, day: date) -> int:
    """Age in whole years on `day`: one more on each birthday, from its first moment.

    Someone born on 29 February has their birthday on 1 March in a common year: the year of age
    is reckoned to end with the month's last day when the month has no day of that number (the
    reckoning of OR art. 77 para. 1 no. 3 for periods in months and years), so that year ends
    when 28 February ends and the new age starts on 1 March."""
    if day < date_of_birth:
        raise ValueError(f"{day.isoformat()} is before the date of birth {date_of_birth.isoformat()}")
    if (date_of_birth.month, date_of_birth.day) == (2, 29) and not calendar.isleap(day.year):
        birthday = date(day.year, 3, 1)
    else:
        birthday = date_of_birth.replace(year=day.year)
    return day.year - date_of_birth.year - (1 if day < birthday else 0)


def holiday_rate(version: PaySchemeVersion, age: int | None) -> Decimal:
    """The higher rate under 20 or from 50 (age on the shift's date); without a date of birth
    (age None), the standard rate."""
    if age is not None and (age < 20 or age >= 50):
        return version.holiday_rate_under_20_or_50_plus
    return version.holiday_rate


class ApplicationPay(TypedDict):
    """An application's `pay` (API.md): amounts as decimal strings, CHF to 0.05."""

    hours: str
    hourly_wage: str
    base: str
    public_holiday: str
    holiday: str
    thirteenth_month: str
    gross: str
    compensation: bool


def application_pay(
    minutes: int, hourly_wage: Decimal, version: PaySchemeVersion, age: int | None, *, compensation: bool = False
) -> ApplicationPay:
    """The GAV wage build-up, each amount rounded to CHF 0.05 before the next is taken from it:
    base = hours x wage; public holiday = base x rate; holiday = (base + public holiday) x rate
    (by age, `holiday_rate`); 13th = (base + public holiday + holiday) x rate; gross = the sum of
    the four rounded amounts. A compensation (late cancellation) pays at most 4 hours."""
    if minutes < 0:
        raise ValueError(f"worked minutes cannot be negative: {minutes}")
    if compensation:
        minutes = min(minutes, COMPENSATION_MAX_MINUTES)
    base = swiss_round(Decimal(minutes) * hourly_wage / Decimal(60))
    public_holiday = swiss_round(base * version.public_holiday_rate)
    holiday = swiss_round((base + public_holiday) * holiday_rate(version, age))
    thirteenth = swiss_round((base + public_holiday + holiday) * version.thirteenth_month_rate)
    return {
        "hours": str((Decimal(minutes) / Decimal(60)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)),
        "hourly_wage": str(hourly_wage.quantize(HUNDREDTH)),
        "base": str(base),
        "public_holiday": str(public_holiday),
        "holiday": str(holiday),
        "thirteenth_month": str(thirteenth),
        "gross": str(base + public_holiday + holiday + thirteenth),
        "compensation": compensation,
    }


def minimum_wage(version: PaySchemeVersion, wage_class: str) -> Decimal:
    """The minimum hourly base wage of a class; an unknown class is refused (422)."""
    try:
        return version.minimum_wages[wage_class]
    except KeyError:
        known = ", ".join(sorted(version.minimum_wages))
        raise field_error("wage_class", f"unknown wage class {wage_class!r} (the pay scheme has: {known})") from None


def below_minimum(version: PaySchemeVersion, wage_class: str, hourly_wage: Decimal) -> Decimal | None:
    """The class's minimum when `hourly_wage` is below it (the job is refused, naming it), else None."""
    minimum = minimum_wage(version, wage_class)
    return minimum if hourly_wage < minimum else None


# --- Payslips -------------------------------------------------------------------------------------


class PayslipTotals(TypedDict):
    """A payslip's totals (API.md), amounts as decimal strings."""

    hours: str
    gross: str
    deductions: dict[str, str]
    net: str
    income_allowance: str
    counted_income: str


_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


def _month(month: str) -> tuple[int, int]:
    """ "YYYY-MM" -> (year, month)."""
    if not _MONTH.fullmatch(month) or not 1 <= int(month[5:]) <= 12:
        raise ValueError(f"not a month (YYYY-MM): {month!r}")
    return int(month[:4]), int(month[5:])


def nbu_applies(hours: Decimal, version: PaySchemeVersion, work_month: str) -> bool:
    """Whether the payslip's hours average at least `nbu_min_weekly_hours` per week of its work
    month, a month counting days_in_month / 7 weeks (4 weeks in a common February, 4 3/7 in a
    31-day month): hours / (days / 7) >= threshold, compared as hours x 7 >= threshold x days to
    stay exact."""
    year, number = _month(work_month)
    days = calendar.monthrange(year, number)[1]
    return hours * 7 >= version.deductions.nbu_min_weekly_hours * days


def payslip_totals(lines: Iterable[Mapping[str, Any]], version: PaySchemeVersion, work_month: str) -> PayslipTotals:
    """Totals of a payslip from its lines (each with `hours` and `gross`, strings or Decimals:
    the applications' `pay`). hours and gross are the sums of the lines; each deduction is
    gross x rate rounded to CHF 0.05 (NBU only when `nbu_applies`); net = gross - deductions;
    the income allowance is the full amount pro rata to hours / full-time hours, rounded to 0.05
    and never above the full amount; counted income = max(net - allowance, 0)."""
    hours = Decimal(0)
    gross = Decimal(0)
    for line in lines:
        hours += Decimal(str(line["hours"]))
        gross += Decimal(str(line["gross"]))
    hours, gross = hours.quantize(HUNDREDTH), gross.quantize(HUNDREDTH)
    rates = version.deductions
    nbu = nbu_applies(hours, version, work_month)
    deductions = {
        name: swiss_round(gross * getattr(rates, name)) if name != "nbu" or nbu else Decimal("0.00")
        for name in DEDUCTIONS
    }
    net = gross - sum(deductions.values(), Decimal(0))
    full = version.income_allowance.full_amount
    ceiling = ((full / FIVE_CENTIMES).to_integral_value(ROUND_FLOOR) * FIVE_CENTIMES).quantize(HUNDREDTH)
    allowance = min(swiss_round(full * hours / version.income_allowance.full_time_hours), ceiling)
    return {
        "hours": str(hours),
        "gross": str(gross),
        "deductions": {name: str(amount) for name, amount in deductions.items()},
        "net": str(net),
        "income_allowance": str(allowance),
        "counted_income": str(max(net - allowance, Decimal("0.00"))),
    }


def work_month(run_month: str) -> str:
    """The month a payroll run pays: the one before the run's."""
    year, number = _month(run_month)
    return f"{year - 1:04d}-12" if number == 1 else f"{year:04d}-{number - 1:02d}"


def payout_date(run_month: str) -> date:
    """The 5th weekday (Monday to Friday; public holidays are not counted out) of the run's month."""
    year, number = _month(run_month)
    weekdays = [date(year, number, day) for day in range(1, 8) if date(year, number, day).weekday() < 5]
    return weekdays[4]  # any 7 days in a row hold exactly 5 weekdays
