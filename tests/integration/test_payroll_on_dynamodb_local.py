"""Payroll under real concurrency, on DynamoDB Local: runs at once, approvals landing while they
run, and runs again later; every completed application ends on exactly one payslip."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.helpers import Api, all_items, create_org, job_body, participant_body, shift_body

pytestmark = pytest.mark.integration

START, END = "2026-12-01T08:00:00+01:00", "2026-12-01T12:30:00+01:00"
PEOPLE = 12


def test_concurrent_and_repeated_runs_put_each_completed_application_on_one_payslip(api: Api, table_name: str) -> None:
    api.call("POST", "/_local/clock", json_body={"now": "2026-11-25T09:00:00+01:00"})
    employer = api.employer(create_org(api))
    shift = api.call(
        "POST", "/jobs", token=employer, json_body=job_body(shift_body(START, END, slots=PEOPLE), publish=True)
    )
    shift_id = shift.body["shifts"][0]["shift_id"]
    work: list[tuple[str, str]] = []  # (participant token, application id)
    for i in range(PEOPLE):
        enrolled = api.call(
            "POST",
            "/participants",
            token=api.token("caseworker", "cw-1"),
            json_body=participant_body(email=f"p{i}@x.ch"),
        )
        token = api.token("participant", f"u{i}", participant_id=enrolled.body["participant_id"])
        assert api.call("POST", "/me/consent", token=token, json_body={"version": "2026-01"}).status == 200
        app_id = api.call("POST", f"/shifts/{shift_id}/applications", token=token).body["application_id"]
        assert api.call("POST", f"/applications/{app_id}/accept", token=employer).status == 200
        assert api.call("POST", f"/applications/{app_id}/confirm", token=token).status == 200
        work.append((token, app_id))
    api.call("POST", "/_local/clock", json_body={"now": "2026-12-01T13:00:00+01:00"})
    hours = {"started_at": START, "ended_at": END, "break_minutes": 30}
    for _, app_id in work:
        assert api.call("POST", f"/applications/{app_id}/hours", token=employer, json_body=hours).status == 200
    early, late = work[: PEOPLE // 2], work[PEOPLE // 2 :]
    for token, app_id in early:
        assert api.call("POST", f"/applications/{app_id}/hours/approve", token=token).status == 200

    # The run of 2 January, four times at once, while the other half approve their hours.
    api.call("POST", "/_local/clock", json_body={"now": "2027-01-02T03:00:00+01:00"})
    barrier = threading.Barrier(4 + len(late))

    def run() -> int:
        barrier.wait()
        answer = api.call("POST", "/_local/schedules/payroll")
        assert answer.status == 200, answer.body
        return int(answer.body["result"]["handled"])

    def approve(pair: tuple[str, str]) -> int:
        barrier.wait()
        token, app_id = pair
        return api.call("POST", f"/applications/{app_id}/hours/approve", token=token).status

    with ThreadPoolExecutor(max_workers=4 + len(late)) as pool:
        runs = [pool.submit(run) for _ in range(4)]
        approvals = [pool.submit(approve, pair) for pair in late]
        assert [a.result() for a in approvals] == [200] * len(late)
        issued_at_once = sum(r.result() for r in runs)
    assert PEOPLE // 2 <= issued_at_once <= PEOPLE  # the early half for sure; late ones if a run saw them

    # Again the same night: the late approvals no run saw get their payslips now (their
    # participants had none this month); once more, and the next month, nothing is left.
    again = api.call("POST", "/_local/schedules/payroll").body["result"]["handled"]
    assert issued_at_once + again == PEOPLE  # one payslip per participant: one shift each
    assert api.call("POST", "/_local/schedules/payroll").body["result"]["handled"] == 0
    api.call("POST", "/_local/clock", json_body={"now": "2027-02-02T03:00:00+01:00"})
    assert api.call("POST", "/_local/schedules/payroll").body["result"]["handled"] == 0

    items = all_items(table_name)
    payslips = [i for i in items if i.get("type") == "payslip"]
    on_payslips = Counter(line["application_id"] for p in payslips for line in p["lines"])
    assert on_payslips == Counter({app_id: 1 for _, app_id in work})
    assert [i for i in items if i.get("type") == "pay_line"] == []
    # Every payslip's gross is the sum of its lines' (nothing half-written).
    for payslip in payslips:
        assert sum(float(line["gross"]) for line in payslip["lines"]) == pytest.approx(float(payslip["gross"]))
