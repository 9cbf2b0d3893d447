"""Load: participants applying and employers picking, all at once, over HTTP against a
running local stack; no 5xx, the lifecycle's invariants hold at the end, latency per route.

    python -m bench.load [--seconds 60] [--participants 50] [--employers 5] [--results PATH]

starts its own local stack (`python -m local`, a fresh data folder), seeds it through the API
and `POST /_local/token`, runs for `--seconds`, checks the invariants and records section
`api` of bench/results.json. `run_load(base_url, seconds)` does the same against any running
stack (tests/e2e/test_load.py runs it against the e2e session's stack).

The seed: `employers` partner organisations, each with 2 published jobs of 4 shifts (3 slots,
4 h with a 30 min break, 3 to 5 weeks ahead) whose times overlap the other organisations'
shifts, so the overlap rule has work; `participants` participants enrolled by one caseworker
with a weekly cap of 20 h (six of these shifts in one week would pass it), who give consent.

Then, for `seconds`, one thread per participant loops: browse `GET /jobs`, open a job
(`GET /jobs/{job_id}`), apply to one of its shifts that has a free slot, look at its own
applications (`GET /me/applications`) and confirm the offers there (1 in 10 is declined),
now and then withdraw an application still waiting. One thread per employer loops over its
shifts: list the applicants (`GET /shifts/{shift_id}/applications`), accept those waiting
while the shift has room, reject the rest once it is full. Each thread has its own HTTP
connection (keep-alive) and no think time: the stack is as busy as the machine allows.

At the end, read through the API (each employer its shifts and their applicants, each
participant its applications), the invariants of PRODUCT.md:

- no shift with `filled > slots`;
- `filled` of every shift equals the number of its applications that hold a slot (offered,
  confirmed or later): every filled seat belongs to exactly one such application;
- one application per participant and shift, and each application on exactly one shift;
- no participant holding two shifts that overlap in time, nor more hours in a week
  (Mon-Sun, Europe/Zurich, counted in the week a shift starts) than their cap;
- the participant's view of their applications and the employer's agree (same ids, same
  statuses).

Latency is measured by the client, per route template (`POST /shifts/{shift_id}/applications`),
from sending the request to reading the whole answer; p50 and p99 are nearest-rank.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import requests

from bench import harness

SECTION = "api"
ZURICH = ZoneInfo("Europe/Zurich")
HOLDING = {"offered", "confirmed", "hours_submitted", "hours_disputed", "completed", "no_show"}
WEEKLY_CAP_HOURS = 20
SLOTS = 3
JOBS_PER_EMPLOYER = 2
SHIFTS_PER_JOB = 4
CONSENT_VERSION = "2026-01"
TIMEOUT_S = 120  # a 2-core machine under this load answers slowly; a hang is still an error


# ---------------------------------------------------------------- HTTP with measurements


@dataclass
class Stats:
    """Latencies (ms) and status codes per route template, shared by every thread."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    errors: Counter[str] = field(default_factory=Counter)  # conflicts by code, for the record
    transport_errors: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, route: str, status: int, ms: float, body: Any) -> None:
        with self.lock:
            self.latencies[route].append(ms)
            self.statuses[route][status] += 1
            if status >= 400 and isinstance(body, dict) and isinstance(body.get("error"), dict):
                self.errors[f"{status} {body['error'].get('code')}"] += 1
            if status >= 500:
                self.server_errors.append(f"{route} -> {status}: {str(body)[:300]}")

    def failed(self, route: str, exc: Exception) -> None:
        with self.lock:
            self.transport_errors.append(f"{route}: {type(exc).__name__}: {exc}"[:300])


