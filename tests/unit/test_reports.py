"""Reports on a small month seeded by hand, every figure checked to the centime."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import boto3
import pytest

from tests.helpers import Api, create_org, drain, job_body, participant_body, shift_body


class Month:
    """November 2026: two organisations, three participants, four shifts (one across midnight
    at the month's end), completions, a no-show, a late cancellation, an exit."""

    def __init__(self, api: Api, aws: dict[str, Any]):
        self.api, self.aws = api, aws
        self.at("2026-11-01T09:00:00+01:00")
        self.org_a = create_org(api, name="Bäckerei AG", kind="company")
        self.org_b = create_org(api, name="Stadt Bern", kind="public")
        self.emp_a, self.emp_b = api.employer(self.org_a), api.employer(self.org_b)
        self.p = {}
        for name, cw in (("p1", "cw-1"), ("p2", "cw-1"), ("p3", "cw-2")):
            body = participant_body(email=f"{name}@example.ch", first_name=name.upper())
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
        self.work(("p3", "s2"), self.emp_a, "2026-11-30T22:00:00+01:00", "2026-12-01T06:00:00+01:00", 30)
        exit_body = {"outcome": "regular_employment", "date": "2026-11-28"}
        assert (
            api.call("POST", f"/participants/{self.p['p2'][0]}/exit", token=api.admin(), json_body=exit_body).status
            == 200
        )

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

    def report(self, kind: str, token: str | None = None, **extra: str) -> dict[str, Any]:
        answer = self.api.call(
            "POST", "/reports", token=token or self.api.admin(), json_body={"type": kind, "period": "2026-11", **extra}
        )
        assert answer.status == 202, answer.body
        assert answer.body["status"] == "pending"
        drain(self.aws)
        return dict(self.api.call("GET", f"/reports/{answer.body['report_id']}", token=token or self.api.admin()).body)


def read_file(aws: dict[str, Any], url: str) -> str:
    key = url.split("?")[0].split(f"{aws['ReportsBucket']}/", 1)[-1]
    key = key.split(".amazonaws.com/", 1)[-1]
    return boto3.client("s3").get_object(Bucket=aws["ReportsBucket"], Key=key)["Body"].read().decode()


@pytest.fixture
def month(api: Api, aws: dict[str, Any]) -> Month:
    return Month(api, aws)


def test_earnings_per_participant_to_the_centime(month: Month, aws: dict[str, Any]) -> None:
    report = month.report("earnings")
    assert report["status"] == "ready"
    assert report["summary"] == {
        "participants": 3,
        "completed_shifts": 4,
        "hours": "18.50",
        "gross": "466.50",
        "holiday_pay": "38.90",
        "total": "505.40",
    }
    files = {f["format"]: f for f in report["files"]}
    assert set(files) == {"csv", "json"}
    rows = {r["first_name"]: r for r in json.loads(read_file(aws, files["json"]["url"]))["rows"]}
    assert {
        k: (r["completed_shifts"], r["hours"], r["gross"], r["holiday_pay"], r["total"]) for k, r in rows.items()
    } == {
        "P1": (2, "7.50", "185.75", "15.50", "201.25"),
        "P2": (1, "3.50", "85.75", "7.15", "92.90"),
        # The night shift from 30 November to 1 December counts in November, the month it started.
        "P3": (1, "7.50", "195.00", "16.25", "211.25"),
    }
    table = list(csv.DictReader(io.StringIO(read_file(aws, files["csv"]["url"]))))
    assert sorted(r["total"] for r in table) == ["201.25", "211.25", "92.90"]


def test_each_caseworker_gets_only_their_caseload(month: Month, aws: dict[str, Any], api: Api) -> None:
    report_id = month.report("earnings")["report_id"]
    cw1 = api.call("GET", f"/reports/{report_id}", token=api.token("caseworker", "cw-1")).body
    assert cw1["summary"]["total"] == "294.15"  # P1 201.25 + P2 92.90
    [json_file] = [f for f in cw1["files"] if f["format"] == "json"]
    assert json_file["scope"] == "caseworker-cw-1"
    rows = json.loads(read_file(aws, json_file["url"]))["rows"]
    assert sorted(r["first_name"] for r in rows) == ["P1", "P2"]
    cw2 = api.call("GET", f"/reports/{report_id}", token=api.token("caseworker", "cw-2")).body
    assert [
        r["first_name"]
        for r in json.loads(read_file(aws, next(f for f in cw2["files"] if f["format"] == "json")["url"]))["rows"]
    ] == ["P3"]
    assert "cw-1" not in json.dumps(cw2)
    outsider = api.call("GET", f"/reports/{report_id}", token=api.token("caseworker", "cw-3")).body
    assert outsider["files"] == [] and outsider["summary"] == {}
    assert api.call("GET", f"/reports/{report_id}", token=month.emp_a).status == 404
    assert api.call("GET", f"/reports/{report_id}", token=api.token("participant", participant_id="x")).status == 403


def test_employer_reports_to_the_centime_and_only_for_their_organisation(month: Month, api: Api) -> None:
    a = month.report("employer", token=month.emp_a)
    assert a["summary"] == {
        "org_id": month.org_a,
        "shifts_posted": 2,
        "slots_posted": 3,
        "slots_filled": 3,
        "completed_shifts": 3,
        "hours": "14.50",
        "wage_cost": "397.05",
        "gross": "366.50",
        "holiday_pay": "30.55",
        "no_shows": 0,
        "cancellations": 0,
    }
    b = month.report("employer", org_id=month.org_b)  # an admin names the organisation
    assert (b["summary"]["slots_posted"], b["summary"]["slots_filled"], b["summary"]["wage_cost"]) == (5, 2, "108.35")
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
    assert report["summary"] == {
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
        "gross": "466.50",
        "holiday_pay": "38.90",
        "total": "505.40",
    }
    page = read_file(aws, next(f for f in report["files"] if f["format"] == "html")["url"])
    assert page.count("<svg") == 5
    assert "Exits by outcome" in page and "<script" not in page
    assert api.call("GET", f"/reports/{report['report_id']}", token=api.token("caseworker", "cw-1")).status == 404


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


def test_a_worker_failing_midway_leaves_the_report_failed_and_asking_again_succeeds(
    month: Month, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tremplin.data import reports as store

    real_put = store.put_file
    calls = {"n": 0}

    def flaky(key: str, body: str, content_type: str) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise ConnectionError("S3 went away")
        real_put(key, body, content_type)

    monkeypatch.setattr(store, "put_file", flaky)
    failed = month.report("earnings")
    assert failed["status"] == "failed"
    assert failed["error"]
    assert failed["files"] == []
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
