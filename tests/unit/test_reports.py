"""Reports on a small month seeded by hand, every figure checked to the centime: the assistance
statement (the payslips paid in a month), the programme and the employer reports, and the worker
that makes them (attempts, retries, the monthly run, late outcomes)."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import datetime
from typing import Any

import boto3
import pypdf
import pytest
from botocore.exceptions import ClientError

from tests.helpers import Api, create_org, drain, job_body, participant_body, shift_body

PAYROLL = "2026-12-02T03:00:00+01:00"  # December's payroll run: November's work, paid on Mon 7 December


class Month:
    """November 2026: two organisations, three participants, four shifts (one across midnight
    at the month's end), completions, a no-show, a late cancellation, an exit. `late`: the night
    shift's hours are left to be recorded and approved later (`work_night_shift`). `payroll`
    pays them: the payslips are on the statement of the month they are paid in."""

    def __init__(self, api: Api, aws: dict[str, Any], late: bool = False):
        self.api, self.aws = api, aws
        self.at("2026-11-01T09:00:00+01:00")
        self.org_a = create_org(api, name="Bäckerei AG", kind="company")
        self.org_b = create_org(api, name="Stadt Bern", kind="public")
        self.emp_a, self.emp_b = api.employer(self.org_a), api.employer(self.org_b)
        self.p = {}
        for name, cw in (("p1", "cw-1"), ("p2", "cw-1"), ("p3", "cw-2")):
            body = participant_body(
                email=f"{name}@example.ch", first_name=name.upper(), case_reference=f"SD-2026-000{name[1]}"
            )
            pid = api.call("POST", "/participants", token=api.token("caseworker", cw), json_body=body).body[
                "participant_id"
            ]
            token = api.token("participant", name, participant_id=pid)
            api.call("POST", "/me/consent", token=token, json_body={"version": "2026-01"})
            self.p[name] = (pid, token)
        self.s1 = self.shift(self.emp_a, "2026-11-10T08:00:00+01:00", "2026-11-10T12:00:00+01:00", 30, "24.50", 2)
        self.s2 = self.shift(self.emp_a, "2026-11-30T22:00:00+01:00", "2026-12-01T06:00:00+01:00", 30, "26.00", 1)
        self.s3 = self.shift(self.emp_b, "2026-11-20T08:00:00+01:00", "2026-11-20T12:00:00+01:00", 0, "25.00", 3)
        self.s4 = self.shift(self.emp_b, "2026-11-25T14:00:00+01:00", "2026-11-25T18:00:00+01:00", 0, "25.00", 2)
        apps = {
            ("p1", "s1"): (self.s1, self.emp_a),
            ("p2", "s1"): (self.s1, self.emp_a),
            ("p3", "s2"): (self.s2, self.emp_a),
            ("p1", "s3"): (self.s3, self.emp_b),
            ("p2", "s3"): (self.s3, self.emp_b),
            ("p3", "s4"): (self.s4, self.emp_b),
        }
        self.apps = {}
        for (who, shift_name), (shift, _) in apps.items():
            answer = api.call("POST", f"/shifts/{shift}/applications", token=self.p[who][1])
            self.apps[(who, shift_name)] = answer.body["application_id"]
        self.at("2026-11-02T09:00:00+01:00")  # every offer 24 h after publication
        for key, (_, employer) in apps.items():
            assert self.act(key, "accept", employer).status == 200
            assert self.act(key, "confirm", self.p[key[0]][1]).status == 200
        self.at("2026-11-10T13:00:00+01:00")
        for who in ("p1", "p2"):
            self.work((who, "s1"), self.emp_a, "2026-11-10T08:00:00+01:00", "2026-11-10T12:00:00+01:00", 30)
        assert self.act(("p1", "s1"), "rating", self.p["p1"][1], {"stars": 5}).status == 200
        assert self.act(("p1", "s1"), "rating", self.emp_a, {"stars": 4}).status == 200
        self.at("2026-11-20T13:00:00+01:00")
        self.work(("p1", "s3"), self.emp_b, "2026-11-20T08:00:00+01:00", "2026-11-20T12:00:00+01:00", 0)
        assert self.act(("p2", "s3"), "no-show", self.emp_b).status == 200
        self.at("2026-11-25T02:00:00+01:00")
        assert self.act(("p3", "s4"), "cancel", self.p["p3"][1], {"reason": "ill"}).body["cancelled_late"] is True
        self.at("2026-12-01T07:00:00+01:00")
        if not late:
            self.work_night_shift()
        exit_body = {"outcome": "regular_employment", "date": "2026-11-28"}
        assert (
            api.call("POST", f"/participants/{self.p['p2'][0]}/exit", token=api.admin(), json_body=exit_body).status
            == 200
        )

    def work_night_shift(self) -> None:
        self.work(("p3", "s2"), self.emp_a, "2026-11-30T22:00:00+01:00", "2026-12-01T06:00:00+01:00", 30)

    def at(self, now: str) -> None:
        self.api.call("POST", "/_local/clock", json_body={"now": now})

    def shift(self, employer: str, start: str, end: str, pause: int, wage: str, slots: int) -> str:
        body = job_body(shift_body(start, end, break_minutes=pause, slots=slots), publish=True, hourly_wage=wage)
        answer = self.api.call("POST", "/jobs", token=employer, json_body=body)
        assert answer.status == 201, answer.body
        return str(answer.body["shifts"][0]["shift_id"])

    def act(self, key: tuple[str, str], action: str, token: str, body: Any = None) -> Any:
        return self.api.call("POST", f"/applications/{self.apps[key]}/{action}", token=token, json_body=body)

    def work(self, key: tuple[str, str], employer: str, start: str, end: str, pause: int) -> None:
        hours = {"started_at": start, "ended_at": end, "break_minutes": pause}
        assert self.act(key, "hours", employer, hours).status == 200
        assert self.act(key, "hours/approve", self.p[key[0]][1]).status == 200

    def payroll(self, at: str = PAYROLL) -> int:
        """The payroll run at `at` (the stack's clock); the payslips it wrote."""
        self.at(at)
        answer = self.api.call("POST", "/_local/schedules/payroll")
        assert answer.status == 200, answer.body
        drain(self.aws)
        return int(answer.body["result"]["handled"])

    def report(self, kind: str, token: str | None = None, period: str = "2026-11", **extra: str) -> dict[str, Any]:
        answer = self.api.call(
            "POST", "/reports", token=token or self.api.admin(), json_body={"type": kind, "period": period, **extra}
        )
        assert answer.status == 202, answer.body
        assert answer.body["status"] == "pending"
        drain(self.aws)
        return dict(self.api.call("GET", f"/reports/{answer.body['report_id']}", token=token or self.api.admin()).body)


def s3_error(code: str, status: int) -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "PutObject"
    )


def read_bytes(aws: dict[str, Any], url: str) -> bytes:
    key = url.split("?")[0].split(f"{aws['ReportsBucket']}/", 1)[-1]
    key = key.split(".amazonaws.com/", 1)[-1]
    return bytes(boto3.client("s3").get_object(Bucket=aws["ReportsBucket"], Key=key)["Body"].read())


def read_file(aws: dict[str, Any], url: str) -> str:
    return read_bytes(aws, url).decode()


def file_url(report: dict[str, Any], fmt: str) -> str:
    return str(next(f["url"] for f in report["files"] if f["format"] == fmt))


@pytest.fixture
def month(api: Api, aws: dict[str, Any]) -> Month:
    return Month(api, aws)


@pytest.fixture
def paid(month: Month) -> Month:
    """The month, paid by December's payroll run: one payslip each for P1, P2 and P3."""
    assert month.payroll() == 3
    return month


# December's payroll run, by hand. Each payslip holds the participant's applications completed in
# November, their pay fixed at approval: P1 3.50 h at 24.50 (gross 103.85) and 4 h at 25.00 (121.10);
# P2 3.50 h at 24.50 (103.85); P3 the night shift, 7.50 h at 26.00 (236.15). Each deduction is the
# payslip's gross x rate, rounded to 0.05: AHV/IV/EO 5.3 %, ALV 1.1 %, KTG 0.1 %, GAV 0.4 %, BVG 0 %;
# no NBU, every payslip being under 8 h a week (hours x 7 < 8 x 30 days). The income allowance is
# 600 x hours / 182, rounded to 0.05; counted income = net - allowance.
#   P1, gross 224.95: AHV 11.92235 -> 11.90, ALV 2.47445 -> 2.45, KTG 0.22495 -> 0.20,
#       GAV 0.8998 -> 0.90; deductions 15.45, net 209.50; allowance 24.7253 -> 24.75; counted 184.75.
#   P2, gross 103.85: AHV 5.50405 -> 5.50, ALV 1.14235 -> 1.15, KTG 0.10385 -> 0.10,
#       GAV 0.4154 -> 0.40; deductions 7.15, net 96.70; allowance 11.5385 -> 11.55; counted 85.15.
#   P3, gross 236.15: AHV 12.51595 -> 12.50, ALV 2.59765 -> 2.60, KTG 0.23615 -> 0.25,
#       GAV 0.9446 -> 0.95; deductions 16.30, net 219.85; allowance 24.75 (7.50 h, as P1); counted 195.10.
FIGURES = (
    "hours",
    "gross",
    "ahv_iv_eo",
    "alv",
    "nbu",
    "ktg",
    "gav",
    "bvg",
    "deductions",
    "net",
    "income_allowance",
    "counted_income",
)
PAYSLIPS = {
    "P1": ("7.50", "224.95", "11.90", "2.45", "0.00", "0.20", "0.90", "0.00", "15.45", "209.50", "24.75", "184.75"),
    "P2": ("3.50", "103.85", "5.50", "1.15", "0.00", "0.10", "0.40", "0.00", "7.15", "96.70", "11.55", "85.15"),
    "P3": ("7.50", "236.15", "12.50", "2.60", "0.00", "0.25", "0.95", "0.00", "16.30", "219.85", "24.75", "195.10"),
}
STATEMENT_SUMMARY = {
    "participants": 3,
    "payslips": 3,
    "hours": "18.50",
    "gross": "564.95",
    "deductions": "38.90",  # 15.45 + 7.15 + 16.30
    "net": "526.05",  # 209.50 + 96.70 + 219.85
    "income_allowance": "61.05",  # 24.75 + 11.55 + 24.75
    "counted_income": "465.00",  # 184.75 + 85.15 + 195.10
}
CW1_SUMMARY = {  # P1 and P2
    "participants": 2,
    "payslips": 2,
    "hours": "11.00",
    "gross": "328.80",
    "deductions": "22.60",
    "net": "306.20",
    "income_allowance": "36.30",
    "counted_income": "269.90",
}
STATEMENT_FORMATS = ("csv", "html", "json", "pdf")


def statement_row(month: Month, name: str) -> dict[str, Any]:
    """The statement's row of `name`'s payslip of December's payroll run."""
    pid = month.p[name.lower()][0]
    return {
        "participant_id": pid,
        "first_name": name,
        "last_name": "Meier",
        "case_reference": f"SD-2026-000{name[1]}",
        "caseworker_id": "cw-2" if name == "P3" else "cw-1",
        "payslip_id": f"ps.2026-12.{pid}",
        "work_month": "2026-11",
        "payout_date": "2026-12-07",  # the 5th weekday of December: Tue 1, Wed 2, Thu 3, Fri 4, Mon 7
        **dict(zip(FIGURES, PAYSLIPS[name], strict=True)),
    }


def test_the_assistance_statement_lists_each_payslip_paid_in_the_month_to_the_centime(
    paid: Month, aws: dict[str, Any], api: Api
) -> None:
    """November's work, paid on 7 December by the run of the 2nd, is on December's statement (the
    month the office counts the income), one row per payslip, each figure the payslip's."""
    report = paid.report("earnings", period="2026-12")
    assert report["status"] == "ready"
    assert report["summary"] == STATEMENT_SUMMARY
    assert {f["format"]: f["scope"] for f in report["files"]} == dict.fromkeys(STATEMENT_FORMATS, "all")
    document = json.loads(read_file(aws, file_url(report, "json")))
    assert document["summary"] == STATEMENT_SUMMARY
    assert document["rows"] == [statement_row(paid, name) for name in ("P1", "P2", "P3")]
    table = list(csv.DictReader(io.StringIO(read_file(aws, file_url(report, "csv")))))
    assert list(table[0]) == [
        "participant_id",
        "first_name",
        "last_name",
        "case_reference",
        "caseworker_id",
        "payslip_id",
        "work_month",
        "payout_date",
        "hours",
        "gross",
        "ahv_iv_eo",
        "alv",
        "nbu",
        "ktg",
        "gav",
        "bvg",
        "deductions",
        "net",
        "income_allowance",
        "counted_income",
    ]
    assert table == document["rows"]
    # Each row is the participant's own payslip, as they see it.
    [own] = api.call("GET", "/me/payslips", token=paid.p["p1"][1]).body["items"]
    assert (own["payslip_id"], own["net"], own["income_allowance"], own["counted_income"]) == (
        statement_row(paid, "P1")["payslip_id"],
        "209.50",
        "24.75",
        "184.75",
    )
    # Worked in November is not paid in November: November's statement holds nothing.
    november = paid.report("earnings")
    assert (november["status"], november["summary"]) == (
        "ready",
        {"participants": 0, "payslips": 0}
        | dict.fromkeys(("hours", "gross", "deductions", "net", "income_allowance", "counted_income"), "0.00"),
    )
    assert json.loads(read_file(aws, file_url(november, "json")))["rows"] == []


def test_each_caseworker_gets_only_their_caseload(paid: Month, aws: dict[str, Any], api: Api) -> None:
    """One row per payslip, in the file of the participant's caseworker as the profile says when
    the statement is made, and that caseload's sums."""
    p1, p2, p3 = (paid.p[name][0] for name in ("p1", "p2", "p3"))
    report_id = paid.report("earnings", period="2026-12")["report_id"]
    cw1 = api.call("GET", f"/reports/{report_id}", token=api.token("caseworker", "cw-1")).body
    assert cw1["summary"] == CW1_SUMMARY
    assert {f["format"]: f["scope"] for f in cw1["files"]} == dict.fromkeys(STATEMENT_FORMATS, "caseworker-cw-1")
    document = json.loads(read_file(aws, file_url(cw1, "json")))
    assert document["summary"] == CW1_SUMMARY
    assert document["rows"] == [statement_row(paid, "P1"), statement_row(paid, "P2")]
    table = csv.DictReader(io.StringIO(read_file(aws, file_url(cw1, "csv"))))
    assert [(r["participant_id"], r["caseworker_id"]) for r in table] == [(p1, "cw-1"), (p2, "cw-1")]
    page = read_file(aws, file_url(cw1, "html"))
    assert "Meier, P1" in page and "Meier, P2" in page
    assert "Meier, P3" not in page and p3 not in page and "219.85" not in page
    cw2 = api.call("GET", f"/reports/{report_id}", token=api.token("caseworker", "cw-2")).body
    text = read_file(aws, file_url(cw2, "json"))
    assert json.loads(text)["rows"] == [statement_row(paid, "P3")]
    assert (cw2["summary"]["payslips"], cw2["summary"]["net"]) == (1, "219.85")
    assert "cw-1" not in json.dumps(cw2)
    assert "cw-1" not in text and p1 not in text and p2 not in text
    outsider = api.call("GET", f"/reports/{report_id}", token=api.token("caseworker", "cw-3")).body
    assert outsider["files"] == [] and outsider["summary"] == {}
    assert api.call("GET", f"/reports/{report_id}", token=paid.emp_a).status == 404
    assert api.call("GET", f"/reports/{report_id}", token=api.token("participant", participant_id="x")).status == 403
    # P1 moves to cw-2: asked again, the statement puts P1's payslip in cw-2's file, not cw-1's.
    moved = api.call("PATCH", f"/participants/{p1}", token=api.admin(), json_body={"caseworker_id": "cw-2"})
    assert moved.status == 200, moved.body
    paid.report("earnings", period="2026-12")
    cw1 = api.call("GET", f"/reports/{report_id}", token=api.token("caseworker", "cw-1")).body
    assert [r["participant_id"] for r in json.loads(read_file(aws, file_url(cw1, "json")))["rows"]] == [p2]
    assert (cw1["summary"]["payslips"], cw1["summary"]["net"]) == (1, "96.70")
    cw2 = api.call("GET", f"/reports/{report_id}", token=api.token("caseworker", "cw-2")).body
    rows = json.loads(read_file(aws, file_url(cw2, "json")))["rows"]
    assert [(r["participant_id"], r["caseworker_id"]) for r in rows] == [(p1, "cw-2"), (p3, "cw-2")]
    assert (cw2["summary"]["payslips"], cw2["summary"]["net"]) == (2, "429.35")  # 209.50 + 219.85


def test_each_link_handed_to_staff_is_audited_before_it_leaves(paid: Month, api: Api) -> None:
    """The statement's files name people and their earnings: an admin can see who was handed
    links, to which part, when (a caseworker with no part in it got none, so nothing is noted)."""
    report_id = paid.report("earnings", period="2026-12")["report_id"]  # read by the admin: noted
    [admin] = api.call("GET", f"/reports/{report_id}/audit", token=api.admin()).body["items"]
    assert (admin["actor_sub"], admin["scope"], admin["at"]) == ("admin-1", "all", "2026-12-02T02:00:00+00:00")
    api.call("GET", f"/reports/{report_id}", token=api.token("caseworker", "cw-1"))
    listed = api.call("GET", "/reports", token=api.token("caseworker", "cw-2")).body["items"]
    assert [r["report_id"] for r in listed if r["files"]] == [report_id]
    api.call("GET", f"/reports/{report_id}", token=api.token("caseworker", "cw-3"))  # no part: no link
    audit = api.call("GET", f"/reports/{report_id}/audit", token=api.admin())
    assert audit.status == 200, audit.body
    assert [(e["actor_sub"], e["actor_role"], e["scope"], e["formats"]) for e in audit.body["items"][1:]] == [
        ("cw-1", "caseworker", "caseworker-cw-1", sorted(STATEMENT_FORMATS)),
        ("cw-2", "caseworker", "caseworker-cw-2", sorted(STATEMENT_FORMATS)),
    ]
    assert api.call("GET", f"/reports/{report_id}/audit", token=api.token("caseworker", "cw-1")).status == 403
    assert api.call("GET", "/reports/nope/audit", token=api.admin()).status == 404
    api.call("GET", f"/reports/{report_id}", token=paid.emp_a)  # 404 for an employer: nothing noted
    assert len(api.call("GET", f"/reports/{report_id}/audit", token=api.admin()).body["items"]) == 3


def html_rows(page: str, section: str) -> list[list[str]]:
    """The cells' text of each row of a section (tbody, tfoot) of the page's table."""
    [part] = re.findall(rf"<{section}>(.*?)</{section}>", page, re.S)
    return [
        [html.unescape(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)]
        for tr in re.findall(r"<tr>(.*?)</tr>", part, re.S)
    ]


def test_the_statements_page_and_pdf_hold_each_payslip(paid: Month, aws: dict[str, Any], api: Api) -> None:
    """What the office reads and prints: the HTML page and the PDF show each payslip's row and the
    totals; a caseworker's show their caseload's rows alone."""
    report = paid.report("earnings", period="2026-12")

    def shown(name: str) -> list[str]:
        row = statement_row(paid, name)
        return [
            f"Meier, {name}",
            row["case_reference"],
            f"{row['payslip_id']} (2026-11)",
            "2026-12-07",
            *(row[k] for k in ("hours", "gross", "deductions", "net", "income_allowance", "counted_income")),
        ]

    page = read_file(aws, file_url(report, "html"))
    assert "<title>Assistance statement 2026-12</title>" in page
    assert html_rows(page, "tbody") == [shown("P1"), shown("P2"), shown("P3")]
    assert html_rows(page, "tfoot") == [
        ["Total: 3 participants", "", "3 payslips", "", "18.50", "564.95", "38.90", "526.05", "61.05", "465.00"]
    ]
    pdf = read_bytes(aws, file_url(report, "pdf"))
    assert pdf.startswith(b"%PDF-")
    text = " ".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Assistance statement 2026-12" in text
    for name in ("P1", "P2", "P3"):
        # Name to payout date, then the amounts in their columns' order (the payslip id may wrap).
        name_cell, reference, _, payout, *amounts = shown(name)
        assert f"{name_cell} {reference}" in text
        assert f"{payout} {' '.join(amounts)}" in text
    assert "18.50 564.95 38.90 526.05 61.05 465.00" in text
    assert "Total: 3 participants" in text and "3 payslips" in text
    cw1 = api.call("GET", f"/reports/{report['report_id']}", token=api.token("caseworker", "cw-1")).body
    assert [r[0] for r in html_rows(read_file(aws, file_url(cw1, "html")), "tbody")] == ["Meier, P1", "Meier, P2"]
    own = pypdf.PdfReader(io.BytesIO(read_bytes(aws, file_url(cw1, "pdf")))).pages[0].extract_text()
    assert "Meier, P1" in own and "Meier, P2" in own and "Meier, P3" not in own
    assert "306.20" in own and "219.85" not in own


def test_employer_reports_to_the_centime_and_only_for_their_organisation(month: Month, api: Api) -> None:
    a = month.report("employer", token=month.emp_a)
    assert a["summary"] == {
        "org_id": month.org_a,
        "shifts_posted": 2,
        "slots_posted": 3,
        "slots_filled": 3,
        "completed_shifts": 3,
        "hours": "14.50",
        "wage_cost": "443.85",
        "compensation": "0.00",  # P3's late cancellation was P3's own: nothing to pay
        "base": "366.50",
        "public_holiday": "11.75",
        "holiday": "31.45",
        "thirteenth_month": "34.15",
        "gross": "443.85",
        "no_shows": 0,
        "cancellations": 0,
    }
    b = month.report("employer", org_id=month.org_b)  # an admin names the organisation
    assert (b["summary"]["slots_posted"], b["summary"]["slots_filled"], b["summary"]["wage_cost"]) == (5, 2, "121.10")
    assert (b["summary"]["no_shows"], b["summary"]["cancellations"]) == (1, 1)
    assert api.call("GET", f"/reports/{b['report_id']}", token=month.emp_a).status == 404
    other = api.call(
        "POST",
        "/reports",
        token=month.emp_a,
        json_body={"type": "employer", "period": "2026-11", "org_id": month.org_b},
    )
    assert other.status == 404
    refused = api.call("POST", "/reports", token=month.emp_a, json_body={"type": "earnings", "period": "2026-11"})
    assert refused.status == 422


def test_the_programme_report_with_its_charts(month: Month, aws: dict[str, Any], api: Api) -> None:
    report = month.report("programme")
    summary = dict(report["summary"])
    # The step to a regular job (test_regular_offers.py): none this month; every other figure as before.
    regular = {
        k: summary.pop(k) for k in ("regular_offers_made", "regular_offers_accepted", "conversions_by_organisation")
    }
    assert (regular["regular_offers_made"], regular["regular_offers_accepted"]) == (0, 0)
    assert [c["regular_offers_accepted"] for c in regular["conversions_by_organisation"].values()] == [0, 0]
    assert summary == {
        "enrolled": 3,
        "new_participants": 3,
        "active": 3,
        "placed": 3,
        "exits_by_outcome": {"regular_employment": 1},
        "jobs_posted_by_kind": {"company": 2, "public": 2},
        "slots_posted_by_kind": {"company": 3, "public": 5},
        "fill_rate": "0.6250",
        "median_hours_to_fill": 24.0,
        "no_show_rate": "0.2000",
        "late_cancellation_rate": "0.1667",
        "average_rating_of_employers": 5.0,
        "average_rating_of_participants": 4.0,
        "completed_shifts": 4,
        "hours": "18.50",
        "base": "466.50",
        "public_holiday": "14.95",
        "holiday": "40.05",
        "thirteenth_month": "43.45",
        "gross": "564.95",
        # November's work is paid by December's payroll: no payslip was paid in November.
        "gross_paid": "0.00",
        "net_paid": "0.00",
        # issue 19: a few shifts are far from 6 contribution months (tests/unit/test_programme_contributions.py)
        "contribution_months_6_plus": 0,
        "contribution_months_12_plus": 0,
    }
    page = read_file(aws, next(f for f in report["files"] if f["format"] == "html")["url"])
    assert page.count("<svg") == 5
    assert "Exits by outcome" in page and "<script" not in page
    assert api.call("GET", f"/reports/{report['report_id']}", token=api.token("caseworker", "cw-1")).status == 404
    # December: nothing worked, November's payslips paid (STATEMENT_SUMMARY's gross and net).
    assert month.payroll() == 3
    december = month.report("programme", period="2026-12")
    figures = ("completed_shifts", "hours", "gross", "gross_paid", "net_paid")
    assert [december["summary"][k] for k in figures] == [0, "0.00", "0.00", "564.95", "526.05"]
    [row] = csv.DictReader(io.StringIO(read_file(aws, file_url(december, "csv"))))
    assert (row["month"], row["gross"], row["gross_paid"], row["net_paid"]) == ("2026-12", "0.00", "564.95", "526.05")


def test_asking_again_replaces_and_a_range_needs_a_programme(month: Month, api: Api) -> None:
    month.report("programme")
    month.report("programme")
    listed = api.call("GET", "/reports", token=api.admin()).body["items"]
    assert [r["report_id"] for r in listed] == ["rpt.programme.2026-11"]
    ranged = api.call(
        "POST", "/reports", token=api.admin(), json_body={"type": "earnings", "period": "2026-10..2026-11"}
    )
    assert ranged.status == 422
    assert (
        api.call("POST", "/reports", token=api.admin(), json_body={"type": "programme", "period": "2026-13"}).status
        == 422
    )


def test_a_permanent_error_leaves_the_report_failed_at_once_and_asking_again_succeeds(
    month: Month, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tremplin.data import reports as store

    real_put = store.put_file
    calls = {"n": 0}

    def refused(key: str, body: str, content_type: str) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise s3_error("AccessDenied", 403)
        real_put(key, body, content_type)

    monkeypatch.setattr(store, "put_file", refused)
    failed = month.report("earnings")
    assert failed["status"] == "failed"
    assert failed["error"]
    assert failed["files"] == []
    assert calls["n"] == 2  # not tried again: the message was done with
    monkeypatch.setattr(store, "put_file", real_put)
    assert month.report("earnings")["status"] == "ready"


def test_the_monthly_schedule_asks_for_last_months_reports(month: Month, api: Api) -> None:
    month.at("2026-12-01T03:00:00+01:00")
    result = api.call("POST", "/_local/schedules/monthly-reports").body["result"]
    assert result["handled"] == 4  # earnings, programme, and one employer report per organisation
    drain(month.aws)
    listed = {r["report_id"]: r["status"] for r in api.call("GET", "/reports", token=api.admin()).body["items"]}
    assert listed == {
        "rpt.earnings.2026-11": "ready",
        "rpt.programme.2026-11": "ready",
        f"rpt.employer.2026-11.{month.org_a}": "ready",
        f"rpt.employer.2026-11.{month.org_b}": "ready",
    }


# ---------------------------------------------------------------- attempts, retries, the monthly run, late outcomes

EARNINGS = "rpt.earnings.2026-11"  # the statement of November: what the monthly run of 1 December asks for
STATEMENT = "rpt.earnings.2026-12"  # the statement of December: November's work, paid on 7 December


def ask(api: Api, kind: str = "earnings", period: str = "2026-12") -> str:
    """Asks for a report (December's statement) without running the worker."""
    answer = api.call("POST", "/reports", token=api.admin(), json_body={"type": kind, "period": period})
    assert answer.status == 202, answer.body
    return str(answer.body["report_id"])


def attempt_of(report_id: str) -> int:
    from tremplin.data import reports as store

    item = store.get(report_id)
    assert item is not None
    return int(item["attempt"])


def json_rows(aws: dict[str, Any], report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    document = json.loads(read_file(aws, next(f["url"] for f in report["files"] if f["format"] == "json")))
    return {r["first_name"]: r for r in document["rows"]}


@pytest.mark.parametrize("newer", ["asked_again", "refreshed"])
def test_an_older_worker_finishing_last_never_replaces_the_newest_attempt(
    api: Api, aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch, newer: str
) -> None:
    """The older worker read December's payslips while the payroll run was still issuing them
    (P3's not yet) and writes its files slowly; meanwhile the report is asked for again (or
    refreshed) and the newer attempt, which sees P3's payslip, finishes first. The report keeps
    the newest attempt's files and content."""
    from tremplin import clock
    from tremplin.data import payslips as payslip_store
    from tremplin.data import reports as store
    from tremplin.logic import report_generation

    month = Month(api, aws)
    assert month.payroll() == 3
    p3 = month.p["p3"][0]
    ask(api)
    older = attempt_of(STATEMENT)
    real_paid_in, real_put = payslip_store.paid_in, store.put_file
    state = {"older_view": True, "newer": 0}

    def paid_in(period: str) -> list[dict[str, Any]]:
        found = real_paid_in(period)
        return [s for s in found if not (state["older_view"] and s["participant_id"] == p3)]

    def slow_put(key: str, body: str, content_type: str) -> None:
        if state["older_view"] and not state["newer"]:
            state["older_view"] = False  # the newer attempt runs while the older one writes
            if newer == "asked_again":
                ask(api)
                state["newer"] = attempt_of(STATEMENT)
            else:
                now = clock.now()
                state["newer"] = store.refresh(STATEMENT, clock.iso(now), clock.iso(now)) or 0
            assert report_generation.generate(STATEMENT, state["newer"]) == "ready"
            state["older_view"] = True
        real_put(key, body, content_type)

    monkeypatch.setattr(payslip_store, "paid_in", paid_in)
    monkeypatch.setattr(store, "put_file", slow_put)
    assert report_generation.generate(STATEMENT, older) == "superseded"
    assert state["newer"] == older + 1
    report = api.call("GET", f"/reports/{STATEMENT}", token=api.admin()).body
    assert report["status"] == "ready"
    assert report["summary"] == STATEMENT_SUMMARY
    rows = json_rows(aws, report)
    assert sorted(rows) == ["P1", "P2", "P3"] and rows["P3"] == statement_row(month, "P3")
    assert len(report["files"]) == 4
    assert all(f"/attempt-{older + 1}/" in f["url"] for f in report["files"])
    pdf = pypdf.PdfReader(io.BytesIO(read_bytes(aws, file_url(report, "pdf")))).pages[0].extract_text()
    assert "Meier, P3" in pdf  # the newer attempt's PDF too, not the older one's
    # The messages of both attempts, delivered now, change nothing.
    monkeypatch.setattr(payslip_store, "paid_in", real_paid_in)
    monkeypatch.setattr(store, "put_file", real_put)
    drain(aws)
    again = api.call("GET", f"/reports/{STATEMENT}", token=api.admin()).body
    assert (again["status"], again["generated_at"]) == ("ready", report["generated_at"])
    assert json_rows(aws, again) == rows


def _throttled_once(monkeypatch: pytest.MonkeyPatch, fault: str) -> dict[str, int]:
    """S3 refuses the first file, or DynamoDB throttles the first Query (the statement's read of
    the payslips paid in its month)."""
    from tremplin.data import dynamo
    from tremplin.data import payslips as payslip_store
    from tremplin.data import reports as store

    calls = {"n": 0}
    if fault == "s3_unavailable":
        real_put = store.put_file

        def put_file(key: str, body: str, content_type: str) -> None:
            calls["n"] += 1
            if calls["n"] == 1:
                raise s3_error("ServiceUnavailable", 503)
            real_put(key, body, content_type)

        monkeypatch.setattr(store, "put_file", put_file)
    else:
        real_query = payslip_store.query_all

        def query_all(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
            calls["n"] += 1
            if calls["n"] == 1:
                with dynamo.translated_errors():  # what DynamoDB's throttling becomes once boto3 gives up
                    raise ClientError(
                        {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}, "Query"
                    )
            return real_query(*args, **kwargs)

        monkeypatch.setattr(payslip_store, "query_all", query_all)
    return calls


@pytest.mark.parametrize("fault", ["s3_unavailable", "dynamodb_throttled"])
def test_a_transient_error_is_left_to_the_queue_and_never_fails_the_report(
    paid: Month, api: Api, aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    from local.queues import QueuePoller
    from tests.helpers import shared_host

    calls = _throttled_once(monkeypatch, fault)
    ask(api)
    poller = QueuePoller(shared_host(), aws)
    assert poller.poll_once() == 1
    assert calls["n"] == 1
    waiting = api.call("GET", f"/reports/{STATEMENT}", token=api.admin()).body
    assert (waiting["status"], waiting["error"], waiting["files"]) == ("pending", None, [])
    assert poller.pending() == 1  # the message is back on the queue
    drain(aws)
    report = api.call("GET", f"/reports/{STATEMENT}", token=api.admin()).body
    assert (report["status"], report["summary"]) == ("ready", STATEMENT_SUMMARY)


def test_a_transient_error_at_every_receive_parks_the_message_and_its_redrive_still_succeeds(
    paid: Month, api: Api, aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tremplin.data import reports as store

    real_put = store.put_file
    calls = {"n": 0}

    def unavailable(key: str, body: str, content_type: str) -> None:
        calls["n"] += 1
        raise s3_error("SlowDown", 503)

    monkeypatch.setattr(store, "put_file", unavailable)
    ask(api)
    drain(aws)
    assert calls["n"] == 5  # one try per receive, then the message is parked
    sqs = boto3.client("sqs")
    dlq = sqs.get_queue_attributes(QueueUrl=aws["ReportsDLQ"], AttributeNames=["ApproximateNumberOfMessages"])
    assert dlq["Attributes"]["ApproximateNumberOfMessages"] == "1"
    failed = api.call("GET", f"/reports/{STATEMENT}", token=api.admin()).body
    assert (failed["status"], failed["files"]) == ("failed", [])
    assert "ask again" in failed["error"]
    # S3 is back: the parked message, redriven, still finishes its attempt.
    monkeypatch.setattr(store, "put_file", real_put)
    [parked] = sqs.receive_message(QueueUrl=aws["ReportsDLQ"])["Messages"]
    sqs.send_message(QueueUrl=aws["ReportsQueue"], MessageBody=parked["Body"])
    sqs.delete_message(QueueUrl=aws["ReportsDLQ"], ReceiptHandle=parked["ReceiptHandle"])
    drain(aws)
    report = api.call("GET", f"/reports/{STATEMENT}", token=api.admin()).body
    assert (report["status"], report["error"], report["summary"]) == ("ready", None, STATEMENT_SUMMARY)
    assert json_rows(aws, report)["P3"] == statement_row(paid, "P3")


def test_the_worker_knows_how_often_the_queue_delivers_a_message() -> None:
    from local import template
    from tremplin.logic import report_generation

    [queue] = [q for q in template.queue_definitions() if q.logical_id == "ReportsQueue"]
    assert queue.max_receive_count == report_generation.RECEIVES


def test_the_monthly_run_asks_one_message_per_report_without_reading_the_month(month: Month) -> None:
    """Keys only, one Query per organisation and index: what it holds and reads does not grow
    with the month's outcomes or shifts."""
    from tremplin.data import dynamo
    from tremplin.data import organisations as organisations_store
    from tremplin.data import participants as participants_store
    from tremplin.data import reports as store
    from tremplin.logic import reports

    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the monthly run reads no items of the month")

    queries: list[dict[str, Any]] = []

    def counted(params: dict[str, Any], **_: Any) -> None:
        queries.append(params)

    month.at("2026-12-01T03:00:00+01:00")
    events = dynamo.table().meta.client.meta.events
    events.register("provide-client-params.dynamodb.Query", counted, unique_id="count-monthly-queries")
    try:
        with pytest.MonkeyPatch.context() as patched:
            for name in ("outcomes", "shifts_starting", "jobs_published", "query_all", "batch_get"):
                patched.setattr(store, name, forbidden)
            for module in (organisations_store, participants_store):
                patched.setattr(module, "get_many", forbidden)
            asked = reports.monthly(datetime.fromisoformat("2026-12-01T03:00:00+01:00"))
    finally:
        events.unregister("provide-client-params.dynamodb.Query", unique_id="count-monthly-queries")
    assert sorted(asked) == sorted(
        [
            EARNINGS,
            "rpt.programme.2026-11",
            f"rpt.employer.2026-11.{month.org_a}",
            f"rpt.employer.2026-11.{month.org_b}",
        ]
    )
    # Two organisations on two indexes: each found by one Query, and one more finds nothing.
    assert len(queries) == 6
    assert all(q["Limit"] == 1 for q in queries)
    drain(month.aws)
    assert [(store.get(r) or {}).get("status") for r in asked] == ["ready"] * 4


PROGRAMME = "rpt.programme.2026-11"


def approved_after_the_monthly_run(api: Api, aws: dict[str, Any]) -> tuple[Month, Any, Any, dict[str, Any]]:
    """November reported by the monthly run of 1 December and paid by the payroll of the 2nd, both
    without P3's night shift, whose hours are approved on 3 December: the month, the application's
    images before and after (the stream's), and November's statement as the monthly run made it."""
    from tremplin.data import applications as app_store
    from tremplin.data import reports as store

    month = Month(api, aws, late=True)
    month.at("2026-12-01T03:00:00+01:00")
    assert api.call("POST", "/_local/schedules/monthly-reports").body["result"]["handled"] == 4
    drain(aws)
    programme = api.call("GET", f"/reports/{PROGRAMME}", token=api.admin()).body
    assert (programme["status"], programme["summary"]["completed_shifts"]) == ("ready", 3)  # not P3's
    employer = api.call("GET", f"/reports/rpt.employer.2026-11.{month.org_a}", token=api.admin()).body
    assert (employer["status"], employer["summary"]["wage_cost"]) == ("ready", "207.70")  # 443.85 - 236.15
    statement = store.get(EARNINGS)
    assert statement is not None and statement["status"] == "ready"
    assert month.payroll() == 2  # P1 and P2: P3's hours wait for approval
    month.at("2026-12-03T10:00:00+01:00")
    app_id = month.apps[("p3", "s2")]
    old = app_store.get(app_id)
    month.work_night_shift()
    new = app_store.get(app_id)
    assert new is not None and (new["status"], new["work_month"]) == ("completed", "2026-11")
    return month, old, new, statement


def assert_late_outcome_counted(month: Month, api: Api, statement: dict[str, Any]) -> dict[str, Any]:
    """November's programme and employer reports count P3's night shift; November's statement is
    the one the monthly run made: payslips are fixed when issued, no late outcome moves it."""
    from tremplin.data import reports as store

    programme = api.call("GET", f"/reports/{PROGRAMME}", token=api.admin()).body
    assert (programme["status"], programme["summary"]["completed_shifts"]) == ("ready", 4)
    assert (programme["summary"]["hours"], programme["summary"]["gross"]) == ("18.50", "564.95")
    employer = api.call("GET", f"/reports/rpt.employer.2026-11.{month.org_a}", token=api.admin()).body
    assert (employer["status"], employer["summary"]["wage_cost"]) == ("ready", "443.85")
    unchanged = store.get(EARNINGS)
    assert unchanged is not None
    fields = ("status", "attempt", "generated_at", "summary_json", "files")
    assert {k: unchanged.get(k) for k in fields} == {k: statement.get(k) for k in fields}
    return dict(programme)


def send_failing_once(monkeypatch: pytest.MonkeyPatch, report_id: str | None = None) -> list[tuple[str, int]]:
    """SQS refuses the first message (of `report_id`, or any); returns the messages sent."""
    from tremplin.data import reports as store

    real_enqueue = store.enqueue
    sent: list[tuple[str, int]] = []
    refused: list[str] = []

    def enqueue(wanted: str, attempt: int, delay_seconds: int = 0) -> None:
        if not refused and report_id in (None, wanted):
            refused.append(wanted)
            raise ConnectionError("SQS unreachable")
        real_enqueue(wanted, attempt, delay_seconds)
        sent.append((wanted, attempt))

    monkeypatch.setattr(store, "enqueue", enqueue)
    return sent


def test_hours_approved_after_the_monthly_run_reach_the_closed_months_reports(api: Api, aws: dict[str, Any]) -> None:
    """The night shift of 30 November is approved on 3 December, after the monthly run and the
    payroll: November's programme and employer reports are made again and count it; the
    statements are not, the hours being paid by January's payroll, on January's statement."""
    from tremplin.logic import reports

    month, old, new, statement = approved_after_the_monthly_run(api, aws)
    assert reports.refresh_for_outcome(old, new) == 2  # the programme's and the employer's, not the statement
    assert reports.refresh_for_outcome(old, new) == 0  # a refresh is queued and has not started
    drain(aws)
    after = assert_late_outcome_counted(month, api, statement)
    # Seen again once the regeneration ran: one more, harmless, with the same figures.
    assert reports.refresh_for_outcome(old, new) == 2
    drain(aws)
    again = api.call("GET", f"/reports/{PROGRAMME}", token=api.admin()).body
    assert (again["status"], again["summary"]) == ("ready", after["summary"])
    assert_late_outcome_counted(month, api, statement)
    # December's statement holds the payslips of 2 December, P1's and P2's; P3's hours are paid
    # by January's payroll (work month December, the month before the run) on 7 January 2027.
    december = month.report("earnings", period="2026-12")
    assert (december["summary"]["payslips"], december["summary"]["net"]) == (2, CW1_SUMMARY["net"])
    assert sorted(json_rows(aws, december)) == ["P1", "P2"]
    assert month.payroll("2027-01-04T03:00:00+01:00") == 1
    january = month.report("earnings", period="2027-01")
    assert json_rows(aws, january) == {
        "P3": statement_row(month, "P3")
        | {"payslip_id": f"ps.2027-01.{month.p['p3'][0]}", "work_month": "2026-12", "payout_date": "2027-01-07"}
    }  # the same figures: 7.50 h in 31 days is still under 8 h a week, no NBU


@pytest.mark.parametrize("failing", ["refreshed", "created"])
def test_a_refresh_whose_message_could_not_be_sent_is_sent_on_the_changes_retry(
    api: Api, aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """The refresh is saved on the report, then SQS refuses its message: the change's effects
    raise, and the stream consumer's retry of the change (same images) sends that attempt's
    message. `created`: the employer report, unknown to the monthly run, made by the refresh."""
    from tremplin.data import reports as store
    from tremplin.logic import reports

    month, old, new, statement = approved_after_the_monthly_run(api, aws)
    employer = f"rpt.employer.2026-11.{month.org_a}"
    if failing == "created":
        boto3.resource("dynamodb").Table(aws["Table"]).delete_item(Key={"PK": f"REPORT#{employer}", "SK": "REPORT"})
    wanted = PROGRAMME if failing == "refreshed" else employer
    sent = send_failing_once(monkeypatch, wanted)
    with pytest.raises(ConnectionError):
        reports.refresh_for_outcome(old, new)
    saved = store.get(wanted)
    assert saved is not None and saved["refresh_attempt"] == saved["attempt"]  # saved, not sent
    first = len(sent)  # sent before the refused one (the reports go in the order of their ids)
    # The retry sends the refused message and queues the ones not reached, then nothing more.
    assert reports.refresh_for_outcome(old, new) == 2 - first
    assert reports.refresh_for_outcome(old, new) == 0
    assert sorted(r for r, _ in sent) == sorted([employer, PROGRAMME])  # never the statement
    assert (wanted, int(saved["attempt"])) in sent
    drain(aws)
    assert_late_outcome_counted(month, api, statement)
    assert (store.get(employer) or {}).get("status") == "ready"


def test_a_report_that_could_not_be_queued_is_shown_failed_and_asking_again_succeeds(
    paid: Month, api: Api, aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = send_failing_once(monkeypatch)
    refused = api.call("POST", "/reports", token=api.admin(), json_body={"type": "earnings", "period": "2026-12"})
    assert (refused.status, refused.error_code) == (503, "service_unavailable")
    assert sent == []
    shown = api.call("GET", f"/reports/{STATEMENT}", token=api.admin()).body
    assert (shown["status"], shown["files"]) == ("failed", [])  # not pending for ever
    assert "ask again" in shown["error"]
    report = paid.report("earnings", period="2026-12")  # asking again
    assert (report["status"], report["error"], report["summary"]) == ("ready", None, STATEMENT_SUMMARY)
    assert len(sent) == 1


def test_an_outcome_of_an_open_month_or_of_a_month_not_reported_yet_queues_nothing(aws: dict[str, Any]) -> None:
    from tremplin import clock
    from tremplin.logic import reports

    base = {"application_id": "app.s.p", "org_id": "org_1", "participant_id": "p", "caseworker_id": "cw"}
    done = base | {"status": "completed", "pay": {"hours": "4.00", "total": "100.00"}, "completed_at": "x"}
    clock.pin(datetime.fromisoformat("2026-12-03T10:00:00+01:00"))
    try:
        confirmed = base | {"status": "confirmed"}
        assert reports.refresh_for_outcome(base | {"status": "offered"}, confirmed) == 0  # no outcome
        assert reports.refresh_for_outcome(confirmed, done | {"work_month": "2026-12"}) == 0  # still open
        assert reports.refresh_for_outcome(confirmed, done | {"work_month": "2026-10"}) == 0  # no report of it
        rated = done | {"work_month": "2026-10"}
        assert reports.refresh_for_outcome(rated, dict(rated)) == 0  # nothing a report counts changed
    finally:
        clock.pin(None)


def test_a_programme_report_over_a_range_adds_its_months_up(month: Month, api: Api) -> None:
    """October and December hold nothing: the range's totals are November's."""
    november = month.report("programme")["summary"]
    answer = api.call(
        "POST", "/reports", token=api.admin(), json_body={"type": "programme", "period": "2026-10..2026-12"}
    )
    assert answer.status == 202, answer.body
    drain(month.aws)
    ranged = api.call("GET", f"/reports/{answer.body['report_id']}", token=api.admin()).body
    assert (ranged["status"], ranged["summary"]) == ("ready", november)


def test_an_erased_participant_leaves_no_trace_in_the_statements_files(paid: Month) -> None:
    api, aws = paid.api, paid.aws
    statement = paid.report("earnings", period="2026-12")
    bucket = boto3.resource("s3").Bucket(aws["ReportsBucket"])

    def files() -> dict[str, bytes]:
        prefix = f"reports/{statement['report_id']}/"
        return {o.key: o.get()["Body"].read() for o in bucket.objects.filter(Prefix=prefix)}

    before = files()
    assert any(b"SD-2026-0001" in body for body in before.values())  # P1's case reference
    assert api.call("POST", f"/participants/{paid.p['p1'][0]}/erase", token=api.admin()).status == 200
    drain(aws)  # the erasure's change queues the statement again; the worker makes it
    after = files()
    assert after and not set(after) & set(before)  # the older attempt's files are gone
    assert not any(b"SD-2026-0001" in body for body in after.values())
    again = api.call("GET", f"/reports/{statement['report_id']}", token=api.admin()).body
    rows = json.loads(read_file(aws, file_url(again, "json")))["rows"]
    assert [r["last_name"] for r in rows if r["participant_id"] == paid.p["p1"][0]] == ["Participant"]
    assert again["summary"]["net"] == statement["summary"]["net"]  # the figures stay