class Client:
    """One HTTP connection (one thread) speaking to the stack as one caller."""

    def __init__(self, base_url: str, token: str | None, stats: Stats | None = None):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["content-type"] = "application/json"
        if token:
            self.session.headers["authorization"] = f"Bearer {token}"
        self.stats = stats

    def call(
        self, method: str, route: str, params: dict[str, str] | None = None, body: Any = None, query: str = ""
    ) -> tuple[int, Any]:
        """`route` is the template ("GET /jobs/{job_id}" is measured as such); `params` fill it."""
        path = route.format(**(params or {})) + query
        start = time.perf_counter()
        try:
            answer = self.session.request(method, self.base_url + path, json=body, timeout=TIMEOUT_S)
            content = answer.json() if answer.content else None
        except (requests.RequestException, ValueError) as exc:
            if self.stats is None:
                raise
            self.stats.failed(f"{method} {route}", exc)
            return 0, None
        ms = (time.perf_counter() - start) * 1000
        if self.stats is not None:
            self.stats.add(f"{method} {route}", answer.status_code, ms, content)
        return answer.status_code, content

    def expect(
        self, status: int, method: str, route: str, params: dict[str, str] | None = None, body: Any = None
    ) -> Any:
        got, content = self.call(method, route, params, body)
        if got != status:
            raise RuntimeError(f"seeding: {method} {route} {params or ''} answered {got}: {content}")
        return content

    def pages(self, route: str, params: dict[str, str] | None = None) -> Iterator[dict[str, Any]]:
        cursor = None
        while True:
            query = "?limit=200" + (f"&cursor={cursor}" if cursor else "")
            status, page = self.call("GET", route, params, query=query)
            if status != 200:
                raise RuntimeError(f"reading {route} {params or ''} answered {status}: {page}")
            yield from page["items"]
            cursor = page.get("next_cursor")
            if not cursor:
                return


def _token(base_url: str, role: str, sub: str, **claims: str) -> str:
    answer = requests.post(f"{base_url}/_local/token", json={"role": role, "sub": sub, **claims}, timeout=TIMEOUT_S)
    answer.raise_for_status()
    return str(answer.json()["token"])


# ---------------------------------------------------------------- seed


@dataclass
class Employer:
    org_id: str
    token: str
    shift_ids: list[str] = field(default_factory=list)


@dataclass
class Participant:
    participant_id: str
    token: str


@dataclass
class Seed:
    employers: list[Employer]
    participants: list[Participant]
    admin: str
    run_id: str
    window_start: str  # the first seeded shift's day, UTC: participants browse from there


def _first_monday_after(days: int) -> datetime:
    day = (datetime.now(ZURICH) + timedelta(days=days)).date()
    day += timedelta(days=(7 - day.weekday()) % 7)
    return datetime(day.year, day.month, day.day, tzinfo=ZURICH)


def _shifts(employer: int, job: int, monday: datetime) -> list[dict[str, Any]]:
    """Monday to Thursday of the job's week; the three start times of the organisations
    (08:00, 10:00, 12:00) overlap each other, 08:00-12:00 and 12:00-16:00 do not."""
    start_hour = 8 + 2 * (employer % 3)
    out = []
    for day in range(SHIFTS_PER_JOB):
        starts = monday + timedelta(weeks=job, days=day, hours=start_hour)
        ends = starts + timedelta(hours=4)
        out.append({"starts_at": starts.isoformat(), "ends_at": ends.isoformat(), "break_minutes": 30, "slots": SLOTS})
    return out


def seed(base_url: str, participants: int, employers: int) -> Seed:
    run_id = f"{int(time.time())}-{random.randrange(10**6)}"
    admin = _token(base_url, "admin", f"load-admin-{run_id}")
    caseworker = Client(base_url, _token(base_url, "caseworker", f"load-caseworker-{run_id}"))
    as_admin = Client(base_url, admin)
    monday = _first_monday_after(21)
    made_employers = []
    for e in range(employers):
        org = as_admin.expect(
            201,
            "POST",
            "/organisations",
            body={
                "name": f"Load {e} AG",
                "kind": "company" if e % 2 else "public",
                "contact_email": f"hr{e}@load.example.ch",
                "address": {"street": "Bahnhofplatz 1", "postcode": "3011", "city": "Bern"},
            },
        )
        employer = Employer(
            org["org_id"], _token(base_url, "employer", f"load-employer-{e}-{run_id}", org_id=org["org_id"])
        )
        as_employer = Client(base_url, employer.token)
        for j in range(JOBS_PER_EMPLOYER):
            job = as_employer.expect(
                201,
                "POST",
                "/jobs",
                body={
                    "title": f"Load job {e}.{j}",
                    "description": "Sorting donated clothes.",
                    "category": "logistics",
                    "location": {"street": "Murtenstrasse 10", "postcode": "3008", "city": "Bern"},
                    "hourly_wage": "25.00",
                    "requirements": {"skills": [], "languages": ["de"]},
                    "shifts": _shifts(e, j, monday),
                    "publish": True,
                },
            )
            employer.shift_ids += [s["shift_id"] for s in job["shifts"]]
        made_employers.append(employer)
    made_participants = []
    for p in range(participants):
        enrolled = caseworker.expect(
            201,
            "POST",
            "/participants",
            body={
                "first_name": "Lea",
                "last_name": f"Muster{p}",
                "email": f"load{p}-{run_id}@example.ch",
                "preferred_language": "de",
                "languages": ["de"],
                "skills": ["sorting"],
                "postcode": "3012",
                "weekly_hours_limit": WEEKLY_CAP_HOURS,
                "case_reference": f"LOAD-{p}",
            },
        )
        pid = enrolled["participant_id"]
        token = _token(base_url, "participant", f"load-participant-{p}-{run_id}", participant_id=pid)
        Client(base_url, token).expect(200, "POST", "/me/consent", body={"version": CONSENT_VERSION})
        made_participants.append(Participant(pid, token))
    window = monday.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Seed(made_employers, made_participants, admin, run_id, window)


