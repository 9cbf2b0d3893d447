"""Pay, computed once, on approval, with Decimal.

gross = worked minutes / 60 x hourly wage; holiday pay = gross x rate (8.33 % unless set
otherwise); total = gross + holiday pay. Every amount is rounded to CHF 0.05 (Swiss
rounding, half up); hours are shown to the hundredth.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

FIVE_CENTIMES = Decimal("0.05")
HUNDREDTH = Decimal("0.01")


def swiss_round(amount: Decimal) -> Decimal:
    return ((amount / FIVE_CENTIMES).quantize(Decimal(1), rounding=ROUND_HALF_UP) * FIVE_CENTIMES).quantize(HUNDREDTH)


def worked_minutes(started_at: datetime, ended_at: datetime, break_minutes: int) -> int:
    """Real elapsed minutes (aware datetimes: daylight-saving changes count as they happen)."""
    return int((ended_at - started_at).total_seconds() // 60) - break_minutes


def compute(minutes: int, hourly_wage: Decimal, holiday_rate: Decimal) -> dict[str, str]:
    gross = swiss_round(Decimal(minutes) * hourly_wage / Decimal(60))
    holiday = swiss_round(gross * holiday_rate)
    return {
        "hours": str((Decimal(minutes) / Decimal(60)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)),
        "hourly_wage": str(hourly_wage.quantize(HUNDREDTH)),
        "gross": str(gross),
        "holiday_pay": str(holiday),
        "total": str(gross + holiday),
    }
