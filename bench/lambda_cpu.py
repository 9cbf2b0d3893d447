"""Every function at its Lambda CPU share, in fresh interpreters (lambda_worker.py) on DynamoDB
Local and moto: the handler's import in a cgroup of one vCPU (on-demand init is boosted), then, moved
into one of MB/1769 vCPU, the first and 20 warm invocations (an idle CFS period apart) of its sample
events, their ids those of data made through the API, for each call where a second could not take
it again (tools.sample_events.FOLLOWS). A sample failing in two rounds is left out and listed; a
measured invocation that fails is counted, not timed. USD: bench.cost's arm64 prices. Targets at
MemorySize: init <= 600 ms; API functions: first <= 100 ms, warm p95 <= 20 ms.

    python -m bench.lambda_cpu [--sizes 128 256 512 1024 1769] [--repeat 3]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from standardwebhooks import Webhook

from bench import cost, harness  # harness first: shared layer on sys.path
from local import dynamodb_local, template
from local.environment import LocalEnvironment
from tests.helpers import EVENTS, Api, job_body, org_body, participant_body, shift_body
from tests.route_walk import AFTER_SHIFT, DURING_SHIFT, NOW, paper_code
from tools import sample_events as ev
from tools.sample_events import JOB, LEAVING, ORG, PAR, SHIFT
from tools.sample_work_confirmation import CODE
from tremplin import short_links
from tremplin.data.pagination import signing_key

# Samples a second call could not take again (tools.sample_events.FOLLOWS): each call on a start
# of its own, made through the local stack; its clock, the invocation's "now", where the event
# happens around the bench's shift (the sample shift's hours moved onto it: ON_SHIFT).
PHASE = {"before": NOW, "during": DURING_SHIFT, "after": AFTER_SHIFT}
FRESH = {
    f"event-{n}.json": (PHASE[when], before) for names, (when, before) in ev.FOLLOWS.items() for n in names.split()
}
ON_SHIFT = {
    str(ev.HOURS["started_at"]): "2026-12-01T08:05:00+01:00",
    str(ev.HOURS["ended_at"]): "2026-12-01T12:00:00+01:00",
}
LATER = ("2026-12-08T08:00:00+01:00", "2026-12-08T12:00:00+01:00")  # a new "job"'s shift, a week after
MADE = itertools.count()  # FRESH's calls: each its own e-mail address, valid_from, partner's signature
PAYSLIP = "ps.2027-01."  # the sample payslip's id: the month it was paid in, then the participant

MB_PER_VCPU, WARM, PERIOD_US, V1 = 1769, 20, 100_000, Path("/sys/fs/cgroup/cpu")
V2 = (Path("/sys/fs/cgroup"), Path("/sys/fs/cgroup/unified"))
TARGETS, API_TARGETS = {"init_ms": 600}, {"first_ms": 100, "warm_p95_ms": 20}
ROW = "| {name} | {mb} | {init_ms} ({init_cpu_ms}) | {first_ms} | {warm_p50_ms} / {warm_p95_ms} | {usd_per_1m} | {failed_n} |"  # noqa: E501
Run = tuple[dict[str, float], list[dict[str, Any]]]  # the import's times, each invocation's answer


def quotas(shares: dict[str, float], made: list[Path]) -> dict[str, Path]:
    """A cgroup for each share of one CPU (v1's cpu controller, else v2's cpu.max), by the file a
    pid is written to to move it in; `made`: the cgroups to remove at the end."""
    try:
        roots = [r for r in V2 if "cpu" in "".join(f.read_text() for f in r.glob("cgroup.controllers")).split()]
        base = ([V1] if (V1 / "cpu.cfs_quota_us").exists() else roots)[0] / f"tremplin-bench-{os.getpid()}"
        for group, share in [(base, 1.0), *((base / name, share) for name, share in shares.items())]:
            group.mkdir()
            made.append(group)
            quota = max(1000, round(PERIOD_US * share))  # the kernel's least: 1 ms a period
            v1 = {"cpu.cfs_period_us": PERIOD_US, "cpu.cfs_quota_us": quota}
            v2 = {"../cgroup.subtree_control": "+cpu", "cpu.max": f"{quota} {PERIOD_US}"}
            for file, value in (v1 if (group / "cpu.cfs_quota_us").exists() else v2).items():
                (group / file).write_text(str(value))
    except (OSError, IndexError) as error:
        sys.exit(f"lambda_cpu: no CPU-quota cgroup, v1 cpu or v2 cpu.max ({error!r}): not measuring unthrottled.")
    return {name: base / name / "cgroup.procs" for name in shares}


def sample(fn: template.FunctionDef, api: Api, n: int, names: list[str] | None = None) -> list[Any]:
    """(file, event or its maker (FRESH), the invocation's now): the function's sample events (of
    `names`), their ids those of an organisation, a consenting participant (another one to exit and
    erase), a job (HR-4711 to its partner) and an application made now; for events that name a
    payslip or a paper's code, that application worked, paid and on a work confirmation."""

    def call(method: str, path: str, token: str | None, body: Any = None) -> Any:
        if (answer := api.call(method, path, token=token, json_body=body)).status // 100 != 2:
            raise RuntimeError(f"{method} {path} answered {answer.status}: {answer.body}")
        return answer.body

    def enrol(email: str, consent: bool = True) -> tuple[str, str]:
        """A new participant of the caseworker's (consenting if `consent`) and their token."""
        new = call("POST", "/participants", caseworker, participant_body(email=email))["participant_id"]
        token = api.token("participant", f"participant-{new}", participant_id=new)
        if consent:
            call("POST", "/me/consent", token, {"version": "2026-01"})
        return str(new), token

    org = call("POST", "/organisations", api.admin(), org_body())["org_id"]
    employer, caseworker = api.employer(org), api.token("caseworker", "caseworker-sample")
    (pid, me), (leaving, _) = enrol(f"cpu.p{n}@example.ch"), enrol(f"cpu.l{n}@example.ch", consent=False)
    slot_room = shift_body("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00", slots=50)  # FRESH's
    job = call("POST", "/jobs", employer, job_body(slot_room, publish=True, external_ref="HR-4711"))
    call("POST", f"/shifts/{(shift := job['shifts'][0]['shift_id'])}/applications", me, {"message": "Gern!"})
    ids: dict[str, str] = {ORG: org, PAR: pid, LEAVING: leaving, JOB: job["job_id"], SHIFT: shift}
    ids[ev.SMS_TOKEN] = short_links.token(signing_key(), "/applications", pid)  # the participant's SMS link
    ids[ev.WEBHOOK_URL] = "http://127.0.0.1:9/hooks"  # loopback, which the local stack allows: no DNS here
    paths = [p for p in sorted(events_of(fn)) if p.name in (names or p.name)]
    texts = {p.name: p.read_text() for p in paths}

    def take(step: str, k: int, swap: dict[str, str]) -> dict[str, str]:
        """What a step of FRESH made: the sample ids and codes it replaces (of a URL, its last segment)."""
        if step == "organisation":
            return {ORG: call("POST", "/organisations", api.admin(), org_body())["org_id"]}
        if step in ("participant", "leaving"):
            return {PAR if step == "participant" else LEAVING: enrol(f"cpu.f{k}@example.ch", step == "participant")[0]}
        if step in ("job", "draft"):
            job = call("POST", "/jobs", employer, job_body(shift_body(*LATER), publish=step == "job"))
            return {JOB: job["job_id"], SHIFT: job["shifts"][0]["shift_id"]}
        event = json.loads(swapped(next(EVENTS.glob(f"*/event-{step}.json")).read_text(), swap))
        claims, body = event["requestContext"]["authorizer"]["jwt"]["claims"], event.get("body")
        role, sub = claims["cognito:groups"].strip("[]"), claims["sub"]
        token = api.token(role, sub, claims.get("custom:org_id"), claims.get("custom:participant_id"))
        pin(api, FRESH.get(f"event-{step}.json", (NOW,))[0])
        answer = call(event["requestContext"]["http"]["method"], event["rawPath"], token, body and json.loads(body))
        return {ev.GIVES[step][0]: str(answer[ev.GIVES[step][1]]).rsplit("/", 1)[-1]} if step in ev.GIVES else {}

    def fresh(text: str, now: str, before: str) -> Callable[[], Any]:
        """Each call: the event on a start of its own, made by the steps `before` it."""

        def event() -> Any:
            k, valid_from = next(MADE), str(ev.PAY_SCHEME_VERSION["valid_from"])
            swap = ids | ON_SHIFT | {str(ev.PARTICIPANT_BODY["email"]): f"cpu.e{k}@example.ch"}
            swap[valid_from] = str(date.fromisoformat(valid_from) + timedelta(days=k))
            for step in steps(before):
                swap |= take(step, k, swap)
            pin(api, NOW)
            made = json.loads(swapped(text, swap))
            if "webhook-signature" in made["headers"]:  # as the partner signs: now, by the organisation's new secret
                secret = call("POST", f"/organisations/{org}/webhook-secret", employer)["secret"]
                sent, msg = datetime.now(UTC), f"msg_{k}"
                made["headers"] |= {"webhook-id": msg, "webhook-timestamp": str(int(sent.timestamp()))}
                made["headers"]["webhook-signature"] = Webhook(secret).sign(msg, sent, made["body"])
            return made

        return event

    if any(PAYSLIP in t or CODE in t for t in texts.values()):  # PAR's shift worked, paid, on a work confirmation
        for step in ("accept", "confirm", "hours", "hours-approve"):
            take(f"post-application-{step}", 0, ids | ON_SHIFT)
        pin(api, "2027-01-02T03:00:00+01:00")  # the payroll of the sample payslip's month
        if api.call("POST", "/_local/schedules/payroll").status != 200:
            raise RuntimeError("the payroll run failed")
        ids[CODE] = paper_code(call("GET", "/me/work-confirmation?from=2026-11-01", me))
        pin(api, NOW)
    return [
        (name, fresh(t, *FRESH[name]), FRESH[name][0]) if name in FRESH else (name, json.loads(swapped(t, ids)), NOW)
        for name, t in texts.items()
    ]


def steps(before: str) -> list[str]:
    """The steps to a FRESH start: the events it follows and new data, first to last."""
    return [s for b in before.split() for s in [*steps(FRESH.get(f"event-{b}.json", (NOW, ""))[1]), b]]


def pin(api: Api, now: str) -> None:
    api.call("POST", "/_local/clock", json_body={"now": now})


def swapped(text: str, swap: dict[str, str]) -> str:
    """`text`, each key of `swap` in it replaced by its value (the longest first)."""
    return re.sub("|".join(sorted(map(re.escape, swap), key=len, reverse=True)), lambda m: swap[m[0]], text)


def events_of(fn: template.FunctionDef) -> list[Path]:
    """The function's sample events (events/<its code folder>/)."""
    return list((EVENTS / Path(fn.code_uri).name).glob("*.json"))


def failure(answer: dict[str, Any]) -> str | None:
    result = answer["result"] if isinstance(answer.get("result"), dict) else {}
    failed = answer.get("error") or (int(result.get("statusCode", 200)) >= 400 and f"HTTP {result['statusCode']}")
    return str(failed)[:120] if failed else ("batch item failures" if result.get("batchItemFailures") else None)


def command(fn: template.FunctionDef, mb: int, *group: Path) -> list[str]:
    """A worker's command line (lambda_worker.py), in the cgroup `group` from its start if given."""
    args = [str(fn.module_path.parent), harness.LAYER_PATH, *fn.handler.rsplit(".", 1), fn.logical_id, str(mb)]
    line = [harness.lambda_python(), str(Path(__file__).with_name("lambda_worker.py")), *args]
    return ["/bin/sh", "-c", 'echo $$ > "$0" && exec "$@"', str(group[0]), *line] if group else line


def run(fn: template.FunctionDef, mb: int, work: list[Any], count: int, log: IO[str], *groups: Path) -> Run:
    """A worker (in groups[0] from its start, moved into groups[1] after the import) invoked
    `count` times through `work` in turn, an idle CFS period apart when in a cgroup."""
    line, env = command(fn, mb, *groups[:1]), {**os.environ, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(mb)}
    with subprocess.Popen(line, stdin=-1, stdout=-1, stderr=log, text=True, env=env, cwd="/") as worker:  # noqa: S603
        assert worker.stdin is not None and worker.stdout is not None
        if "import_ms" not in (ready := json.loads(worker.stdout.readline() or "{}")):
            raise RuntimeError(f"{fn.logical_id}: the import failed; see {log.name}")
        for procs in groups[1:]:
            procs.write_text(str(worker.pid))
        answers: list[dict[str, Any]] = []
        for name, event, now in (work[i % len(work)] for i in range(count)):
            event = event() if callable(event) else event  # made while the worker idles (sample.fresh)
            time.sleep(PERIOD_US / 1e6 if answers and groups else 0)
            print(json.dumps({"now": now, "event": event}), file=worker.stdin, flush=True)
            died = '{"error": "died", "wall_ms": 0, "imported": []}'
            answers.append(json.loads(worker.stdout.readline() or died) | {"event": name})
        worker.communicate()
    return ready, answers


def summary(runs: list[Run], mb: int) -> dict[str, Any]:
    """Medians over the interpreters; USD of the first and warm invocations (failed ones billed too)."""
    warm = [harness.Timing(w) for _, a in runs if (w := [x["wall_ms"] for x in a[1:] if not failure(x)])]
    gb_s = [[math.ceil(x["wall_ms"]) / 1000 * mb / 1024 for x in a] for _, a in runs]
    usd = [[s * cost.PRICES["lambda_gb_second_arm64"] + cost.PRICES["lambda_request"] for s in g] for g in gb_s]
    by_event: dict[str, tuple[list[float], list[float]]] = {}
    for x in (x for _, a in runs for x in a[1:] if not failure(x)):
        by_event.setdefault(x["event"], ([], []))[0].append(x["wall_ms"])
        by_event[x["event"]][1].append(x["cpu_ms"])
    figures = {"init_ms": [r["import_ms"] for r, _ in runs], "init_cpu_ms": [r["import_cpu_ms"] for r, _ in runs]}
    figures |= {"first_ms": [a[0]["wall_ms"] for _, a in runs if not failure(a[0])]}
    figures |= {"warm_p50_ms": [t.median_ms for t in warm], "warm_p95_ms": [t.percentile_ms(0.95) for t in warm]}
    return {k: round(statistics.median(v), 1) if v else None for k, v in figures.items()} | {
        "usd_first_and_warm": statistics.median(sum(u) for u in usd),
        "usd_per_1m": round(1e6 * statistics.mean(x for u in usd for x in u[1:]), 3),  # warm invocations
        "events": {
            e: {"wall_max_ms": round(max(w), 1), "cpu_median_ms": round(statistics.median(c), 1)}
            for e, (w, c) in sorted(by_event.items())
        },  # which route sets the p95, and its own CPU
        # Packages a request imported (the first or a warm one): lazy work paid at the CPU share.
        "imported_by_requests": sorted({f"{x['event']}: {m}" for _, a in runs for x in a for m in x["imported"]}),
        "failed_n": sum(bool(failure(x)) for _, a in runs for x in a),
        "failed": sorted({f"{x['event']}: {f}" for _, a in runs for x in a if (f := failure(x))}),
    }


def measure(args: argparse.Namespace) -> dict[str, Any]:
    functions, api_functions = template.functions(), {r.function for r in template.routes()}
    functions = {k: v for k, v in functions.items() if k in (args.functions or functions)}
    sizes, made, table, n = {mb for fn in functions.values() for mb in [*args.sizes, fn.memory_mb]}, [], {}, 0
    log = tempfile.NamedTemporaryFile("w", prefix="bench-cpu-", suffix=".log", delete=False)  # noqa: SIM115
    rows = ["| function | MB | init ms (CPU ms) at 1 vCPU | first ms | warm p50 / p95 ms | USD per 1M warm | failed |"]
    rows.append("|---|---:|---:|---:|---:|---:|---:|")
    try:
        groups = quotas({"init": 1.0} | {str(mb): mb / MB_PER_VCPU for mb in sizes}, made)
        with LocalEnvironment(data_dir=None, prefix="bench-cpu", keep_environment=True) as env:
            dynamodb_local.warm_up(env.refs["Table"])  # its JIT's first calls are not the functions' time
            pin(api := Api(), NOW)
            for name, fn in functions.items():
                every = sample(fn, api, n := n + 1)
                probe = run(fn, fn.memory_mb, every, 2 * len(every), log)[1]  # unthrottled, two rounds
                left_out = {x["event"]: f for x in probe if (f := failure(x))}
                kept, runs = [e for e, *_ in every if e not in left_out], dict[int, list[Run]]()
                for _, mb in harness.turns(sorted({*args.sizes, fn.memory_mb}), args.repeat if kept else 0):
                    work = sample(fn, api, n := n + 1, kept)
                    runs.setdefault(mb, []).append(run(fn, mb, work, 1 + WARM, log, groups["init"], groups[str(mb)]))
                f = table[name] = {"memory_size_mb": fn.memory_mb, "events": kept, "left_out": left_out}
                f["sizes"] = {mb: summary(r, mb) for mb, r in sorted(runs.items())}
                at = f["sizes"].get(fn.memory_mb) or {"failed": ["no sample event succeeds"]}
                limits = TARGETS | (API_TARGETS if name in api_functions else {})
                f["meets_target"] = not at["failed"] and all((at.get(k) or math.inf) <= v for k, v in limits.items())
                for mb, s in f["sizes"].items():
                    rows.append(ROW.format(name=name, mb=f"**{mb}**" if mb == fn.memory_mb else mb, **s))
                rows += [] if runs else [f"| {name} | - | no sample event succeeds | | | | |"]
                print(f"  {name}: {len(kept)} of {len(every)} sample events", flush=True)
    finally:
        for group in reversed(made):
            group.rmdir()
    print("\n".join(rows))
    return {
        "target": f"at MemorySize: {TARGETS}; API functions: {API_TARGETS}",
        "headline": {n: f["sizes"].get(f["memory_size_mb"]) for n, f in table.items()},
        "meets_target": all(f["meets_target"] for f in table.values()),
        "functions": table,
        "cgroups": {"period_us": PERIOD_US, "init_vcpu": 1.0, "mb_per_vcpu": MB_PER_VCPU, "made": made[:1]},
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "table": rows,
        "worker_log": log.name,
    }


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sizes", type=int, nargs="+", default=[128, 256, 512, 1024, 1769], help="MB")
    parser.add_argument("--repeat", type=int, default=3, help="fresh interpreters per function and size (median)")
    parser.add_argument("--functions", nargs="+", help="logical ids (default: every function)")


if __name__ == "__main__":
    sys.exit(harness.main("lambda_cpu", __doc__, measure, options))
