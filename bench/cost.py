"""Cost per 1,000 filled slots: a realistic month of filled slots driven through the in-process
API against AWS's DynamoDB Local and moto, everything AWS would bill counted, priced at list
prices.

    python -m bench.cost [--jobs 5]

A filled slot is a shift slot someone worked: applied, accepted, confirmed, hours recorded and
approved. The run (all of it metered except the one-off set-up: the organisation, its webhook
subscription, enrolments and consents):

1. the employer posts `--jobs` published jobs of 3 shifts of 4 slots (next week, 08:00-12:00);
2. 1.25 participants per slot browse (`GET /jobs`, then the job), apply and read their inbox;
   the employer lists each shift's applicants, accepts 4 and rejects the rest; the accepted
   confirm; the day before, the shift-reminders schedule runs;
3. after the shifts, the employer records the hours and the participants approve them and read
   their inbox again;
4. after each step, the queues are drained as Lambda's event source mappings would: the
   notifier writes inboxes, the delivery worker posts the partner's webhooks (application
   created, hours approved) to a loopback receiver that answers 200.

Counted: API requests; Lambda invocations and their duration per function (wall time of the
handler in process, rounded up to 1 ms per invocation, times the function's MemorySize from
template.yaml); DynamoDB read and write request units as DynamoDB Local reports them
(ReturnConsumedCapacity=INDEXES on every call: item sizes, indexes, transactions at 2 units per
KB); SQS and S3 requests the functions make; and, as AWS's event source mapping does it, one
ReceiveMessage and one DeleteMessageBatch per consumer invocation (the local poller's own calls
are not AWS's). The schedules' runs at their fixed rates cost the same whatever the volume;
they are spread over `--slots-per-month` (default 20,000, the report benchmark's programme
month) with their per-run cost measured on this data. Target: <= USD 0.03 per 1,000 filled
slots. Results go to section "cost_per_1000_filled_slots_usd".
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench import harness, lambda_env, meter  # harness first: it puts the shared layer on sys.path
from local import template
from local.environment import LocalEnvironment
from local.queues import QueuePoller
from local.streams import StreamPoller
from tests.helpers import Answer, Api, job_body, org_body, participant_body, shift_body

SECTION = "cost_per_1000_filled_slots_usd"
TARGET_USD = 0.03
NOW = "2026-11-25T09:00:00+01:00"
DAY_BEFORE = "2026-11-30T10:00:00+01:00"  # shift-reminders runs hourly; reminders go out the day before
AFTER = "2026-12-03T13:00:00+01:00"
DAYS = ("2026-12-01", "2026-12-02", "2026-12-03")
SLOTS = 4
APPLICANTS_PER_SHIFT = 5  # 1.25 per slot: one in five is rejected

# List prices, US East (N. Virginia), USD, as published on the AWS pricing pages (first tiers):
# API Gateway HTTP API, Lambda (arm64, as template.yaml deploys), DynamoDB on-demand (the
# prices of 1 November 2024), SQS standard, S3 Standard. Checked 2025-06; the platform deploys
# to eu-central-2 (Zurich), where prices are higher (roughly +10-30 %): see PRICE_NOTE.
PRICES = {
    "api_gateway_http_request": 1.00 / 1_000_000,
    "lambda_request": 0.20 / 1_000_000,
    "lambda_gb_second_arm64": 0.0000133334,
    "dynamodb_write_request_unit": 0.625 / 1_000_000,
    "dynamodb_read_request_unit": 0.125 / 1_000_000,
    "sqs_request": 0.40 / 1_000_000,
    "s3_put_copy_post_list": 0.005 / 1_000,
    "s3_get_and_other": 0.0004 / 1_000,
    "secretsmanager_api_call": 0.05 / 10_000,
}
PRICE_REGION = "us-east-1"
PRICE_NOTE = (
    "us-east-1 list prices (first tiers), checked 2025-06; eu-central-2 (Zurich, where samconfig.toml deploys) "
    "is dearer by roughly 10-30 % per item. Not counted: free tiers, CloudWatch Logs ingestion, X-Ray traces "
    "(Tracing: Active), SES e-mails (no sender configured), Secrets Manager's monthly secret fee, data transfer"
)
SCHEDULE_RUNS_PER_MONTH = {  # template.yaml's rates over 30 days
    "expire-offers": 30 * 24 * 4,
    "auto-approve-hours": 30 * 24,
    "shift-reminders": 30 * 24,
    "retry-deliveries": 30 * 24 * 12,
}


class Receiver:
    """The partner's HR system on loopback: accepts every delivery."""

    def __init__(self) -> None:
        self.received = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["content-length"]))
                outer.received += 1
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


