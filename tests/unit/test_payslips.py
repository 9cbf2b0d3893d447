"""Payroll and payslips through the API (in process, moto): PRODUCT.md's example end to end, each
completed application on exactly one payslip however often payroll runs, a late approval on the
next month's, the compensation of a late cancellation by the employer, who may read a payslip."""

from __future__ import annotations

import io
from typing import Any

import pypdf
import pytest

from tests.helpers import Api, all_items
from tests.unit.test_applications import World

EIGHT_HOURS = ("2026-12-01T08:00:00+01:00", "2026-12-01T16:30:00+01:00")
RUN = "2027-01-02T03:00:00+01:00"  # the payroll of January 2027, paying December 2026


@pytest.fixture
def world(api: Api, aws: dict[str, Any]) -> World:
    return World(api, aws)


def _worked(world: World, token: str, shift: tuple[str, str] = EIGHT_HOURS, approve: bool = True) -> str:
    shift_id = world.shift(*shift, wage="22.39")
    app_id = world.confirmed(shift_id, token)
    world.clock(shift[1])
    assert world.act(app_id, "hours", world.employer, world.hours(*shift, break_minutes=30)).status == 200
    if approve:
        assert world.act(app_id, "hours/approve", token).status == 200
    return app_id


def _payroll(world: World, at: str = RUN) -> int:
    world.clock(at)
    answer = world.api.call("POST", "/_local/schedules/payroll")
    assert answer.status == 200, answer.body
    return int(answer.body["result"]["handled"])


def _payslips(world: World, token: str) -> list[dict[str, Any]]:
    answer = world.api.call("GET", "/me/payslips", token=token)
    assert answer.status == 200, answer.body
    return list(answer.body["items"])


def _stored(world: World, prefix: str) -> list[dict[str, Any]]:
    return [i for i in all_items(world.aws["Table"]) if str(i["SK"]).startswith(prefix)]


def test_product_md_example_on_a_payslip(world: World) -> None:
    _, me = world.participant(date_of_birth="1996-06-15")
    app_id = _worked(world, me)
    assert _payroll(world) == 1
    [payslip] = _payslips(world, me)
    # PRODUCT.md: 216.95 - 11.50 - 2.40 - 0.20 - 0.85 = net 202.00; 8 h of 182 h x 600 = 26.37 ->
    # allowance 26.35; counted 175.65. 8 h in 31 days is under 8 h a week: no NBU.
    assert payslip["work_month"] == "2026-12"
    assert payslip["payout_date"] == "2027-01-07"  # Fri 1, Mon 4, Tue 5, Wed 6, Thu 7
    assert [(line["application_id"], line["gross"], line["employer"]) for line in payslip["lines"]] == [
        (app_id, "216.95", "Bäckerei Glauser")
    ]
    assert payslip["lines"][0]["shift_date"] == "2026-12-01"
    assert (payslip["hours"], payslip["gross"]) == ("8.00", "216.95")
    assert payslip["deductions"] == {
        "ahv_iv_eo": "11.50",
        "alv": "2.40",
        "nbu": "0.00",
        "ktg": "0.20",
        "gav": "0.85",
        "bvg": "0.00",
    }
    assert (payslip["net"], payslip["income_allowance"], payslip["counted_income"]) == ("202.00", "26.35", "175.65")
    assert _stored(world, "PAYLINE#") == []  # nothing left waiting
    assert world.inbox(me)[0] == "payslip_issued"  # newest first: told, from the table's stream


def test_payroll_run_again_pays_nothing_twice(world: World) -> None:
    _, me = world.participant()
    _worked(world, me)
    assert _payroll(world) == 1
    assert _payroll(world) == 0
    assert _payroll(world, "2027-02-02T03:00:00+01:00") == 0
    assert len(_payslips(world, me)) == 1


def test_a_late_approval_is_paid_the_month_after_never_lost(world: World) -> None:
    _, me = world.participant()
    paid_in_january = _worked(world, me)
    late = _worked(world, me, ("2026-12-20T08:00:00+01:00", "2026-12-20T12:00:00+01:00"), approve=False)
    assert _payroll(world) == 1
    world.clock("2027-01-02T09:00:00+01:00")  # approved after the run of its month
    assert world.act(late, "hours/approve", me).status == 200
    assert _payroll(world) == 0  # the month's payslip exists: the line waits, untouched
    assert _payroll(world, "2027-02-02T03:00:00+01:00") == 1
    february, january = _payslips(world, me)  # newest first
    assert [line["application_id"] for line in january["lines"]] == [paid_in_january]
    assert [line["application_id"] for line in february["lines"]] == [late]
    assert (february["work_month"], february["payout_date"]) == ("2027-01", "2027-02-05")


def test_nbu_is_deducted_from_eight_hours_a_week(world: World) -> None:
    _, me = world.participant()
    for day in (1, 3, 8, 10, 15):  # 40 h in December (16 h a week at most: the cap is 20)
        _worked(world, me, (f"2026-12-{day:02d}T08:00:00+01:00", f"2026-12-{day:02d}T16:30:00+01:00"))
    # 40 h in 31 days average 9.03 h a week (40 x 7 = 280 >= 8 x 31 = 248): NBU is deducted.
    assert _payroll(world) == 1
    [payslip] = _payslips(world, me)
    assert payslip["hours"] == "40.00" and payslip["gross"] == "1084.75"
    assert payslip["deductions"]["nbu"] == "15.40"  # 1084.75 x 1.42 % = 15.403


