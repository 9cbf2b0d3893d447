"""Load with Locust: participants browsing, applying and answering offers while employers accept
and reject, all at once over HTTP against a running local stack (`python -m local`):

    locust -f tests/load/locustfile.py --headless -u 22 -r 22 -t 60s -s 30 --host http://127.0.0.1:3000

The run seeds its own organisations, shifts and participants through the API. A 409 the rules
call for is an answer, any other error a failure. At the end PRODUCT.md's invariants are read
back through the API; `--report PATH` writes them with each request type's p50 and p99.
"""

from __future__ import annotations

import itertools
import json
import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import gevent
import requests
from locust import HttpUser, events, task
from locust.env import Environment

ZURICH = ZoneInfo("Europe/Zurich")
HOLDING = {"offered", "confirmed", "hours_submitted", "hours_disputed", "completed", "no_show"}
RULES = {"already_applied", "shift_full", "overlapping_shift", "weekly_hours_exceeded", "invalid_transition"}
RULES |= {"offer_expired", "too_late_to_offer", "shift_closed"}
CAP = 20  # the participants' weekly hours
SHIFT = {"break_minutes": 30, "slots": 3}
ADDRESS = {"street": "Bahnhofplatz 1", "postcode": "3011", "city": "Bern"}
JOB = {"description": "Sorting donated clothes.", "category": "logistics", "location": ADDRESS, "publish": True}
JOB |= {"hourly_wage": "25.00", "requirements": {"skills": [], "languages": ["de"]}}
ROUTES = ["GET /jobs", "GET /jobs/{job_id}", "POST /shifts/{shift_id}/applications", "GET /me/applications"]
ROUTES += ["GET /shifts/{shift_id}/applications"]
ROUTES += [f"POST /applications/{{application_id}}/{v}" for v in ("confirm", "decline", "withdraw", "accept", "reject")]
seeded: dict[str, Any] = {}
statuses: Counter[str] = Counter()  # "POST /applications/{application_id}/accept 409 shift_full"
seen = {kind: itertools.count() for kind in ("offers", "waiting", "applicants")}


@events.init_command_line_parser.add_listener  # type: ignore[untyped-decorator]
def _options(parser: Any) -> None:
    parser.add_argument("--employers", type=int, default=2, help="how many of the users are employers")
    parser.add_argument("--report", default="", help="write the figures and the invariants here (JSON)")
    until = "end once every request kind had a 2xx answer, after at least this many seconds (-t caps it)"
    parser.add_argument("--until-answered", type=float, default=0, help=until)


def answered() -> set[str]:
    """The request kinds ("POST /applications/{application_id}/accept") that had a 2xx answer."""
    return {" ".join(s.split()[:2]) for s in statuses if s.split()[2].startswith("2")}


@events.test_start.add_listener  # type: ignore[untyped-decorator]
def _stop_once_answered(environment: Environment, **_: Any) -> None:
    """On a busy machine a fixed time may end before an employer met an applicant: a test asks
    for every kind of request instead (with -t as the cap), so its outcome does not hang on speed."""
    least = environment.parsed_options.until_answered if environment.parsed_options else 0
    runner = environment.runner
    if not least or runner is None:
        return

    def watch() -> None:
        start = time.monotonic()
        while time.monotonic() - start < least or not answered() >= set(ROUTES):
            gevent.sleep(0.5)
        runner.quit()

    gevent.spawn(watch)


def _http(host: str, method: str, path: str, token: str | None = None, body: Any = None) -> Any:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    answer = requests.request(method, host + path, json=body, headers=headers, timeout=120)
    answer.raise_for_status()
    return answer.json() if answer.content else None


def _token(host: str, role: str, sub: str, **claims: str) -> str:
    return str(_http(host, "POST", "/_local/token", body={"role": role, "sub": sub, **claims})["token"])