class Month:
    """Drives the filled-slot lifecycle; `api_requests` counts the routed requests made."""

    def __init__(self, api: Api, refs: dict[str, Any]):
        self.api = api
        # What follows each change comes from the table's stream, as in AWS: it is counted too.
        self.poller = QueuePoller(api.gateway.host, refs, streams=StreamPoller(api.gateway.host, refs))
        self.api_requests = 0
        self.receiver = Receiver()

    def call(self, method: str, path: str, token: str | None, body: Any = None, expect: int = 200) -> Answer:
        answer = self.api.call(method, path, token=token, json_body=body)
        if not path.startswith("/_local/"):
            self.api_requests += 1
        if answer.status != expect:
            raise RuntimeError(f"{method} {path} answered {answer.status}, expected {expect}: {answer.body}")
        return answer

    def clock(self, now: str) -> None:
        self.call("POST", "/_local/clock", None, {"now": now})

    def drain(self) -> None:
        if not self.poller.drain().get("drained"):
            raise RuntimeError("the queues did not drain")

    def setup(self, participants: int) -> tuple[str, list[tuple[str, str]]]:
        self.clock(NOW)
        org = str(self.call("POST", "/organisations", self.api.admin(), org_body(), 201).body["org_id"])
        employer = self.api.employer(org)
        hooks = {"url": self.receiver.url, "events": ["application.created", "hours.approved"]}
        self.call("POST", f"/organisations/{org}/webhook-secret", employer, expect=201)
        self.call("PUT", f"/organisations/{org}/webhook", employer, hooks)
        cw = self.api.token("caseworker", "cw-cost")
        people = []
        for n in range(participants):
            body = participant_body(email=f"cost.p{n}@example.ch", case_reference=f"SD-C-{n:04d}")
            pid = str(self.call("POST", "/participants", cw, body, 201).body["participant_id"])
            token = self.api.token("participant", f"cost-u{n}", participant_id=pid)
            self.call("POST", "/me/consent", token, {"version": "2026-01"})
            people.append((pid, token))
        self.drain()
        return employer, people

    def lifecycle(self, employer: str, people: list[tuple[str, str]], jobs: int) -> int:
        """The metered part; returns the slots filled."""
        shifts: dict[str, dict[str, Any]] = {}  # shift id -> hours worked on it
        for _ in range(jobs):
            body = job_body(*(shift_body(f"{d}T08:00:00+01:00", f"{d}T12:00:00+01:00", slots=SLOTS) for d in DAYS))
            for s in self.call("POST", "/jobs", employer, body | {"publish": True}, 201).body["shifts"]:
                shifts[s["shift_id"]] = {"started_at": s["starts_at"], "ended_at": s["ends_at"], "break_minutes": 30}
        queue = iter(people)
        applied: dict[str, list[tuple[str, str]]] = {}  # shift -> [(application, participant token)]
        for shift in shifts:
            for _ in range(APPLICANTS_PER_SHIFT):
                _, me = next(queue)
                page = self.call("GET", "/jobs?limit=50", me).body
                job = page["items"][0]["job_id"] if page["items"] else None
                if job:
                    self.call("GET", f"/jobs/{job}", me)
                answer = self.call("POST", f"/shifts/{shift}/applications", me, {"message": "Gern!"}, 201)
                applied.setdefault(shift, []).append((str(answer.body["application_id"]), me))
        self.drain()
        accepted: list[tuple[str, str, str]] = []
        for shift, apps in applied.items():
            self.call("GET", f"/shifts/{shift}/applications", employer)
            for n, (app, me) in enumerate(apps):
                self.call("POST", f"/applications/{app}/{'accept' if n < SLOTS else 'reject'}", employer)
                if n < SLOTS:
                    accepted.append((app, me, shift))
        self.drain()
        for app, me, _ in accepted:
            self.call("GET", "/me/notifications?limit=20", me)
            self.call("POST", f"/applications/{app}/confirm", me)
        self.drain()
        self.clock(DAY_BEFORE)
        self.call("POST", "/_local/schedules/shift-reminders", None)
        self.drain()
        self.clock(AFTER)
        for app, _, shift in accepted:
            self.call("POST", f"/applications/{app}/hours", employer, shifts[shift])
        self.drain()
        for app, me, _ in accepted:
            self.call("POST", f"/applications/{app}/hours/approve", me)
            self.call("GET", "/me/notifications?limit=20", me)
        self.drain()
        return len(accepted)

    def schedule_runs(self) -> None:
        """One run of each fixed-rate schedule on this data (the rest of the month's are alike)."""
        for name in SCHEDULE_RUNS_PER_MONTH:
            self.call("POST", f"/_local/schedules/{name}", None)
        self.drain()