def test_an_employers_late_cancellation_pays_up_to_four_planned_hours(world: World) -> None:
    shift_id = world.shift(*EIGHT_HOURS, wage="22.39")
    _, me = world.participant(date_of_birth="1996-06-15")
    app_id = world.confirmed(shift_id, me)
    world.clock("2026-11-30T20:00:00+01:00")  # 12 h before the start
    cancelled = world.act(app_id, "cancel", world.employer, {"reason": "Auftrag storniert"})
    assert cancelled.status == 200, cancelled.body
    # 4 h x 22.39 = 89.56 -> 89.55; 2.8656 -> 2.85; 7.6974 -> 7.70; 8.3576 -> 8.35.
    assert cancelled.body["pay"] == {
        "hours": "4.00",
        "hourly_wage": "22.39",
        "base": "89.55",
        "public_holiday": "2.85",
        "holiday": "7.70",
        "thirteenth_month": "8.35",
        "gross": "108.45",
        "compensation": True,
    }
    assert _payroll(world) == 1
    [payslip] = _payslips(world, me)
    assert [(line["application_id"], line["compensation"], line["gross"]) for line in payslip["lines"]] == [
        (app_id, True, "108.45")
    ]


@pytest.mark.parametrize("who", ["participant", "early employer"])
def test_other_cancellations_pay_nothing(world: World, who: str) -> None:
    shift_id = world.shift(*EIGHT_HOURS)
    _, me = world.participant()
    app_id = world.confirmed(shift_id, me)
    world.clock("2026-11-30T20:00:00+01:00" if who == "participant" else "2026-11-28T20:00:00+01:00")
    cancelled = world.act(app_id, "cancel", me if who == "participant" else world.employer, {"reason": "x"})
    assert cancelled.status == 200 and cancelled.body.get("pay") is None
    assert _payroll(world) == 0 and _stored(world, "PAYLINE#") == []


def test_cancelling_a_shift_late_compensates_its_confirmed_participant(world: World) -> None:
    shift_id = world.shift(*EIGHT_HOURS)
    _, me = world.participant()
    app_id = world.confirmed(shift_id, me)
    world.clock("2026-12-01T06:00:00+01:00")
    answer = world.api.call("POST", f"/shifts/{shift_id}/cancel", token=world.employer, json_body={"reason": "Regen"})
    assert answer.status == 200, answer.body
    world.inbox(me)  # the cascade runs from the stream
    assert world.stored(app_id)["pay"]["compensation"] is True
    assert _payroll(world) == 1


def test_who_may_read_a_payslip_and_its_pdf(world: World) -> None:
    participant_id, me = world.participant(caseworker="cw-1", first_name="Selam", last_name="Tesfay")
    _, other = world.participant(caseworker="cw-2")
    _worked(world, me)
    _payroll(world)
    [payslip] = _payslips(world, me)
    path = f"/payslips/{payslip['payslip_id']}"
    api = world.api
    allowed = {"participant": me, "caseworker": api.token("caseworker", "cw-1"), "admin": api.admin()}
    for token in allowed.values():
        assert api.call("GET", path, token=token).body["net"] == payslip["net"]
    for token in (other, api.token("caseworker", "cw-2")):
        assert api.call("GET", path, token=token).status == 404
        assert api.call("GET", f"{path}/pdf", token=token).status == 404
    assert api.call("GET", path, token=world.employer).status in (403, 404)
    assert api.call("GET", "/payslips/ps.2027-01.nobody", token=api.admin()).status == 404
    listed = api.call("GET", f"/participants/{participant_id}/payslips", token=allowed["caseworker"])
    assert [p["payslip_id"] for p in listed.body["items"]] == [payslip["payslip_id"]]
    assert (
        api.call("GET", f"/participants/{participant_id}/payslips", token=api.token("caseworker", "cw-2")).status == 404
    )

    pdf = api.call("GET", f"{path}/pdf", token=me)
    assert pdf.status == 200 and pdf.headers["Content-Type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(pdf.body)).pages[0].extract_text()
    assert "Selam Tesfay" in text and payslip["net"] in text and "Lohnabrechnung" in text


def test_a_caseworkers_list_with_a_bad_cursor_is_a_400_and_not_audited(world: World) -> None:
    """Bad input changes nothing: the page is read (and its cursor checked) before the audit entry."""
    participant_id, _ = world.participant(caseworker="cw-1")
    api, caseworker = world.api, world.api.token("caseworker", "cw-1")
    path = f"/participants/{participant_id}/payslips"
    assert api.call("GET", f"{path}?cursor=forged", token=caseworker).status == 400
    audit = api.call("GET", f"/participants/{participant_id}/audit", token=api.admin()).body["items"]
    assert [e for e in audit if e["action"] == "read_payslips"] == []
    assert api.call("GET", path, token=caseworker).status == 200
    audit = api.call("GET", f"/participants/{participant_id}/audit", token=api.admin()).body["items"]
    assert [e["actor_sub"] for e in audit if e["action"] == "read_payslips"] == ["cw-1"]