@events.test_start.add_listener  # type: ignore[untyped-decorator]
def seed(environment: Environment, **_: Any) -> None:
    host, options, run = str(environment.host), environment.parsed_options, f"{time.time():.0f}-{random.random()}"
    assert options is not None
    Employer.fixed_count = options.employers
    admin, cw = _token(host, "admin", f"load-admin-{run}"), _token(host, "caseworker", f"load-cw-{run}")
    day = (datetime.now(ZURICH) + timedelta(days=21)).date()
    monday = datetime.combine(day + timedelta(days=-day.weekday() % 7), datetime.min.time(), ZURICH)
    seeded.update(employers=[], participants=[], window=monday.isoformat())
    for e in range(options.employers):
        org = {"name": f"Load {e} AG", "kind": "company", "contact_email": f"hr{e}@load.example.ch"}
        org_id = _http(host, "POST", "/organisations", admin, org | {"address": ADDRESS})["org_id"]
        token, shifts = _token(host, "employer", f"load-employer-{e}-{run}", org_id=org_id), []
        for week in range(2):  # 08:00, 10:00 or 12:00 to 4 h later, Monday to Thursday
            starts = [monday + timedelta(weeks=week, days=d, hours=8 + 2 * (e % 3)) for d in range(4)]
            times = [{"starts_at": s.isoformat(), "ends_at": (s + timedelta(hours=4)).isoformat()} for s in starts]
            job = JOB | {"title": f"Load job {e}.{week}", "shifts": [t | SHIFT for t in times]}
            shifts += [s["shift_id"] for s in _http(host, "POST", "/jobs", token, job)["shifts"]]
        seeded["employers"].append({"org_id": org_id, "token": token, "shifts": shifts})
    for p in range(options.num_users - options.employers):
        body: dict[str, Any] = {"first_name": "Lea", "last_name": f"M{p}", "preferred_language": "de"}
        body |= {"postcode": "3012", "weekly_hours_limit": CAP, "case_reference": f"LOAD-{p}"}
        pid = _http(host, "POST", "/participants", cw, body)["participant_id"]
        token = _token(host, "participant", f"load-p{p}-{run}", participant_id=pid)
        _http(host, "POST", "/me/consent", token, {"version": "2026-01"})
        seeded["participants"].append({"participant_id": pid, "token": token})
    seeded["next"] = {"employers": itertools.count(), "participants": itertools.count()}


class ApiUser(HttpUser):
    abstract = True
    kind = ""

    def on_start(self) -> None:
        self.me = seeded[self.kind][next(seeded["next"][self.kind]) % len(seeded[self.kind])]
        self.client.headers["authorization"] = f"Bearer {self.me['token']}"

    def call(self, method: str, name: str, path: str, body: Any = None) -> tuple[int, Any]:
        """One request, counted under its route (`name`); a 409 the rules call for is a success."""
        with self.client.request(method, path, name=name, json=body, timeout=120, catch_response=True) as answer:
            try:
                content = answer.json() if answer.content else None
            except ValueError:
                content = None
            code = content.get("error", {}).get("code") if isinstance(content, dict) else None
            statuses[f"{method} {name} {answer.status_code}" + (f" {code}" if code else "")] += 1
            if answer.status_code < 400 or (answer.status_code == 409 and code in RULES):
                answer.success()
            else:
                answer.failure(f"{answer.status_code} {code or ''}")
            return answer.status_code, content

    def act(self, application: dict[str, Any], verb: str) -> tuple[int, Any]:
        route = f"/applications/{{application_id}}/{verb}"
        return self.call("POST", route, route.format(application_id=application["application_id"]))


class Participant(ApiUser):
    kind = "participants"

    @task
    def browse_apply_and_answer(self) -> None:
        orgs = {e["org_id"] for e in seeded["employers"]}
        status, page = self.call("GET", "/jobs", f"/jobs?limit=50&from={quote(seeded['window'])}")
        jobs = [j["job_id"] for j in page["items"] if j["org_id"] in orgs] if status == 200 else []
        if jobs:
            job_id = random.choice(jobs)
            status, job = self.call("GET", "/jobs/{job_id}", f"/jobs/{job_id}")
            free = [s["shift_id"] for s in job["shifts"] if s["filled"] < s["slots"]] if status == 200 else []
            if free:
                self.call("POST", "/shifts/{shift_id}/applications", f"/shifts/{random.choice(free)}/applications", {})
        status, mine = self.call("GET", "/me/applications", "/me/applications?limit=200")
        for app in mine["items"] if status == 200 else []:  # 1 offer in 10 declined, 1 in 30 waiting withdrawn
            if app["status"] == "offered":
                self.act(app, "decline" if next(seen["offers"]) % 10 == 0 else "confirm")
            elif app["status"] == "applied" and next(seen["waiting"]) % 30 == 0:
                self.act(app, "withdraw")