# Lambda's SQS event source mapping long-polls each queue with 5 pollers whatever the traffic
# (20 s polls: 3 ReceiveMessage a minute each), billed as SQS requests: modelled, not measured.
ESM_IDLE_RECEIVES_PER_QUEUE_MONTH = 5 * 3 * 60 * 24 * 30


def bill(m: meter.Meter, api_requests: int, memory: dict[str, int], consumers: set[str]) -> dict[str, Any]:
    """Usage and USD of what `m` counted."""
    gb_s = sum(m.billed_ms[f] / 1000 * memory[f] / 1024 for f in m.invocations)
    esm = sum(n for f, n in m.invocations.items() if f in consumers) * 2  # ReceiveMessage + DeleteMessageBatch
    sqs = sum(n for op, n in m.function_calls.items() if op.startswith("sqs.")) + esm
    s3_put = sum(n for op, n in m.function_calls.items() if op in {"s3.PutObject", "s3.CopyObject", "s3.ListObjectsV2"})
    s3_other = sum(n for op, n in m.function_calls.items() if op.startswith("s3.")) - s3_put
    secrets = sum(n for op, n in m.function_calls.items() if op.startswith("secretsmanager."))
    usage = {
        "api_requests": api_requests,
        "lambda_invocations": sum(m.invocations.values()),
        "lambda_gb_seconds": round(gb_s, 4),
        "dynamodb_read_request_units": m.rru,
        "dynamodb_write_request_units": m.wru,
        "sqs_requests": sqs,
        "sqs_requests_by_functions": sqs - esm,
        "sqs_requests_by_event_source_mappings": esm,
        "s3_put_requests": s3_put,
        "s3_get_requests": s3_other,
        "secretsmanager_calls": secrets,
    }
    usd = {
        "api_gateway": api_requests * PRICES["api_gateway_http_request"],
        "lambda_requests": usage["lambda_invocations"] * PRICES["lambda_request"],
        "lambda_duration": gb_s * PRICES["lambda_gb_second_arm64"],
        "dynamodb_writes": m.wru * PRICES["dynamodb_write_request_unit"],
        "dynamodb_reads": m.rru * PRICES["dynamodb_read_request_unit"],
        "sqs": sqs * PRICES["sqs_request"],
        "s3": s3_put * PRICES["s3_put_copy_post_list"] + s3_other * PRICES["s3_get_and_other"],
        "secretsmanager": secrets * PRICES["secretsmanager_api_call"],
    }
    per_function = {
        f: {
            "invocations": m.invocations[f],
            "mean_ms": round(m.duration_ms[f] / m.invocations[f], 1),
            "memory_mb": memory[f],
            "gb_seconds": round(m.billed_ms[f] / 1000 * memory[f] / 1024, 4),
        }
        for f in sorted(m.invocations)
    }
    return {
        "usage": usage,
        "usd": {k: round(v, 8) for k, v in usd.items()},
        "usd_total": sum(usd.values()),
        "lambda": per_function,
        "dynamodb_calls": dict(sorted(m.dynamodb_calls.items())),
        "dynamodb_units_by_table_or_index": dict(sorted(m.units_on.items())),
        "dynamodb_units_by_route": {route: dict(sorted(on.items())) for route, on in sorted(m.units_by_route.items())},
        "dynamodb_units_by_function_and_operation": {
            k: v for k, v in sorted(m.units_by.items(), key=lambda kv: -kv[1])
        },
        "aws_calls_by_functions": dict(sorted(m.function_calls.items())),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--jobs", type=int, default=5, help="jobs of 3 shifts x 4 slots (12 slots each)")
    parser.add_argument("--slots-per-month", type=int, default=20_000, help="spreads the fixed monthly costs")
    parser.add_argument("--results", type=Path, default=harness.RESULTS, help="default bench/results.json")
    args = parser.parse_args(argv)
    harness.quiet_local_servers()
    memory = lambda_env.memory_sizes()
    consumers = {c.function for c in template.consumers()}
    queues = {c.queue for c in template.consumers()}
    with (
        harness.Stopwatch() as whole,
        LocalEnvironment(data_dir=None, prefix="bench-cost", keep_environment=True) as env,
    ):
        harness.install_call_counter()
        meter.install()
        os.environ["POWERTOOLS_LOG_LEVEL"] = "WARNING"  # the functions' INFO lines would drown the output
        api = Api(meter.MeteredHost())
        month = Month(api, env.refs)
        try:
            employer, people = month.setup(args.jobs * len(DAYS) * APPLICANTS_PER_SHIFT)
            with meter.Meter() as variable:
                month.api_requests = 0
                filled = month.lifecycle(employer, people, args.jobs)
                lifecycle_api_requests = month.api_requests
            with meter.Meter() as fixed:
                month.schedule_runs()
        finally:
            api.call("DELETE", "/_local/clock")
            month.receiver.server.shutdown()
    per_run = bill(variable, lifecycle_api_requests, memory, consumers)
    schedule_run = bill(fixed, 0, memory, consumers)
    runs = sum(SCHEDULE_RUNS_PER_MONTH.values())
    fixed_month_usd = schedule_run["usd_total"] / len(SCHEDULE_RUNS_PER_MONTH) * runs
    idle_receives = ESM_IDLE_RECEIVES_PER_QUEUE_MONTH * len(queues)
    idle_usd = idle_receives * PRICES["sqs_request"]
    variable_per_1000 = per_run["usd_total"] / filled * 1000
    fixed_per_1000 = fixed_month_usd / args.slots_per_month * 1000
    idle_per_1000 = idle_usd / args.slots_per_month * 1000
    total = variable_per_1000 + fixed_per_1000  # what was counted; the idle polling is modelled, beside it
    terms = {k: v / filled * 1000 for k, v in per_run["usd"].items()}
    terms["schedules_fixed_rate_runs"] = fixed_month_usd / args.slots_per_month * 1000
    biggest = max(terms, key=lambda k: terms[k])
    data = {
        "command": "python -m bench.cost" + (f" --jobs {args.jobs}" if args.jobs != 5 else ""),
        "what": __doc__.split("\n\n", 1)[0] if __doc__ else "",
        "method": "see bench/cost.py's docstring; DynamoDB units from ConsumedCapacity (INDEXES) as DynamoDB Local "
        "reports it; Lambda duration is the handler's wall time in process against DynamoDB Local and moto on a "
        "shared 2-core machine (an overestimate of AWS's), billed per ms at the template's MemorySize",
        "prices": {"region": PRICE_REGION, "usd": PRICES, "note": PRICE_NOTE},
        "filled_slots": filled,
        "jobs": args.jobs,
        "applicants_per_slot": APPLICANTS_PER_SHIFT / SLOTS,
        "lifecycle": per_run,
        "fixed_monthly": {
            "slots_per_month": args.slots_per_month,
            "schedule_runs_per_month": SCHEDULE_RUNS_PER_MONTH,
            "one_run_of_each_schedule": schedule_run,
            "schedules_usd_per_month": round(fixed_month_usd, 6),
            "sqs_idle_receives_per_month": idle_receives,
            "sqs_idle_usd_per_month": round(idle_usd, 6),
            "sqs_idle_usd_per_1000_filled_slots": round(idle_per_1000, 6),
            "not_included": "monthly-reports (once a month; its report worker run is not measured here)",
        },
        "usd_per_1000_filled_slots_by_term": {k: round(v, 6) for k, v in sorted(terms.items(), key=lambda kv: -kv[1])},
        "variable_usd_per_1000_filled_slots": round(variable_per_1000, 6),
        "fixed_usd_per_1000_filled_slots": round(fixed_per_1000, 6),
        "usd_per_1000_filled_slots": round(total, 6),
        "usd_per_1000_filled_slots_with_idle_sqs_polling": round(total + idle_per_1000, 6),
        "biggest_term": biggest,
        "target": {"max_usd_per_1000_filled_slots": TARGET_USD},
        "meets_target": total <= TARGET_USD,
        "run_seconds": round(whole.seconds, 1),
    }
    harness.record(SECTION, data, args.results)
    print(
        f"{filled} filled slots; USD per 1000: {total:.4f} "
        f"(variable {variable_per_1000:.4f}, schedules {fixed_per_1000:.4f}; "
        f"idle SQS polling would add {idle_per_1000:.4f})"
    )
    for k, v in data["usd_per_1000_filled_slots_by_term"].items():
        print(f"  {k:45} {v:.5f}")
    print(f"target <= {TARGET_USD}: {'met' if data['meets_target'] else 'MISSED'}; biggest term {biggest}")
    return 0 if data["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
