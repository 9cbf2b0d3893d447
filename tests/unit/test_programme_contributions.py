"""The programme report counts participants at >= 6 and >= 12 contribution months as of the
period's last day (issue 19), from the completed work in the 24 months up to it, by the same rule
as GET /me/progress (tremplin.contributions). The applications are written as the lifecycle
stores completed work (outcome index by the work's month), which keeps the test fast."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import boto3

from tests.helpers import Api, drain
from tremplin import clock
from tremplin.data import keys


def _completed(table: Any, participant_id: str, day: date, status: str = "completed") -> None:
    start = clock.iso(datetime.combine(day, time(8), clock.ZURICH))
    app_id = keys.application_id(f"sh{day:%Y%m%d}", participant_id)
    month = clock.month_of(start)
    table.put_item(
        Item={
            **keys.application(app_id),
            **keys.outcome_index(month, "org1", app_id),
            "type": "application",
            "application_id": app_id,
            "participant_id": participant_id,
            "org_id": "org1",
            "caseworker_id": "cw-1",
            "status": status,
            "created_at": start,
            "updated_at": start,
            "work_month": month,
            "shift_starts_at": start,
            "hours": {"started_at": start},
            "job_id": "job1",
            "shift_id": f"sh{day:%Y%m%d}",
            "shift_ends_at": start,
            "pay": {
                "hours": "4.00",
                "hourly_wage": "25.00",
                "base": "100.00",
                "public_holiday": "0.00",
                "holiday": "0.00",
                "thirteenth_month": "0.00",
                "gross": "100.00",
            },
        }
    )


def _month_of_days(first: date, n: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(n)]


def _programme(api: Api, aws: dict[str, Any], period: str) -> dict[str, Any]:
    answer = api.call("POST", "/reports", token=api.admin(), json_body={"type": "programme", "period": period})
    assert answer.status == 202, answer.body
    drain(aws)
    report = api.call("GET", f"/reports/{answer.body['report_id']}", token=api.admin()).body
    assert report["status"] == "ready", report
    return dict(report["summary"])


def test_participants_at_six_and_twelve_months_as_of_the_periods_end(api: Api, aws: dict[str, Any]) -> None:
    api.call("POST", "/_local/clock", json_body={"now": "2026-12-02T09:00:00+01:00"})
    table = boto3.resource("dynamodb").Table(aws["Table"])
    months = [date(2025, m, 1) for m in range(1, 13)] + [date(2026, m, 1) for m in range(1, 12)]
    # p12: 22 days (capped at one month) in each of 12 months; the first of them, December 2024,
    # falls out of the window of November 2026 (from 2024-12-01) only in part: it is inside.
    for first in [date(2024, 12, 2), *months[:11]]:
        for day in _month_of_days(first, 22):
            _completed(table, "p12", day)
    # p6: exactly 6 months; p5: 6 months less one day of work (5 + 29.4 / 30 = 5.98, rounded
    # down: not 6); p_no: no-shows only.
    for first in months[-6:]:
        for day in _month_of_days(first, 22):
            _completed(table, "p6", day)
    for first in months[-6:-1]:
        for day in _month_of_days(first, 22):
            _completed(table, "p5", day)
    for day in _month_of_days(months[-1], 21):
        _completed(table, "p5", day)
    for day in _month_of_days(months[-1], 22):
        _completed(table, "p_no", day, status="no_show")

    summary = _programme(api, aws, "2026-11")
    assert (summary["contribution_months_6_plus"], summary["contribution_months_12_plus"]) == (2, 1)
    # As of the end of October 2026, p6 has 5 months and p12 still 12 (December 2024 to October 2025).
    october = _programme(api, aws, "2026-10")
    assert (october["contribution_months_6_plus"], october["contribution_months_12_plus"]) == (1, 1)
    # As of the end of December 2026 the window starts on 2025-01-01: p12 loses December 2024.
    december = _programme(api, aws, "2026-12")
    assert (december["contribution_months_6_plus"], december["contribution_months_12_plus"]) == (2, 0)