# ---------------------------------------------------------------- the load


def _participant_loop(client: Client, seeded: Seed, deadline: float, rng: random.Random) -> None:
    org_ids = {e.org_id for e in seeded.employers}
    while time.monotonic() < deadline:
        # From the seeded shifts' first day: other jobs on a shared stack do not crowd them out.
        status, page = client.call("GET", "/jobs", query=f"?limit=50&from={seeded.window_start}")
        jobs = [j for j in (page or {}).get("items", []) if j["org_id"] in org_ids] if status == 200 else []
        if jobs:
            status, job = client.call("GET", "/jobs/{job_id}", {"job_id": rng.choice(jobs)["job_id"]})
            free = [s for s in job["shifts"] if s["filled"] < s["slots"]] if status == 200 else []
            if free:
                client.call("POST", "/shifts/{shift_id}/applications", {"shift_id": rng.choice(free)["shift_id"]}, {})
        status, mine = client.call("GET", "/me/applications", query="?limit=200")
        for app in (mine or {}).get("items", []) if status == 200 else []:
            if app["status"] == "offered":
                action = "decline" if rng.random() < 0.1 else "confirm"
                client.call(
                    "POST", f"/applications/{{application_id}}/{action}", {"application_id": app["application_id"]}
                )
            elif app["status"] == "applied" and rng.random() < 0.03:
                client.call(
                    "POST", "/applications/{application_id}/withdraw", {"application_id": app["application_id"]}
                )


def _employer_loop(client: Client, employer: Employer, deadline: float, rng: random.Random) -> None:
    while time.monotonic() < deadline:
        shift_id = rng.choice(employer.shift_ids)
        status, page = client.call("GET", "/shifts/{shift_id}/applications", {"shift_id": shift_id}, query="?limit=200")
        waiting = [a for a in (page or {}).get("items", []) if a["status"] == "applied"] if status == 200 else []
        full = False
        for app in waiting:
            params = {"application_id": app["application_id"]}
            if full or rng.random() < 0.15:
                client.call("POST", "/applications/{application_id}/reject", params)
                continue
            status, answer = client.call("POST", "/applications/{application_id}/accept", params)
            if status == 409 and (answer or {}).get("error", {}).get("code") == "shift_full":
                full = True


def _percentile(ordered: list[float], q: float) -> float:
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _route_summary(stats: Stats) -> dict[str, Any]:
    routes = {}
    for route in sorted(stats.latencies):
        ordered = sorted(stats.latencies[route])
        routes[route] = {
            "requests": len(ordered),
            "p50_ms": round(_percentile(ordered, 0.50), 1),
            "p99_ms": round(_percentile(ordered, 0.99), 1),
            "max_ms": round(ordered[-1], 1),
            "statuses": {str(k): v for k, v in sorted(stats.statuses[route].items())},
        }
    return routes


# ---------------------------------------------------------------- invariants


