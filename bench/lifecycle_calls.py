"""The shift lifecycle's routes: DynamoDB calls (by operation) and in-process latency of each,
against AWS's DynamoDB Local.

    python -m bench.lifecycle_calls [--repeat 30]

Targets: apply, accept and confirm make at most 2 DynamoDB calls each. Results go to section
"lifecycle_dynamodb_calls" of bench/results.json; the command exits with 1 when a target is missed.

Every measured request is a fresh, legal transition made through the in-process API
(`tests.helpers.Api`: local gateway, authorizer, handler), as tests/unit/test_applications.py
drives it: the clock pinned with `POST /_local/clock`, one organisation, published jobs of one
shift each, participants enrolled by a caseworker who then give consent. Each participant of
the cohort, in turn:

    apply to the main shift, accept, confirm                    (apply, accept, confirm)
    apply to a second shift, accept, then decline               (decline)
    apply to a third shift, then the employer rejects           (reject)
    apply to a fourth shift, then withdraw                      (withdraw)

then, with every application in place, the reads (the application as its employer and as its
participant sees it, the shift's applicants), and, with the clock half an hour after the main
shift ended, the hours (employer) and their approval (participant). Only the measured request
is counted and timed; the set-up around it is not. A warm-up cohort goes through all of it
first, unmeasured, on shifts of its own: DynamoDB Local runs on the JVM, which compiles its
paths after a while.

Notifications go to SQS (moto's server) and are not delivered during the run: the counts are
DynamoDB calls of the request path only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import harness  # first: puts the shared layer on sys.path
from local.environment import LocalEnvironment
from tests.helpers import Answer, Api, job_body, org_body, participant_body, shift_body

SECTION = "lifecycle_dynamodb_calls"
NOW = "2026-11-25T09:00:00+01:00"
AFTER_MAIN_SHIFT = "2026-12-01T12:30:00+01:00"  # the main shift ran 08:00-12:00 that day
MAX_SLOTS = 50  # a shift's most slots (models.jobs); bigger cohorts share several shifts per purpose
CASEWORKER = "cw-bench"

# The shift each purpose uses: Monday to Thursday of the same week, 4 h with a 30 min break,
# so a participant holds at most two at once (7 h), well under the weekly cap of 20 h.
SHIFTS = {
    "main": ("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00"),
    "decline": ("2026-12-02T08:00:00+01:00", "2026-12-02T12:00:00+01:00"),
    "reject": ("2026-12-03T08:00:00+01:00", "2026-12-03T12:00:00+01:00"),
    "withdraw": ("2026-12-04T08:00:00+01:00", "2026-12-04T12:00:00+01:00"),
}
HOURS = {"started_at": SHIFTS["main"][0], "ended_at": SHIFTS["main"][1], "break_minutes": 30}


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    role: str
    status: int  # the answer expected
    resulting_status: str | None = None  # the application's status the answer must show


ROUTES = {
    "apply": Route("POST", "/shifts/{shift_id}/applications", "participant", 201, "applied"),
    "accept": Route("POST", "/applications/{id}/accept", "employer", 200, "offered"),
    "confirm": Route("POST", "/applications/{id}/confirm", "participant", 200, "confirmed"),
    "decline": Route("POST", "/applications/{id}/decline", "participant", 200, "declined"),
    "reject": Route("POST", "/applications/{id}/reject", "employer", 200, "rejected"),
    "withdraw": Route("POST", "/applications/{id}/withdraw", "participant", 200, "withdrawn"),
    "hours": Route("POST", "/applications/{id}/hours", "employer", 200, "hours_submitted"),
    "hours_approve": Route("POST", "/applications/{id}/hours/approve", "participant", 200, "completed"),
    "get_application_as_employer": Route("GET", "/applications/{id}", "employer", 200, "confirmed"),
    "get_application_as_participant": Route("GET", "/applications/{id}", "participant", 200, "confirmed"),
    "list_shift_applications": Route("GET", "/shifts/{shift_id}/applications", "employer", 200),
}
TARGETS = {"apply": 2, "accept": 2, "confirm": 2}  # at most this many DynamoDB calls per request


@dataclass
class Measured:
    """What the measured requests of one route gave, request by request."""

    samples_ms: list[float] = field(default_factory=list)
    calls: list[dict[str, int]] = field(default_factory=list)
    http_requests: list[dict[str, int]] = field(default_factory=list)
    other_calls: list[dict[str, int]] = field(default_factory=list)
    last_body: Any = None


@dataclass
class Participant:
    participant_id: str
    token: str
    apps: dict[str, str] = field(default_factory=dict)  # purpose -> application id


class Lifecycle:
    """Drives the lifecycle through the in-process API and measures the requests it is told to."""

    def __init__(self, api: Api):
        self.api = api
        self.measured: dict[str, Measured] = defaultdict(Measured)
        self.enrolled = 0
        self.setup_requests = 0
        self.org_id = ""
        self.employer = ""

    # ------------------------------------------------------------ requests

    def _expect(self, answer: Answer, status: int, what: str) -> Answer:
        if answer.status != status:
            raise RuntimeError(f"{what} answered {answer.status}, expected {status}: {answer.body}")
        return answer

    def setup(self, method: str, path: str, token: str | None = None, body: Any = None, status: int = 200) -> Answer:
        """A request that prepares the data: checked, neither counted nor timed."""
        self.setup_requests += 1
        return self._expect(self.api.call(method, path, token=token, json_body=body), status, f"{method} {path}")

    def request(self, name: str, path: str, token: str, body: Any = None, *, measure: bool) -> Answer:
        """A request of route `name`; when `measure`, its DynamoDB calls are counted and it is timed."""
        route = ROUTES[name]
        with harness.DynamoCalls() as counted:
            start = time.perf_counter()
            answer = self.api.call(route.method, path, token=token, json_body=body)
            elapsed_ms = (time.perf_counter() - start) * 1000
        self._expect(answer, route.status, f"{name}: {route.method} {path}")
        if route.resulting_status and answer.body.get("status") != route.resulting_status:
            raise RuntimeError(f"{name}: the application is {answer.body.get('status')}, not {route.resulting_status}")
        if measure:
            m = self.measured[name]
            m.samples_ms.append(elapsed_ms)
            m.calls.append(counted.by_operation())
            m.http_requests.append(dict(sorted(counted.http_requests.items())))
            m.other_calls.append(counted.other_by_operation())
            m.last_body = answer.body
        return answer

    def clock(self, now: str) -> None:
        self.setup("POST", "/_local/clock", body={"now": now})

    # ------------------------------------------------------------ data

    def organisation(self) -> None:
        created = self.setup("POST", "/organisations", self.api.admin(), org_body(), status=201)
        self.org_id = str(created.body["org_id"])
        self.employer = self.api.employer(self.org_id)

    def shift(self, purpose: str, slots: int) -> str:
        start, end = SHIFTS[purpose]
        body = job_body(shift_body(start, end, slots=slots, break_minutes=30), publish=True)
        return str(self.setup("POST", "/jobs", self.employer, body, status=201).body["shifts"][0]["shift_id"])

    def participant(self) -> Participant:
        self.enrolled += 1
        n = self.enrolled
        body = participant_body(email=f"bench.p{n}@example.ch", first_name=f"Bench{n}", case_reference=f"SD-B-{n:04d}")
        created = self.setup("POST", "/participants", self.api.token("caseworker", CASEWORKER), body, status=201)
        participant_id = str(created.body["participant_id"])
        token = self.api.token("participant", f"bench-u{n}", participant_id=participant_id)
        self.setup("POST", "/me/consent", token, {"version": "2026-01"})
        return Participant(participant_id, token)

    # ------------------------------------------------------------ the run

    def cohort(self, size: int, *, measure: bool) -> dict[str, Any]:
        """`size` new participants through the whole lifecycle, on shifts of their own."""
        self.clock(NOW)
        people = [self.participant() for _ in range(size)]
        groups = [people[i : i + MAX_SLOTS] for i in range(0, size, MAX_SLOTS)]
        shifts: list[dict[str, str]] = [{p: self.shift(p, len(group)) for p in SHIFTS} for group in groups]
        at = [shifts[i // MAX_SLOTS] for i in range(size)]

        for person, shift in zip(people, at, strict=True):
            me = person.token
            main = self.request(
                "apply", f"/shifts/{shift['main']}/applications", me, {"message": "Gern!"}, measure=measure
            )
            app = person.apps["main"] = str(main.body["application_id"])
            self.request("accept", f"/applications/{app}/accept", self.employer, measure=measure)
            self.request("confirm", f"/applications/{app}/confirm", me, measure=measure)

            for purpose, action, by in (
                ("decline", "decline", me),
                ("reject", "reject", self.employer),
                ("withdraw", "withdraw", me),
            ):
                applied = self.request("apply", f"/shifts/{shift[purpose]}/applications", me, {}, measure=False)
                other = person.apps[purpose] = str(applied.body["application_id"])
                if purpose == "decline":
                    self.request("accept", f"/applications/{other}/accept", self.employer, measure=False)
                self.request(action, f"/applications/{other}/{action}", by, measure=measure)

        for person, shift in zip(people, at, strict=True):
            app = person.apps["main"]
            self.request("get_application_as_employer", f"/applications/{app}", self.employer, measure=measure)
            self.request("get_application_as_participant", f"/applications/{app}", person.token, measure=measure)
            path = f"/shifts/{shift['main']}/applications"
            self.request("list_shift_applications", path, self.employer, measure=measure)

        self.clock(AFTER_MAIN_SHIFT)
        for person in people:
            app = person.apps["main"]
            self.request("hours", f"/applications/{app}/hours", self.employer, HOURS, measure=measure)
            self.request("hours_approve", f"/applications/{app}/hours/approve", person.token, measure=measure)
        return {"participants": size, "shifts": sum(len(s) for s in shifts), "shifts_per_purpose": len(groups)}


# ---------------------------------------------------------------- results


def _same_or_all(counts: list[dict[str, int]]) -> dict[str, int] | list[dict[str, int]]:
    """The counts if every request made the same calls, else each distinct set of them."""
    distinct = sorted({json.dumps(c, sort_keys=True) for c in counts})
    return counts[0] if len(distinct) == 1 else [json.loads(d) for d in distinct]


def summarise(name: str, m: Measured) -> dict[str, Any]:
    route = ROUTES[name]
    distinct = sorted({json.dumps(c, sort_keys=True) for c in m.calls})
    same = len(distinct) == 1
    totals = [sum(c.values()) for c in m.calls]
    entry: dict[str, Any] = {
        "route": f"{route.method} {route.template}",
        "as": route.role,
        "answer": route.status,
        **harness.Timing(m.samples_ms).summary(),
        "dynamodb_calls": m.calls[0] if same else None,
        "dynamodb_calls_varied": None if same else [json.loads(d) for d in distinct],
        "dynamodb_calls_total": totals[0] if same else None,
        "dynamodb_calls_total_max": max(totals),
        "http_requests_equal_calls": m.http_requests == m.calls,  # False: boto3 retried some
        "other_aws_calls": _same_or_all(m.other_calls),  # not DynamoDB: the notifications' SQS sends
    }
    if route.resulting_status:
        entry["application_status_after"] = route.resulting_status
    if name == "list_shift_applications":
        entry["applications_on_page"] = len(m.last_body["items"])
        entry["has_next_cursor"] = m.last_body.get("next_cursor") is not None
    if name in TARGETS:
        entry["target_max_dynamodb_calls"] = TARGETS[name]
        entry["meets_target"] = max(totals) <= TARGETS[name]
    return entry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=30, help="measured participants, one request each per route")
    parser.add_argument("--warmup", type=int, default=5, help="participants of the unmeasured warm-up cohort")
    parser.add_argument("--results", type=Path, default=harness.RESULTS, help="default bench/results.json")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.warmup < 0:
        parser.error("--repeat must be at least 1 and --warmup at least 0")
    harness.quiet_local_servers()

    environment = LocalEnvironment(data_dir=None, prefix="bench-lifecycle", keep_environment=True)
    with harness.Stopwatch() as whole, environment:
        harness.install_call_counter()
        counter_check = harness.check_call_counter()
        api = Api()
        run = Lifecycle(api)
        try:
            run.organisation()
            if args.warmup:
                print(f"warm-up: {args.warmup} participants through the lifecycle, unmeasured ...", flush=True)
                run.cohort(args.warmup, measure=False)
            print(f"measuring: {args.repeat} participants through the lifecycle ...", flush=True)
            load_before = harness.load_average()
            with harness.Stopwatch() as measuring:
                cohort = run.cohort(args.repeat, measure=True)
        finally:
            api.call("DELETE", "/_local/clock")

    routes = {name: summarise(name, run.measured[name]) for name in ROUTES}
    meets = all(routes[name]["meets_target"] for name in TARGETS)
    data = {
        "command": "python -m bench.lifecycle_calls" + (f" --repeat {args.repeat}" if args.repeat != 30 else ""),
        "what": "the shift lifecycle's routes through the in-process API gateway and handler against DynamoDB "
        "Local in memory; every measured request a fresh, legal transition (one per participant and route); "
        "DynamoDB calls counted by operation for the measured request only (botocore before-call events), "
        "notifications queued to SQS (moto) and not delivered",
        "dynamodb_local": harness.dynamodb_local_version(),
        "clock_pinned_at": NOW,
        "clock_for_hours": AFTER_MAIN_SHIFT,
        "repetitions_per_route": args.repeat,
        "warmup_participants": args.warmup,
        "cohort": cohort,
        "call_counter_check": counter_check,
        "load_average_before_measuring": load_before,
        "measuring_seconds": round(measuring.seconds, 1),
        "routes": routes,
        "dynamodb_calls": {name: r["dynamodb_calls"] or r["dynamodb_calls_varied"] for name, r in routes.items()},
        "targets": {name: {"max_dynamodb_calls": n} for name, n in TARGETS.items()},
        "meets_targets": meets,
        "run_seconds": round(whole.seconds, 1),
    }
    harness.record(SECTION, data, args.results)

    print()
    print(f"shift lifecycle, {args.repeat} requests per route (in-process, DynamoDB Local)")
    for name, r in routes.items():
        calls = r["dynamodb_calls"] or r["dynamodb_calls_varied"]
        target = ""
        if name in TARGETS:
            target = f"  target <= {TARGETS[name]}: {'met' if r['meets_target'] else 'MISSED'}"
        print(
            f"  {name:31} median {r['median_ms']:6.2f} ms  p95 {r['p95_ms']:6.2f} ms  "
            f"calls {r['dynamodb_calls_total_max']} {calls}  other {r['other_aws_calls']}{target}"
        )
    print(f"  targets {'met' if meets else 'MISSED'}; whole run {whole.seconds:.0f} s")
    print(f"  recorded in {args.results} under {SECTION!r}")
    return 0 if meets else 1


if __name__ == "__main__":
    sys.exit(main())
