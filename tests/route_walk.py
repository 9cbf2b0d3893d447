"""Every HTTP route of template.yaml called once, on data that makes it do its real work (a
2xx answer where the route allows it), each request's DynamoDB calls counted by operation.

Used by tests/unit/test_no_scans.py, tests/unit/test_call_counts.py and `bench.memory`. It drives
a `tests.helpers.Api` (local gateway, authorizer, handler) on whatever AWS the environment points
at: moto in the unit tests, DynamoDB Local and moto's server in the benchmark.

The walk: health and docs; an organisation with a webhook secret and subscription; eight
participants enrolled, consenting, read and changed; a draft job given a second shift, edited and
published, browsed and suggested; one application per participant taken through each transition
(accept, confirm, decline, reject, withdraw, cancel, no-show, hours, approve, dispute, resolve,
rating; a check-in during the shift); a favourite marked, invited to the next shift, listed and unmarked; the inbox,
activity, audit and export; an exit and an erasure; a signed partner event; a report requested,
listed and read; a shift and a job cancelled; an organisation suspended and activated again;
payslips; a reference, a work confirmation and its verification; contribution months; an offer
of regular employment; a calendar feed.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pypdf
from standardwebhooks import Webhook

from local import template
from tests.aws_calls import AwsCalls
from tests.helpers import Answer, Api, job_body, org_body, participant_body, shift_body
from tremplin import short_links
from tremplin.data.pagination import signing_key
from tremplin.models.pay_scheme import FIRST_VERSION

NOW = "2026-11-25T09:00:00+01:00"
SHIFT = ("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00")
DURING_SHIFT = "2026-12-01T09:00:00+01:00"
AFTER_SHIFT = "2026-12-01T12:30:00+01:00"
HOURS = {"started_at": SHIFT[0], "ended_at": SHIFT[1], "break_minutes": 30}
CASEWORKER = "cw-walk"


@dataclass
class RouteCall:
    route: str  # "POST /applications/{application_id}/accept"
    status: int
    calls: dict[str, int]
    other_calls: dict[str, int]


@dataclass
class Walk:
    """Counts the DynamoDB calls of every routed request made through `api`, by route key."""

    api: Api
    calls: list[RouteCall] = field(default_factory=list)

    def call(self, method: str, path: str, token: str | None = None, body: Any = None, expect: int = 200) -> Answer:
        found = self.api.gateway.match(method, path.split("?", 1)[0])
        with AwsCalls() as counted:
            answer = self.api.call(method, path, token=token, json_body=body)
        if found is not None:
            route = found[0].route_key
            self.calls.append(RouteCall(route, answer.status, counted.dynamodb(), counted.others()))
        if answer.status != expect:
            raise RuntimeError(f"{method} {path} answered {answer.status}, expected {expect}: {answer.body}")
        return answer

    def clock(self, now: str) -> None:
        self.api.call("POST", "/_local/clock", json_body={"now": now})

    def by_route(self) -> dict[str, RouteCall]:
        """The first call of each route (the walk calls most of them once)."""
        first: dict[str, RouteCall] = {}
        for c in self.calls:
            first.setdefault(c.route, c)
        return first

    def missing(self) -> list[str]:
        """Routes of the template the walk did not call."""
        return sorted({r.route_key for r in template.routes()} - {c.route for c in self.calls})


def walk(api: Api, webhook_url: str = "http://127.0.0.1:9/hooks") -> Walk:
    """Calls every route of the template at least once; raises if one answers other than planned.
    `webhook_url`: the partner's receiver (loopback, which only the local stack allows)."""
    w = Walk(api)
    admin, cw = api.admin(), api.token("caseworker", CASEWORKER)
    w.clock(NOW)
    try:
        _docs(w)
        org, employer = _organisation(w, admin, webhook_url)
        people = [_participant(w, cw, n) for n in range(1, 9)]
        job, shifts = _job(w, employer, people[0][1], cw, people[0][0])
        _lifecycle(w, employer, admin, people, shifts[0])
        _favourites(w, org, employer, people[0][0], shifts[1])
        _participant_records(w, cw, admin, people)
        _partner_event(w, org, employer)
        _reports(w, admin, cw)
        w.call("POST", f"/shifts/{shifts[1]}/cancel", employer, {"reason": "Rain"})
        w.call("POST", f"/jobs/{job}/cancel", employer, {"reason": "The event was called off"})
        other = str(w.call("POST", "/organisations", admin, org_body(name="Gärtnerei Walk"), expect=201).body["org_id"])
        w.call("POST", f"/organisations/{other}/suspend", admin)
        w.call("POST", f"/organisations/{other}/activate", admin)
        _pay_scheme(w, admin)
        _payslips(w, admin, cw, people)
        _papers(w, cw, people, shifts[0])
        _progress(w, cw, people)
        _calendar(w, people)  # calendar feed (issue 20)
        _regular_offers(w, employer, people[0])  # last: its acceptance ends people[0]'s programme
    finally:
        api.call("DELETE", "/_local/clock")
    return w