def _overlaps(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _week_of(instant: datetime) -> str:
    local = instant.astimezone(ZURICH).date()
    return (local - timedelta(days=local.weekday())).isoformat()


def check_invariants(base_url: str, seeded: Seed) -> dict[str, Any]:
    """Reads every seeded shift and application through the API and checks PRODUCT.md's rules."""
    violations: list[str] = []
    shifts: dict[str, dict[str, Any]] = {}
    employer_side: dict[str, dict[str, Any]] = {}  # application_id -> the employer's view + shift_id
    for employer in seeded.employers:
        client = Client(base_url, employer.token)
        for shift_id in employer.shift_ids:
            shifts[shift_id] = client.expect(200, "GET", "/shifts/{shift_id}", {"shift_id": shift_id})
            for app in client.pages("/shifts/{shift_id}/applications", {"shift_id": shift_id}):
                if app["application_id"] in employer_side:
                    violations.append(f"application {app['application_id']} is listed on two shifts")
                employer_side[app["application_id"]] = app
    participant_side: dict[str, dict[str, Any]] = {}
    for participant in seeded.participants:
        for app in Client(base_url, participant.token).pages("/me/applications"):
            participant_side[app["application_id"]] = app

    # filled <= slots, and every filled seat is one holding application
    holding_per_shift: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for app in employer_side.values():
        pairs[(app["applicant"]["participant_id"], app["shift_id"])] += 1
        if app["status"] in HOLDING:
            holding_per_shift[app["shift_id"]] += 1
    for shift_id, shift in shifts.items():
        if shift["filled"] > shift["slots"]:
            violations.append(f"shift {shift_id}: filled {shift['filled']} > slots {shift['slots']}")
        if shift["filled"] != holding_per_shift[shift_id]:
            violations.append(
                f"shift {shift_id}: filled {shift['filled']} but {holding_per_shift[shift_id]} applications hold a slot"
            )
    violations += [f"participant {p} applied twice to shift {s}" for (p, s), n in pairs.items() if n > 1]

    # both sides agree
    if set(employer_side) != set(participant_side):
        only_e = sorted(set(employer_side) - set(participant_side))[:5]
        only_p = sorted(set(participant_side) - set(employer_side))[:5]
        violations.append(f"the two views differ: employer only {only_e}, participant only {only_p}")
    for app_id in set(employer_side) & set(participant_side):
        e, p = employer_side[app_id], participant_side[app_id]
        if (e["status"], e["shift_id"], e["applicant"]["participant_id"]) != (
            p["status"],
            p["shift_id"],
            p["participant_id"],
        ):
            violations.append(f"application {app_id}: employer sees {e['status']}, participant {p['status']}")

    # no overlapping held shifts, no week over the cap
    held: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for app in participant_side.values():
        if app["status"] in HOLDING:
            held[app["participant_id"]].append(app)
    for pid, apps in held.items():
        spans = [
            (datetime.fromisoformat(a["shift_starts_at"]), datetime.fromisoformat(a["shift_ends_at"]), a) for a in apps
        ]
        for i, (s1, e1, a1) in enumerate(spans):
            for s2, e2, a2 in spans[i + 1 :]:
                if _overlaps((s1, e1), (s2, e2)):
                    violations.append(
                        f"participant {pid} holds overlapping shifts {a1['shift_id']} and {a2['shift_id']}"
                    )
        minutes_per_week: Counter[str] = Counter()
        for starts, ends, app in spans:
            worked = int((ends - starts).total_seconds() // 60) - int(shifts[app["shift_id"]]["break_minutes"])
            minutes_per_week[_week_of(starts)] += worked
        violations += [
            f"participant {pid} holds {m / 60:.1f} h in the week of {week} (cap {WEEKLY_CAP_HOURS} h)"
            for week, m in minutes_per_week.items()
            if m > WEEKLY_CAP_HOURS * 60
        ]

    statuses = Counter(a["status"] for a in participant_side.values())
    return {
        "ok": not violations,
        "violations": violations[:50],
        "violation_count": len(violations),
        "checked": {
            "shifts": len(shifts),
            "applications": len(participant_side),
            "participants_holding_shifts": len(held),
            "seats": sum(s["slots"] for s in shifts.values()),
            "seats_filled": sum(s["filled"] for s in shifts.values()),
            "shifts_full": sum(1 for s in shifts.values() if s["filled"] == s["slots"]),
        },
        "applications_by_status": dict(sorted(statuses.items())),
    }


# ---------------------------------------------------------------- the run


def run_load(
    base_url: str, seconds: float, participants: int = 50, employers: int = 5, seed_value: int | None = None
) -> dict[str, Any]:
    """Seeds, runs `participants` + `employers` threads for `seconds`, checks the invariants."""
    base_url = base_url.rstrip("/")
    rng = random.Random(seed_value)

    def rng_for() -> random.Random:
        return random.Random(rng.random())

    started = time.perf_counter()
    seeded = seed(base_url, participants, employers)
    seed_seconds = time.perf_counter() - started
    stats = Stats()
    deadline = time.monotonic() + seconds
    loop_errors: list[str] = []

    def guarded(name: str, loop: Callable[..., None], *args: Any) -> threading.Thread:
        def run() -> None:
            try:
                loop(*args)
            except Exception as exc:  # a crashed client thread is reported, not silently lost
                loop_errors.append(f"{name}: {type(exc).__name__}: {exc}"[:300])

        return threading.Thread(target=run, name=name)

    threads = [
        guarded(f"participant-{n}", _participant_loop, Client(base_url, p.token, stats), seeded, deadline, rng_for())
        for n, p in enumerate(seeded.participants)
    ] + [
        guarded(f"employer-{n}", _employer_loop, Client(base_url, e.token, stats), e, deadline, rng_for())
        for n, e in enumerate(seeded.employers)
    ]
    load_started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load_seconds = time.perf_counter() - load_started
    invariants = check_invariants(base_url, seeded)
    all_statuses: Counter[int] = Counter()
    for counts in stats.statuses.values():
        all_statuses.update(counts)
    requests_made = sum(all_statuses.values())
    return {
        "seconds": seconds,
        "load_seconds": round(load_seconds, 1),
        "seed_seconds": round(seed_seconds, 1),
        "participants": participants,
        "employers": employers,
        "shifts": employers * JOBS_PER_EMPLOYER * SHIFTS_PER_JOB,
        "slots_per_shift": SLOTS,
        "requests": requests_made,
        "requests_per_second": round(requests_made / load_seconds, 1) if load_seconds else None,
        "status_counts": {str(k): v for k, v in sorted(all_statuses.items())},
        "server_errors": sum(v for k, v in all_statuses.items() if k >= 500),
        "server_error_samples": stats.server_errors[:20],
        "transport_errors": len(stats.transport_errors),
        "transport_error_samples": stats.transport_errors[:20],
        "client_thread_errors": loop_errors,
        "error_codes": dict(sorted(stats.errors.items())),
        "routes": _route_summary(stats),
        "invariants": invariants,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--participants", type=int, default=50)
    parser.add_argument("--employers", type=int, default=5)
    parser.add_argument("--results", type=Path, default=harness.RESULTS)
    args = parser.parse_args(argv)

    from tests.e2e.conftest import Stack  # the e2e tests' way of running `python -m local`

    with tempfile.TemporaryDirectory(prefix="tremplin-load-") as data_dir:
        stack = Stack(Path(data_dir)).start()
        try:
            result = run_load(stack.base, args.seconds, args.participants, args.employers)
        finally:
            stack.stop()
    result["stack"] = "python -m local (DynamoDB Local on disk, moto server), one process, fresh data folder"
    result["client"] = "the same machine: one thread and one keep-alive HTTP connection per participant and employer"
    harness.record(SECTION, result, args.results)
    width = max(len(r) for r in result["routes"])
    print(f"{'route':<{width}}  {'requests':>8}  {'p50 ms':>8}  {'p99 ms':>8}  statuses")
    for route, r in result["routes"].items():
        print(f"{route:<{width}}  {r['requests']:>8}  {r['p50_ms']:>8}  {r['p99_ms']:>8}  {r['statuses']}")
    print(
        f"{result['requests']} requests in {result['load_seconds']} s ({result['requests_per_second']}/s); "
        f"5xx: {result['server_errors']}; transport errors: {result['transport_errors']}; "
        f"invariants ok: {result['invariants']['ok']} {result['invariants']['checked']}"
    )
    for line in result["invariants"]["violations"] + result["server_error_samples"] + result["client_thread_errors"]:
        print("  " + line)
    healthy = result["invariants"]["ok"] and not result["server_errors"] and not result["transport_errors"]
    return 0 if healthy and not result["client_thread_errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
