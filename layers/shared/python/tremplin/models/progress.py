"""A participant's progress toward unemployment insurance (API.md: /me/progress): contribution
months of the last 24 months, an estimate (README "Contribution months")."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from tremplin.models import Model


class Progress(Model):
    participant_id: str
    contribution_months: str = Field(
        description=(
            "Contribution months in the window (AVIV art. 11): each Europe/Zurich calendar day with "
            "completed work counts 1.4 calendar days (two shifts on a day count once), at most 30 per "
            "calendar month; 30 calendar days make one month. Two decimals, rounded half up."
        ),
        examples=["0.47"],
    )
    required_months: int = Field(12, description="Contribution months within 24 that open a claim (AVIG art. 13)")
    estimate: Literal[True] = Field(
        True, description="Always true: an estimate from the work done here only; the unemployment fund decides"
    )
    worked_days: int = Field(description="Calendar days (Europe/Zurich) with completed work in the window")
    months_worked: int = Field(description="Calendar months with completed work in the window")
    window_from: str = Field(description="First day of the window (date): the day after the same date 24 months ago")
    window_to: str = Field(description="Last day of the window (date): today, Europe/Zurich")
    completed_shifts: int
    employers: int = Field(description="Partner organisations worked for in the window")
    hours: str = Field(description="Hours worked in the window, as fixed at approval")
    gross: str = Field(description="Gross pay (CHF) of the completed work in the window, as fixed at approval")
    average_monthly_gross: str = Field(
        description=(
            "gross / months_worked (the calendar months with completed work in the window), rounded to "
            'CHF 0.05 half up; "0.00" without work. Not the fund\'s insured earnings.'
        )
    )