def _pay_scheme(w: Walk, admin: str) -> None:
    w.call("GET", "/pay-scheme", admin)
    version = {**FIRST_VERSION, "valid_from": "2027-07-01"}
    w.call("POST", "/pay-scheme/versions", admin, version, expect=201)


def _regular_offers(w: Walk, employer: str, person: tuple[str, str]) -> None:
    """The step to a regular job: person completed a shift for the organisation (_lifecycle)."""
    pid, me = person
    offer = {"participant_id": pid, "start_date": "2027-01-04", "contract": "permanent", "workload_percent": 80}
    offer |= {"position_title": "Gärtner"}
    first = w.call("POST", "/regular-offers", employer, offer, expect=201).body["offer_id"]
    w.call("GET", "/regular-offers", employer)  # staff listings add their audit entry (test_regular_offers.py)
    w.call("GET", "/me/regular-offers", me)
    w.call("GET", f"/regular-offers/{first}", me)
    w.call("POST", f"/regular-offers/{first}/decline", me)
    second = w.call("POST", "/regular-offers", employer, offer, expect=201).body["offer_id"]
    w.call("POST", f"/regular-offers/{second}/withdraw", employer)
    third = w.call("POST", "/regular-offers", employer, offer, expect=201).body["offer_id"]
    w.call("POST", f"/regular-offers/{third}/accept", me)


def _payslips(w: Walk, admin: str, cw: str, people: list[tuple[str, str]]) -> None:
    """people[0]'s approved shift on the payslip of the payroll run (not a route: a schedule)."""
    assert w.api.call("POST", "/_local/schedules/payroll").status == 200
    participant_id, me = people[0]
    payslip = w.call("GET", "/me/payslips", me).body["items"][0]["payslip_id"]
    w.call("GET", f"/participants/{participant_id}/payslips", cw)
    w.call("GET", f"/payslips/{payslip}", me)
    w.call("GET", f"/payslips/{payslip}/pdf", admin)


def _papers(w: Walk, cw: str, people: list[tuple[str, str]], shift: str) -> None:
    """people[0]'s completed shift: a reference written, included and excluded; their work
    confirmation downloaded by them and their caseworker; its code verified without a token."""
    participant_id, me = people[0]
    app = f"app.{shift}.{participant_id}"
    employer = w.api.employer(w.api.call("GET", f"/applications/{app}", token=me).body["org_id"])
    w.call("PUT", f"/applications/{app}/reference", employer, {"text": "Arbeitet ruhig und genau."})
    w.call("POST", f"/applications/{app}/reference/include", me)
    w.call("POST", f"/applications/{app}/reference/exclude", me)
    pdf = w.call("GET", "/me/work-confirmation?from=2026-11-01", me).body
    w.call("GET", f"/participants/{participant_id}/work-confirmation?lang=fr", cw)
    w.call("GET", f"/verify/{paper_code(pdf)}")


