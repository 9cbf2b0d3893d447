"""Every function at its Lambda CPU share, in fresh interpreters (lambda_worker.py) on DynamoDB
Local and moto: the handler's import in a cgroup of one vCPU (on-demand init is boosted), then, moved
into one of MB/1769 vCPU, the first and 20 warm invocations (an idle CFS period apart) of its sample
events, their ids those of data made through the API. A sample failing in two rounds on such data is
left out and listed; a measured invocation that fails is counted, not timed. USD: bench.cost's arm64
prices. Targets at MemorySize: init <= 600 ms; API functions: first <= 100 ms, warm p95 <= 20 ms.

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
from pathlib import Path
from typing import IO, Any

from bench import cost, harness  # harness first: shared layer on sys.path
from local import template
from local.environment import LocalEnvironment
from tests.helpers import EVENTS, Api, job_body, org_body, participant_body, shift_body
from tests.route_walk import NOW, paper_code
from tools.sample_events import JOB, LEAVING, ORG, PAR, SHIFT
from tools.sample_work_confirmation import CODE

# Changes that move an application on, and the steps that bring a new participant's application on
# the sample shift to where each starts: every call gets its own (a second would only answer 409).
FRESH = {
    "event-post-application.json": (),
    "event-post-application-accept.json": ("apply",),
    "event-post-application-reject.json": ("apply",),
    "event-post-application-withdraw.json": ("apply",),
    "event-post-application-confirm.json": ("apply", "accept"),
    "event-post-application-decline.json": ("apply", "accept"),
    "event-post-application-cancel.json": ("apply", "accept", "confirm"),
}
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
    """(file, event): the function's sample events (of `names`), their ids those of an organisation,
    a consenting participant (another one to exit and erase), a job (HR-4711 to its partner) and an
    application made now; for events that name a payslip or a paper's code, that application
    worked, paid and on a work confirmation."""

    def post(path: str, token: str, body: Any, expect: int = 201) -> Any:
        if (answer := api.call("POST", path, token=token, json_body=body)).status != expect:
            raise RuntimeError(f"POST {path} answered {answer.status}: {answer.body}")
        return answer.body

    org = post("/organisations", api.admin(), org_body())["org_id"]
    body = participant_body(email=f"cpu.p{n}@example.ch", case_reference=f"SD-L-{n:05d}")
    pid = post("/participants", (caseworker := api.token("caseworker", "caseworker-sample")), body)["participant_id"]
    body = participant_body(email=f"cpu.l{n}@example.ch", case_reference=f"SD-M-{n:05d}")
    leaving = post("/participants", caseworker, body)["participant_id"]
    me = api.token("participant", "participant-sample", participant_id=pid)
    post("/me/consent", me, {"version": "2026-01"}, 200)
    slot_room = shift_body("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00", slots=50)  # FRESH's
    job = post("/jobs", api.employer(org), job_body(slot_room, publish=True, external_ref="HR-4711"))
    post(f"/shifts/{(shift := job['shifts'][0]['shift_id'])}/applications", me, {"message": "Gern!"})
    ids = {ORG: org, PAR: pid, LEAVING: leaving, JOB: job["job_id"], SHIFT: shift}
    paths = [p for p in sorted(events_of(fn)) if p.name in (names or p.name)]
    texts = {p.name: p.read_text() for p in paths}
    if any(PAYSLIP in t or CODE in t for t in texts.values()):
        ids[CODE] = _paid(api, post, (api.employer(org), me, pid), job["shifts"][0])

    made = itertools.count()

    def fresh(text: str, steps: tuple[str, ...]) -> Callable[[], Any]:
        """Each call: a new consenting participant whose application on the shift took `steps`."""

        def event() -> Any:
            k = next(made)
            body = participant_body(email=f"cpu.f{n}.{k}@example.ch", case_reference=f"SD-F-{n:03d}{k:04d}")
            new = post("/participants", caseworker, body)["participant_id"]
            post(
                "/me/consent",
                (own := api.token("participant", f"fresh-{n}-{k}", participant_id=new)),
                {"version": "2026-01"},
                200,
            )
            for step in steps:
                if step == "apply":
                    post(f"/shifts/{shift}/applications", own, {})
                else:
                    post(
                        f"/applications/app.{shift}.{new}/{step}",
                        api.employer(org) if step == "accept" else own,
                        None,
                        200,
                    )
            return json.loads(re.sub("|".join(ids), lambda m: (ids | {PAR: new})[m[0]], text))

        return event

    return [
        (name, fresh(t, FRESH[name]) if name in FRESH else json.loads(re.sub("|".join(ids), lambda m: ids[m[0]], t)))
        for name, t in texts.items()
    ]


def _paid(api: Api, post: Any, who: tuple[str, str, str], shift: dict[str, Any]) -> str:
    """The participant's shift worked, approved and on the payroll of 2 January 2027 (the sample
    payslip's month); the code of their work confirmation. `who`: the employer's and the
    participant's tokens, the participant's id."""
    employer, me, pid = who
    app = f"app.{shift['shift_id']}.{pid}"
    post(f"/applications/{app}/accept", employer, None, 200)
    post(f"/applications/{app}/confirm", me, None, 200)
    api.call("POST", "/_local/clock", json_body={"now": "2026-12-01T13:00:00+01:00"})
    hours = {"started_at": shift["starts_at"], "ended_at": shift["ends_at"], "break_minutes": 30}
    post(f"/applications/{app}/hours", employer, hours, 200)
    post(f"/applications/{app}/hours/approve", me, None, 200)
    api.call("POST", "/_local/clock", json_body={"now": "2027-01-02T03:00:00+01:00"})
    if api.call("POST", "/_local/schedules/payroll").status != 200:
        raise RuntimeError("the payroll run failed")
    pdf = api.call("GET", "/me/work-confirmation?from=2026-11-01", token=me).body
    api.call("POST", "/_local/clock", json_body={"now": NOW})
    return paper_code(pdf)


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
    line = [sys.executable, str(Path(__file__).with_name("lambda_worker.py")), *args]
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
        for name, event in (work[i % len(work)] for i in range(count)):
            event = event() if callable(event) else event  # made while the worker idles (sample.fresh)
            time.sleep(PERIOD_US / 1e6 if answers and groups else 0)
            print(json.dumps({"now": NOW, "event": event}), file=worker.stdin, flush=True)
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
        with LocalEnvironment(data_dir=None, prefix="bench-cpu", keep_environment=True):
            (api := Api()).call("POST", "/_local/clock", json_body={"now": NOW})
            for name, fn in functions.items():
                every = sample(fn, api, n := n + 1)
                probe = run(fn, fn.memory_mb, every, 2 * len(every), log)[1]  # unthrottled, two rounds
                left_out = {x["event"]: f for x in probe if (f := failure(x))}
                kept, runs = [e for e, _ in every if e not in left_out], dict[int, list[Run]]()
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