class Employer(ApiUser):
    kind = "employers"
    fixed_count = 2

    @task
    def pick_applicants(self) -> None:
        shift = random.choice(self.me["shifts"])
        status, page = self.call("GET", "/shifts/{shift_id}/applications", f"/shifts/{shift}/applications?limit=200")
        full = False
        for app in [a for a in page["items"] if a["status"] == "applied"] if status == 200 else []:
            status, answer = self.act(app, "reject" if full or next(seen["applicants"]) % 7 == 0 else "accept")
            full = full or (status == 409 and answer["error"]["code"] == "shift_full")


def _pages(host: str, path: str, token: str) -> Iterator[dict[str, Any]]:
    cursor = ""
    while True:
        page = _http(host, "GET", f"{path}?limit=200{cursor}", token)
        yield from page["items"]
        if not page.get("next_cursor"):
            return
        cursor = f"&cursor={quote(page['next_cursor'])}"


def invariants(host: str) -> dict[str, Any]:
    """PRODUCT.md's rules, read back through the API after the run."""
    shifts: dict[str, Any] = {}
    by_employer: dict[str, Any] = {}
    by_participant: dict[str, Any] = {}
    for e in seeded["employers"]:
        for shift_id in e["shifts"]:
            shifts[shift_id] = _http(host, "GET", f"/shifts/{shift_id}", e["token"])
            by_employer |= {
                a["application_id"]: a for a in _pages(host, f"/shifts/{shift_id}/applications", e["token"])
            }
    for p in seeded["participants"]:
        by_participant |= {a["application_id"]: a for a in _pages(host, "/me/applications", p["token"])}
    holding = Counter(a["shift_id"] for a in by_employer.values() if a["status"] in HOLDING)
    broken = [
        f"shift {s}: {x['filled']} of {x['slots']} filled, {holding[s]} held"
        for s, x in shifts.items()
        if not holding[s] == x["filled"] <= x["slots"]
    ]
    pairs = Counter((a["applicant"]["participant_id"], a["shift_id"]) for a in by_employer.values())
    broken += [f"participant {p} applied twice to shift {s}" for (p, s), n in pairs.items() if n > 1]
    if {i: (a["status"], a["shift_id"]) for i, a in by_employer.items()} != {
        i: (a["status"], a["shift_id"]) for i, a in by_participant.items()
    }:
        broken.append("the participants' and the employers' views of the applications differ")
    held: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for a in (a for a in by_participant.values() if a["status"] in HOLDING):
        held[a["participant_id"]].append(
            (datetime.fromisoformat(a["shift_starts_at"]), datetime.fromisoformat(a["shift_ends_at"]))
        )
    for pid, spans in held.items():
        if any(a[0] < b[1] and b[0] < a[1] for a, b in itertools.combinations(spans, 2)):
            broken.append(f"participant {pid} holds overlapping shifts")
        minutes: Counter[str] = Counter()
        for start, end in spans:  # every seeded shift has a 30 min break
            local = start.astimezone(ZURICH)
            minutes[(local - timedelta(days=local.weekday())).date().isoformat()] += (end - start).seconds // 60 - 30
        broken += [f"participant {pid}: {m / 60} h in the week of {w}" for w, m in minutes.items() if m > CAP * 60]
    return {
        "ok": not broken,
        "broken": broken[:20],
        "seats": sum(s["slots"] for s in shifts.values()),
        "seats_filled": sum(s["filled"] for s in shifts.values()),
        "applications_by_status": dict(Counter(a["status"] for a in by_participant.values())),
    }


@events.test_stop.add_listener  # type: ignore[untyped-decorator]
def report(environment: Environment, **_: Any) -> None:
    stats, checked = environment.stats, invariants(str(environment.host))
    routes = {
        f"{method} {name}": {"requests": e.num_requests, "failures": e.num_failures}
        | {"p50_ms": e.get_response_time_percentile(0.5), "p99_ms": e.get_response_time_percentile(0.99)}
        for (name, method), e in sorted(stats.entries.items())
    }
    result = {"requests": stats.total.num_requests, "failures": stats.total.num_failures, "routes": routes}
    result |= {"requests_per_second": round(stats.total.total_rps, 1), "statuses": dict(sorted(statuses.items()))}
    result |= {
        "errors": [f"{e.name}: {e.error} x{e.occurrences}" for e in stats.errors.values()],
        "invariants": checked,
    }
    if environment.parsed_options and environment.parsed_options.report:
        with open(environment.parsed_options.report, "w") as out:
            json.dump(result, out, indent=2)
    environment.process_exit_code = 1 if stats.total.num_failures or not checked["ok"] else 0
    print(json.dumps({"invariants": checked["broken"] or "ok", "errors": result["errors"]}))