def paper_code(pdf: bytes) -> str:
    """The verification code printed on a paper (a work confirmation)."""
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return str(re.findall(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", text)[0])


def _progress(w: Walk, cw: str, people: list[tuple[str, str]]) -> None:
    """Issue 19: people[0]'s contribution months, as they and their caseworker see them."""
    participant_id, me = people[0]
    w.call("GET", "/me/progress", me)
    w.call("GET", f"/participants/{participant_id}/progress", cw)


def _calendar(w: Walk, people: list[tuple[str, str]]) -> None:
    """Issue 20: people[0]'s calendar feed turned on, read without a token, and turned off."""
    _, me = people[0]
    url = str(w.call("POST", "/me/calendar", me).body["url"])
    w.call("GET", "/calendar/" + url.rsplit("/", 1)[1])
    w.call("GET", "/me/calendar", me)
    w.call("DELETE", "/me/calendar", me)


def _docs(w: Walk) -> None:
    for path in ("/health", "/openapi.json", "/docs"):
        w.call("GET", path)


def _organisation(w: Walk, admin: str, webhook_url: str) -> tuple[str, str]:
    org = str(w.call("POST", "/organisations", admin, org_body(), expect=201).body["org_id"])
    employer = w.api.employer(org)
    w.call("GET", "/organisations?limit=20", admin)
    w.call("GET", f"/organisations/{org}", employer)
    w.call("POST", f"/organisations/{org}/webhook-secret", employer, expect=201)
    subscription = {"url": webhook_url, "events": ["application.created", "hours.approved"]}
    w.call("PUT", f"/organisations/{org}/webhook", employer, subscription)
    w.call("GET", f"/organisations/{org}/webhook-deliveries", employer)
    return org, employer


def _participant(w: Walk, cw: str, n: int) -> tuple[str, str]:
    body = participant_body(email=f"walk.p{n}@example.ch", first_name=f"Walk{n}", case_reference=f"SD-W-{n:03d}")
    pid = str(w.call("POST", "/participants", cw, body, expect=201).body["participant_id"])
    token = w.api.token("participant", f"walk-u{n}", participant_id=pid)
    w.call("POST", "/me/consent", token, {"version": "2026-01"})
    if n == 1:
        w.call("GET", "/participants?status=active&limit=20", cw)
        w.call("GET", f"/participants/{pid}", cw)
        w.call("PATCH", f"/participants/{pid}", cw, {"weekly_hours_limit": 16})
        w.call("GET", "/me", token)
        w.call("PATCH", "/me", token, {"skills": ["gardening", "painting"], "availability": ["mon", "wed"]})
    return pid, token


def _job(w: Walk, employer: str, me: str, cw: str, pid: str) -> tuple[str, list[str]]:
    draft = job_body(shift_body(*SHIFT, slots=8), publish=False)
    job = str(w.call("POST", "/jobs", employer, draft, expect=201).body["job_id"])
    extra = shift_body("2026-12-02T08:00:00+01:00", "2026-12-02T12:00:00+01:00")
    w.call("POST", f"/jobs/{job}/shifts", employer, extra, expect=201)
    w.call("PATCH", f"/jobs/{job}", employer, {"hourly_wage": "25.00"})
    published = w.call("POST", f"/jobs/{job}/publish", employer).body
    shifts = sorted(published["shifts"], key=lambda s: s["starts_at"])
    w.call("GET", "/jobs?category=gardening&postcode=30&limit=20", me)
    w.call("GET", f"/jobs/{job}", me)
    w.call("GET", f"/shifts/{shifts[0]['shift_id']}", me)
    w.call("POST", f"/participants/{pid}/suggestions", cw, {"job_id": job, "note": "Close to where you live"}, 201)
    return job, [str(s["shift_id"]) for s in shifts]


def _lifecycle(w: Walk, employer: str, admin: str, people: list[tuple[str, str]], shift: str) -> None:
    apps = [
        str(w.call("POST", f"/shifts/{shift}/applications", me, {"message": "Gern!"}, 201).body["application_id"])
        for _, me in people[:7]
    ]
    approve, dispute, decline, reject, withdraw, cancel, no_show = apps
    w.call("GET", f"/shifts/{shift}/applications", employer)
    w.call("GET", f"/applications/{approve}", employer)
    w.call("GET", "/me/applications", people[0][1])
    for app in (approve, dispute, decline, cancel, no_show):
        w.call("POST", f"/applications/{app}/accept", employer)
    for app, (_, me) in ((approve, people[0]), (dispute, people[1]), (cancel, people[5]), (no_show, people[6])):
        w.call("POST", f"/applications/{app}/confirm", me)
    w.call("POST", f"/applications/{decline}/decline", people[2][1])
    w.call("POST", f"/applications/{reject}/reject", employer)
    w.call("POST", f"/applications/{withdraw}/withdraw", people[4][1])
    w.call("POST", f"/applications/{cancel}/cancel", people[5][1], {"reason": "Ill"})
    w.clock(DURING_SHIFT)
    w.call("POST", f"/applications/{no_show}/no-show", employer)
    w.call("POST", f"/applications/{no_show}/excuse", admin, {"reason": "illness"})  # issue 19
    _check_in(w, employer, approve, people[0][1], shift)
    w.clock(AFTER_SHIFT)
    w.call("POST", f"/applications/{approve}/hours", employer, HOURS)
    w.call("POST", f"/applications/{approve}/hours/approve", people[0][1])
    w.call("POST", f"/applications/{approve}/rating", employer, {"stars": 5})
    w.call("POST", f"/applications/{dispute}/hours", employer, HOURS)
    w.call("POST", f"/applications/{dispute}/hours/dispute", people[1][1], {"reason": "The break was 15 minutes"})
    w.call("POST", f"/applications/{dispute}/hours/resolve", admin, HOURS | {"break_minutes": 15})


def _check_in(w: Walk, employer: str, app: str, me: str, shift: str) -> None:
    """Check-in at the site (issue 20), during the shift: the QR code, the participant's scan
    (arrival), the employer's record of the departure."""
    code = w.call("GET", f"/shifts/{shift}/check-in-code", employer).body["code"]
    w.call("POST", "/check-in", me, {"code": code})
    w.call("POST", f"/applications/{app}/check-in", employer, {"event": "departure"})


def _favourites(w: Walk, org: str, employer: str, worked_with: str, shift: str) -> None:
    """A participant the organisation completed a shift with: favourite, invited, listed, unmarked."""
    w.call("PUT", f"/organisations/{org}/favourites/{worked_with}", employer)
    w.call("GET", f"/organisations/{org}/favourites", employer)
    w.call("POST", f"/shifts/{shift}/invitations", employer, {"participant_id": worked_with}, 201)
    w.call("DELETE", f"/organisations/{org}/favourites/{worked_with}", employer)


def _participant_records(w: Walk, cw: str, admin: str, people: list[tuple[str, str]]) -> None:
    pid, me = people[0]
    w.call("GET", "/me/notifications?limit=20", me)
    sms_token = short_links.token(signing_key(), "/applications", pid)  # SMS (issue 20)
    w.call("GET", f"/me/links/{sms_token}", me)
    w.call("GET", f"/participants/{pid}/activity", cw)
    w.call("GET", f"/participants/{pid}/audit", admin)
    w.call("GET", "/me/export", me)
    leaving = people[7][0]
    w.call("POST", f"/participants/{leaving}/exit", cw, {"outcome": "regular_employment", "date": "2026-11-20"})
    w.call("POST", f"/participants/{leaving}/erase", admin)


def _partner_event(w: Walk, org: str, employer: str) -> None:
    """A signed job.upsert from the partner's HR system (public route: the signature is the auth)."""
    secret = w.call("POST", f"/organisations/{org}/webhook-secret", employer, expect=201).body["secret"]
    data = job_body(shift_body("2026-12-03T08:00:00+01:00", "2026-12-03T12:00:00+01:00"), publish=True)
    body = json.dumps({"type": "job.upsert", "data": {"external_ref": "HR-WALK-1", **data}})
    sent = datetime.now(UTC)  # the signature's age is checked against real time
    headers = {
        "host": "127.0.0.1",
        "content-type": "application/json",
        "webhook-id": "msg_walk_1",
        "webhook-timestamp": str(int(sent.timestamp())),
        "webhook-signature": Webhook(secret).sign("msg_walk_1", sent, body),
    }
    route = f"/webhooks/partners/{org}"
    found = w.api.gateway.match("POST", route)
    with AwsCalls() as counted:
        status, _, _ = w.api.gateway.handle("POST", route, headers, body.encode())
    assert found is not None
    w.calls.append(RouteCall(found[0].route_key, status, counted.dynamodb(), counted.others()))
    if status != 202:
        raise RuntimeError(f"POST {route} answered {status}, expected 202")
    w.call("GET", "/webhooks/dead-letters", w.api.admin())


def _reports(w: Walk, admin: str, cw: str) -> None:
    report = w.call("POST", "/reports", admin, {"type": "programme", "period": "2026-10"}, expect=202).body
    w.call("GET", "/reports?limit=20", cw)
    w.call("GET", f"/reports/{report['report_id']}", admin)
    w.call("GET", f"/reports/{report['report_id']}/audit", admin)
