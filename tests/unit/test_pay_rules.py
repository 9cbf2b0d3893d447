"""The pay scheme's rules (PRODUCT.md "Hours and pay"): examples computed by hand, to the centime."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tremplin import pay
from tremplin.errors import Conflict, ValidationFailed

V1 = pay.FIRST_VERSION
# A later version, in force from the 1st of July: a higher minimum and (hypothetically) 3.5 %
# public-holiday compensation, so that which version paid a shift shows in the amounts.
V2 = dataclasses.replace(
    V1, valid_from=date(2026, 7, 1), minimum_wages={"unskilled": Decimal("23.00")}, public_holiday_rate=Decimal("0.035")
)


def _multiple_of_five_centimes(amount: str) -> bool:
    return Decimal(amount) % Decimal("0.05") == 0 and Decimal(amount).as_tuple().exponent == -2


# --- The scheme's versions ---------------------------------------------------------------------


def test_first_version_holds_product_defaults_in_api_shape() -> None:
    assert V1.to_json() == {
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


def test_a_version_reads_back_from_its_api_shape() -> None:
    assert pay.PaySchemeVersion.from_json(V2.to_json()) == V2


def test_a_version_refuses_floats() -> None:
    body = V1.to_json() | {"holiday_rate": 0.0833}
    with pytest.raises(TypeError, match="decimal string"):
        pay.PaySchemeVersion.from_json(body)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"holiday_rate": "1.01"}, "holiday_rate must be a rate between 0 and 1"),
        ({"public_holiday_rate": "-0.01"}, "public_holiday_rate must be a rate"),
        ({"deductions": V1.to_json()["deductions"] | {"alv": "1.5"}}, "alv must be a rate"),
        ({"minimum_wages": {"unskilled": "-1"}}, "minimum wages"),
        ({"income_allowance": {"full_amount": "600", "full_time_hours": "0"}}, "full-time hours"),
    ],
)
def test_a_version_refuses_figures_the_arithmetic_cannot_use(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        pay.PaySchemeVersion.from_json(V1.to_json() | change)


def test_a_versions_minimum_wages_cannot_be_changed_in_place() -> None:
    with pytest.raises(TypeError):
        V1.minimum_wages["unskilled"] = Decimal(1)  # type: ignore[index]


@pytest.mark.parametrize("versions", [[V1, V2], [V2, V1]])
def test_a_scheme_change_on_the_first_of_a_month(versions: list[pay.PaySchemeVersion]) -> None:
    on_the_31st = pay.version_in_force(versions, date(2026, 6, 30))
    on_the_1st = pay.version_in_force(versions, date(2026, 7, 1))
    assert on_the_31st is V1
    assert on_the_1st is V2
    # 8 h at 22.39, age 30: by the old version 216.95; by the new one the public holiday is
    # 179.10 x 3.5 % = 6.2685 -> 6.25; holiday 185.35 x 8.33 % = 15.439655 -> 15.45;
    # 13th 200.80 x 8.33 % = 16.72664 -> 16.75; gross 179.10 + 6.25 + 15.45 + 16.75 = 217.55.
    assert pay.application_pay(480, Decimal("22.39"), on_the_31st, 30)["gross"] == "216.95"
    assert pay.application_pay(480, Decimal("22.39"), on_the_1st, 30)["gross"] == "217.55"
    assert pay.below_minimum(on_the_31st, "unskilled", Decimal("22.39")) is None
    assert pay.below_minimum(on_the_1st, "unskilled", Decimal("22.39")) == Decimal("23.00")
    assert pay.version_in_force(versions, date(2030, 1, 1)) is V2


def test_of_two_versions_from_the_same_day_the_last_listed_is_in_force() -> None:
    again = dataclasses.replace(V2, holiday_rate=Decimal("0.09"))
    assert pay.version_in_force([V1, V2, again], date(2026, 7, 1)) is again


def test_no_version_in_force_before_the_first() -> None:
    with pytest.raises(Conflict, match="no pay scheme version is in force on 2025-12-31") as refused:
        pay.version_in_force([V1, V2], date(2025, 12, 31))
    assert refused.value.code == "no_pay_scheme_version"
    with pytest.raises(Conflict):
        pay.version_in_force([], date(2026, 7, 1))


# --- Age and the holiday rate ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "day", "age", "rate"),
    [
        # 20th birthday on 15 June 2026: 10.6 % until the day before, 8.33 % from the day itself.
        ("2006-06-15", "2026-06-14", 19, "0.106"),
        ("2006-06-15", "2026-06-15", 20, "0.0833"),
        ("2006-06-15", "2026-06-16", 20, "0.0833"),
        # 50th birthday on 15 June 2026: 8.33 % until the day before, 10.6 % from the day itself.
        ("1976-06-15", "2026-06-14", 49, "0.0833"),
        ("1976-06-15", "2026-06-15", 50, "0.106"),
        ("1976-06-15", "2026-06-16", 50, "0.106"),
        # Born 29 February: in a common year the birthday is 1 March, not 28 February.
        ("1976-02-29", "2026-02-28", 49, "0.0833"),
        ("1976-02-29", "2026-03-01", 50, "0.106"),
        # ... and in a leap year it is 29 February itself.
        ("2008-02-29", "2028-02-28", 19, "0.106"),
        ("2008-02-29", "2028-02-29", 20, "0.0833"),
        # Across the turn of a year, and on the day of birth.
        ("2006-12-31", "2026-12-30", 19, "0.106"),
        ("2006-12-31", "2026-12-31", 20, "0.0833"),
        ("2010-03-01", "2010-03-01", 0, "0.106"),
    ],
)
def test_age_bands_turn_on_the_birthday(born: str, day: str, age: int, rate: str) -> None:
    assert pay.age_on(date.fromisoformat(born), date.fromisoformat(day)) == age
    assert pay.holiday_rate(V1, age) == Decimal(rate)


def test_without_a_date_of_birth_the_standard_holiday_rate() -> None:
    assert pay.holiday_rate(V1, None) == Decimal("0.0833")
    assert pay.application_pay(480, Decimal("22.39"), V1, None) == pay.application_pay(480, Decimal("22.39"), V1, 30)


def test_no_age_before_birth() -> None:
    with pytest.raises(ValueError, match="before the date of birth"):
        pay.age_on(date(2026, 6, 15), date(2026, 6, 14))


# --- Pay per application -----------------------------------------------------------------------


def test_product_example_eight_hours_at_the_minimum_age_30() -> None:
    assert pay.application_pay(480, Decimal("22.39"), V1, 30) == {
        "hours": "8.00",
        "hourly_wage": "22.39",
        "base": "179.10",  # 179.12
        "public_holiday": "5.75",  # 179.10 x 3.2 % = 5.7312
        "holiday": "15.40",  # 184.85 x 8.33 % = 15.398005
        "thirteenth_month": "16.70",  # 200.25 x 8.33 % = 16.680825
        "gross": "216.95",
        "compensation": False,
    }


def test_the_higher_holiday_rate_under_20() -> None:
    # 179.10 + 5.75; holiday 184.85 x 10.6 % = 19.5941 -> 19.60; 13th 204.45 x 8.33 % = 17.030685
    # -> 17.05; gross 179.10 + 5.75 + 19.60 + 17.05 = 221.50.
    amounts = pay.application_pay(480, Decimal("22.39"), V1, 19)
    assert (amounts["holiday"], amounts["thirteenth_month"], amounts["gross"]) == ("19.60", "17.05", "221.50")


@pytest.mark.parametrize(
    ("minutes", "wage", "age", "expected"),
    [
        # base 15 min x 22.50 = 5.625 -> 5.65 (.x25); 0.1808 -> 0.20; 5.85 x 8.33 % = 0.487305 -> 0.50;
        # 6.35 x 8.33 % = 0.528955 -> 0.55.
        (15, "22.50", 30, ("5.65", "0.20", "0.50", "0.55", "6.90")),
        # base 15 min x 22.70 = 5.675 -> 5.70 (.x75); 0.1824 -> 0.20; 0.49147 -> 0.50; 0.53312 -> 0.55.
        (15, "22.70", 30, ("5.70", "0.20", "0.50", "0.55", "6.95")),
        # 8.33 % holiday on 242.25 + 7.75 = 250.00: 20.825 -> 20.85 (.x25); 13th 270.85 x 8.33 %
        # = 22.561805 -> 22.55.
        (300, "48.45", 30, ("242.25", "7.75", "20.85", "22.55", "293.40")),
        # 8.33 % holiday on 726.75 + 23.25 (23.256) = 750.00: 62.475 -> 62.50 (.x75); 13th
        # 812.50 x 8.33 % = 67.68125 -> 67.70.
        (900, "48.45", 30, ("726.75", "23.25", "62.50", "67.70", "880.20")),
        # 10.6 % holiday on 60.55 (60.54) + 1.95 (1.9376) = 62.50: 6.625 -> 6.65 (.x25); 13th 69.15
        # x 8.33 % = 5.760195 -> 5.75.
        (120, "30.27", 18, ("60.55", "1.95", "6.65", "5.75", "74.90")),
        # 10.6 % holiday on 36.35 (36.33) + 1.15 (1.1632) = 37.50: 3.975 -> 4.00 (.x75); 13th 41.50
        # x 8.33 % = 3.45695 -> 3.45.
        (60, "36.33", 18, ("36.35", "1.15", "4.00", "3.45", "44.95")),
        # 13th on 219.05 (219.04) + 7.00 (7.0096) + 23.95 (226.05 x 10.6 % = 23.9613) = 250.00:
        # 20.825 -> 20.85 (.x25).
        (240, "54.76", 18, ("219.05", "7.00", "23.95", "20.85", "270.85")),
        # 13th on 657.05 (657.03) + 21.05 (21.0256) + 71.90 (678.10 x 10.6 % = 71.8786) = 750.00:
        # 62.475 -> 62.50 (.x75).
        (660, "59.73", 18, ("657.05", "21.05", "71.90", "62.50", "812.50")),
        # The public holiday never falls on an edge: base is a multiple of 0.05, so base x 3.2 % is a
        # multiple of 0.0016, and 0.0016 k = 0.025 + 0.05 n has no whole solution (32 k is even).
    ],
)
def test_each_amount_rounds_half_up_at_the_x25_and_x75_edges(
    minutes: int, wage: str, age: int, expected: tuple[str, str, str, str, str]
) -> None:
    amounts = pay.application_pay(minutes, Decimal(wage), V1, age)
    assert (
        amounts["base"],
        amounts["public_holiday"],
        amounts["holiday"],
        amounts["thirteenth_month"],
        amounts["gross"],
    ) == expected


def test_hours_are_shown_to_the_hundredth_and_base_uses_the_exact_minutes() -> None:
    # 20 min = 0.333... h (shown 0.33); base 20 / 60 x 22.39 = 7.4633 -> 7.45 (0.33 x 22.39 would be
    # 7.3887 -> 7.40).
    amounts = pay.application_pay(20, Decimal("22.39"), V1, 30)
    assert (amounts["hours"], amounts["base"]) == ("0.33", "7.45")


@pytest.mark.parametrize(("planned_minutes", "paid_hours"), [(360, "4.00"), (240, "4.00"), (150, "2.50")])
def test_a_compensation_pays_the_planned_hours_at_most_four(planned_minutes: int, paid_hours: str) -> None:
    amounts = pay.application_pay(planned_minutes, Decimal("22.39"), V1, 30, compensation=True)
    assert amounts["hours"] == paid_hours
    assert amounts["compensation"] is True
    worked = pay.application_pay(planned_minutes, Decimal("22.39"), V1, 30)
    assert worked["compensation"] is False
    assert worked["hours"] == str((Decimal(planned_minutes) / 60).quantize(Decimal("0.01")))


def test_negative_minutes_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        pay.application_pay(-1, Decimal("22.39"), V1, 30)


# --- Minimum wage ------------------------------------------------------------------------------


def test_minimum_wage_per_class() -> None:
    skilled = dataclasses.replace(V1, minimum_wages={"unskilled": Decimal("22.39"), "skilled": Decimal("27.50")})
    assert pay.minimum_wage(skilled, "unskilled") == Decimal("22.39")
    assert pay.minimum_wage(skilled, "skilled") == Decimal("27.50")
    assert pay.below_minimum(skilled, "unskilled", Decimal("22.38")) == Decimal("22.39")
    assert pay.below_minimum(skilled, "unskilled", Decimal("22.39")) is None
    assert pay.below_minimum(skilled, "skilled", Decimal("25.00")) == Decimal("27.50")
    assert pay.below_minimum(skilled, "skilled", Decimal("30.00")) is None


def test_an_unknown_wage_class_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="unknown wage class 'expert'") as refused:
        pay.below_minimum(V1, "expert", Decimal("50.00"))
    assert refused.value.status == 422
    assert refused.value.details == [{"field": "wage_class", "message": refused.value.message[len("wage_class: ") :]}]


# --- Payslips ----------------------------------------------------------------------------------


def test_product_example_payslip_of_the_eight_hour_line() -> None:
    line = pay.application_pay(480, Decimal("22.39"), V1, 30)
    assert pay.payslip_totals([line], V1, "2026-03") == {
        "hours": "8.00",
        "gross": "216.95",
        "deductions": {
            "ahv_iv_eo": "11.50",  # 11.49835
            "alv": "2.40",  # 2.38645
            "nbu": "0.00",  # 8 h in a month is below 8 h a week
            "ktg": "0.20",  # 0.21695
            "gav": "0.85",  # 0.8678
            "bvg": "0.00",
        },
        "net": "202.00",
        "income_allowance": "26.35",  # 600 x 8 / 182 = 26.3736
        "counted_income": "175.65",
    }


def _line(hours: str, gross: str) -> dict[str, str]:
    return {"hours": hours, "gross": gross}


@pytest.mark.parametrize(
    ("month", "hours", "nbu"),
    [
        # February 2026: 28 days = 4 weeks, so the threshold is 32 h.
        ("2026-02", "32.00", "1.80"),
        ("2026-02", "31.99", "0.00"),
        # March: 31 days = 4 3/7 weeks, so 35 3/7 h (35.43 is above, 35.42 below).
        ("2026-03", "35.43", "1.80"),
        ("2026-03", "35.42", "0.00"),
        # April: 30 days = 4 2/7 weeks, 34 2/7 h; February of a leap year: 29 days, 33 1/7 h.
        ("2026-04", "34.29", "1.80"),
        ("2026-04", "34.28", "0.00"),
        ("2028-02", "33.15", "1.80"),
        ("2028-02", "33.14", "0.00"),
    ],
)
def test_nbu_from_an_average_of_8_hours_a_week_of_the_work_month(month: str, hours: str, nbu: str) -> None:
    # 125.00 x 1.42 % = 1.775 -> 1.80 (.x75), an artificial gross so that only the hours change.
    totals = pay.payslip_totals([_line(hours, "125.00")], V1, month)
    assert totals["deductions"]["nbu"] == nbu


def test_the_hours_of_every_line_count_towards_the_nbu_threshold() -> None:
    lines = [_line("16.00", "60.00"), _line("16.00", "65.00")]
    assert pay.payslip_totals(lines, V1, "2026-02")["deductions"]["nbu"] == "1.80"
    assert pay.payslip_totals(lines[:1], V1, "2026-02")["deductions"]["nbu"] == "0.00"


@pytest.mark.parametrize(
    ("gross", "deduction", "amount"),
    [
        ("25.00", "ahv_iv_eo", "1.35"),  # 1.325
        ("75.00", "ahv_iv_eo", "4.00"),  # 3.975
        ("75.00", "alv", "0.85"),  # 0.825
        ("25.00", "alv", "0.30"),  # 0.275
        ("25.00", "ktg", "0.05"),  # 0.025
        ("75.00", "ktg", "0.10"),  # 0.075
        ("6.25", "gav", "0.05"),  # 0.025
        ("18.75", "gav", "0.10"),  # 0.075
        ("375.00", "nbu", "5.35"),  # 5.325
        ("125.00", "nbu", "1.80"),  # 1.775
    ],
)
def test_each_deduction_rounds_half_up_at_the_x25_and_x75_edges(gross: str, deduction: str, amount: str) -> None:
    totals = pay.payslip_totals([_line("40.00", gross)], V1, "2026-02")
    assert totals["deductions"][deduction] == amount
    assert Decimal(totals["net"]) == Decimal(gross) - sum(Decimal(value) for value in totals["deductions"].values())


def test_bvg_is_deducted_when_the_version_sets_a_rate() -> None:
    with_bvg = dataclasses.replace(V1, deductions=dataclasses.replace(V1.deductions, bvg=Decimal("0.05")))
    assert pay.payslip_totals([_line("8.00", "216.95")], with_bvg, "2026-03")["deductions"]["bvg"] == "10.85"


@pytest.mark.parametrize(
    ("hours", "allowance"),
    [
        ("0.00", "0.00"),
        ("91.00", "300.00"),  # half time
        ("182.00", "600.00"),  # full time
        ("200.00", "600.00"),  # 659.34 pro rata, never above the full amount
    ],
)
def test_income_allowance_pro_rata_never_above_the_full_amount(hours: str, allowance: str) -> None:
    assert pay.payslip_totals([_line(hours, "4000.00")], V1, "2026-03")["income_allowance"] == allowance


def test_counted_income_is_never_negative() -> None:
    # 10 h but a gross of 20.00: allowance 600 x 10 / 182 = 32.967 -> 32.95 is above net 18.65
    # (20.00 - 1.05 AHV (1.06) - 0.20 ALV (0.22) - 0.00 KTG (0.02) - 0.10 GAV (0.08)).
    totals = pay.payslip_totals([_line("10.00", "20.00")], V1, "2026-03")
    assert (totals["net"], totals["income_allowance"], totals["counted_income"]) == ("18.65", "32.95", "0.00")


def test_a_payslip_without_lines_is_all_zero() -> None:
    totals = pay.payslip_totals([], V1, "2026-03")
    assert (totals["hours"], totals["gross"], totals["net"], totals["counted_income"]) == ("0.00",) * 4


def test_lines_as_stored_with_decimals_give_the_same_totals() -> None:
    line = pay.application_pay(480, Decimal("22.39"), V1, 30)
    stored = {"hours": Decimal(line["hours"]), "gross": Decimal(line["gross"])}
    assert pay.payslip_totals([stored], V1, "2026-03") == pay.payslip_totals([line], V1, "2026-03")


@pytest.mark.parametrize(
    ("run_month", "payout"),
    [
        ("2026-06", "2026-06-05"),  # the 1st is a Monday
        ("2026-04", "2026-04-07"),  # a Wednesday: Wed, Thu, Fri, Mon, Tue
        ("2026-05", "2026-05-07"),  # a Friday: Fri, Mon, Tue, Wed, Thu
        ("2026-08", "2026-08-07"),  # a Saturday: Mon 3rd to Fri 7th
        ("2026-02", "2026-02-06"),  # a Sunday: Mon 2nd to Fri 6th
        ("2027-01", "2027-01-07"),  # a Friday
    ],
)
def test_payout_on_the_fifth_weekday_of_the_run_month(run_month: str, payout: str) -> None:
    assert pay.payout_date(run_month) == date.fromisoformat(payout)


@pytest.mark.parametrize(("run_month", "work_month"), [("2026-04", "2026-03"), ("2026-01", "2025-12")])
def test_the_work_month_is_the_month_before_the_run(run_month: str, work_month: str) -> None:
    assert pay.work_month(run_month) == work_month


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "2026-3", "26-03", "2026-03-01", "+202-03", ""])
def test_months_are_yyyy_mm(month: str) -> None:
    with pytest.raises(ValueError, match="not a month"):
        pay.payout_date(month)
    with pytest.raises(ValueError, match="not a month"):
        pay.payslip_totals([], V1, month)


# --- Properties --------------------------------------------------------------------------------

rates = st.decimals(min_value=0, max_value=Decimal("0.2"), places=4)
versions = st.builds(
    lambda ph, hol, hol_young_old, thirteenth, deductions, nbu_hours, full, full_hours: dataclasses.replace(
        V1,
        public_holiday_rate=ph,
        holiday_rate=hol,
        holiday_rate_under_20_or_50_plus=hol_young_old,
        thirteenth_month_rate=thirteenth,
        deductions=pay.Deductions(**dict(zip(pay.DEDUCTIONS, deductions, strict=True)), nbu_min_weekly_hours=nbu_hours),
        income_allowance=pay.IncomeAllowance(full_amount=full, full_time_hours=full_hours),
    ),
    rates,
    rates,
    rates,
    rates,
    st.lists(rates, min_size=6, max_size=6),
    st.decimals(min_value=0, max_value=40, places=1),
    st.decimals(min_value=0, max_value=1000, places=2),
    st.decimals(min_value=1, max_value=250, places=0),
) | st.just(V1)
wages = st.decimals(min_value=Decimal("22.39"), max_value=Decimal("80.00"), places=2)
ages = st.none() | st.integers(min_value=14, max_value=80)
lines = st.builds(
    lambda minutes, wage, version, age, compensation: pay.application_pay(
        minutes, wage, version, age, compensation=compensation
    ),
    st.integers(min_value=0, max_value=16 * 60),
    wages,
    versions,
    ages,
    st.booleans(),
)
months = st.builds(lambda year, month: f"{year:04d}-{month:02d}", st.integers(2026, 2040), st.integers(1, 12))


@given(st.integers(min_value=0, max_value=24 * 60), wages, versions, ages, st.booleans())
def test_the_four_line_amounts_always_add_up_to_gross(
    minutes: int, wage: Decimal, version: pay.PaySchemeVersion, age: int | None, compensation: bool
) -> None:
    amounts: dict[str, Any] = dict(pay.application_pay(minutes, wage, version, age, compensation=compensation))
    parts = ("base", "public_holiday", "holiday", "thirteenth_month")
    assert sum(Decimal(amounts[part]) for part in parts) == Decimal(amounts["gross"])
    assert all(_multiple_of_five_centimes(amounts[part]) for part in (*parts, "gross"))
    paid_minutes = min(minutes, 240) if compensation else minutes
    assert abs(Decimal(amounts["base"]) - Decimal(paid_minutes) * wage / 60) <= Decimal("0.025")


@given(st.lists(lines, max_size=12), versions, months)
def test_payslip_totals_always_balance(
    payslip_lines: list[pay.ApplicationPay], version: pay.PaySchemeVersion, month: str
) -> None:
    totals = pay.payslip_totals(payslip_lines, version, month)
    gross, net = Decimal(totals["gross"]), Decimal(totals["net"])
    deductions = [Decimal(amount) for amount in totals["deductions"].values()]
    allowance, counted = Decimal(totals["income_allowance"]), Decimal(totals["counted_income"])
    assert gross == sum((Decimal(line["gross"]) for line in payslip_lines), Decimal(0))
    assert Decimal(totals["hours"]) == sum((Decimal(line["hours"]) for line in payslip_lines), Decimal(0))
    assert net + sum(deductions, Decimal(0)) == gross
    assert all(
        _multiple_of_five_centimes(amount)
        for amount in (totals["gross"], totals["net"], totals["income_allowance"], totals["counted_income"])
    )
    assert all(_multiple_of_five_centimes(amount) for amount in totals["deductions"].values())
    assert allowance <= version.income_allowance.full_amount
    assert counted >= 0
    assert counted == max(net - allowance, Decimal(0))


def test_the_computed_pay_and_the_api_models_name_the_same_amounts() -> None:
    """pay.ApplicationPay (what approval computes) and the contract's Pay and PayslipLine
    (what the API shows) must not drift apart: one list of amounts, in one order."""
    from tremplin.models.applications import Pay
    from tremplin.models.payslips import PayslipLine

    computed = list(pay.ApplicationPay.__annotations__)
    assert list(Pay.model_fields) == computed
    shown = [f for f in PayslipLine.model_fields if f not in ("application_id", "shift_date", "employer")]
    assert shown == [f for f in computed if f != "hourly_wage"]
