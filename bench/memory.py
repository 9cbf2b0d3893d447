"""Peak memory of each function, in an interpreter of its own (lambda_worker.py) as a Lambda
sandbox holds it, over its real work: every route, a filled-slot lifecycle with every queue and
schedule run, the monthly reports, then the report worker on a programme-size month (1,000
participants, 20,000 completed shifts, made as bench.report_scaling makes them): unthrottled for
its peak, then in a fresh interpreter per `--report-sizes` MB under bench.lambda_cpu's cgroups
(init at one vCPU, the reports at MB/1769 of one), wall seconds. Targets: peak <= MemorySize; the
programme month's reports at the worker's MemorySize each <= 20 s.

    python -m bench.memory [--jobs 2] [--copies 200 | --no-programme-month] [--report-sizes 320 1024]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import IO, Any

from bench import cost, harness, lambda_cpu, report_scaling  # harness first: shared layer on sys.path
from bench.lambda_worker import peak_mb
from local import template
from local.environment import LocalEnvironment
from local.functions import FunctionHost
from local.queues import QueuePoller
from tests.helpers import Api
from tests.route_walk import walk
from tremplin import clock
from tremplin.data import participants as participant_store
from tremplin.data import reports as report_store
from tremplin.logic import reports

REPORT_WORKER = "ReportWorkerFunction"
REPORT_SECONDS = 20  # issue 18: a programme month's report at the worker's CPU share


class WorkerHost(FunctionHost):
    """Hands each invocation to the function's own interpreter (bench/lambda_worker.py), started
    on its first one; `last`: the last invocation's wall and CPU seconds and the peak so far.
    With `groups` (bench.lambda_cpu's cgroups.procs files): started in the first, moved into the
    second once imported; `mb`: the memory size it is told (else the function's)."""

    def __init__(self, log: IO[str], mb: int | None = None, groups: tuple[Path, ...] = ()):
        super().__init__()
        self.log, self.workers, self.invocations = log, dict[str, subprocess.Popen[str]](), Counter[str]()
        self.last: dict[str, float] = {}
        self.mb, self.groups = mb, groups

    def invoke(self, logical_id: str, event: dict[str, Any]) -> Any:
        fn = template.functions()[logical_id]
        if logical_id not in self.workers:
            mb = self.mb or fn.memory_mb
            line, env = (
                lambda_cpu.command(fn, mb, *self.groups[:1]),
                os.environ | {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(mb)},
            )
            self.workers[logical_id] = subprocess.Popen(line, stdin=-1, stdout=-1, stderr=self.log, text=True, env=env)  # noqa: S603
            self.workers[logical_id].stdout.readline()  # type: ignore[union-attr]  # the import time
            for procs in self.groups[1:]:
                procs.write_text(str(self.workers[logical_id].pid))
        worker, pinned = self.workers[logical_id], clock._pinned  # the local stack's pin, handed on
        assert worker.stdin is not None and worker.stdout is not None
        worker.stdin.write(json.dumps({"now": pinned.isoformat() if pinned else None, "event": event}) + "\n")
        worker.stdin.flush()
        answer = json.loads(worker.stdout.readline() or '{"error": "the worker died; see its log"}')
        self.invocations[logical_id] += 1
        took = {k: answer.get(f"{k}_ms", 0) / 1000 for k in ("wall", "cpu")}  # the handler's, timed by the worker
        self.last = {"seconds": took["wall"], "cpu_seconds": took["cpu"], "peak_mb": peak_mb(worker.pid)}
        if "error" in answer:  # as FunctionHost raises the handler's error to the poller
            raise RuntimeError(f"{logical_id}: {answer['error']}")
        return answer["result"]

    def finish(self) -> dict[str, dict[str, float]]:
        """Each interpreter's RSS before the import, after it, and its peak."""
        peaks = {}
        for name, worker in self.workers.items():
            assert worker.stdin is not None and worker.stdout is not None
            worker.stdin.close()
            peaks[name] = {k: round(v, 1) for k, v in json.loads(worker.stdout.readline()).items()}
            worker.wait(timeout=60)
        return peaks


def programme_month(refs: dict[str, Any], host: WorkerHost, args: argparse.Namespace) -> dict[str, Any]:
    """June 2027 (report_scaling.MONTH) copied into the run's table, then its reports made by the
    report worker (`host`, then one per size at its CPU share). The run's own participants, enrolled
    in November 2026, count in the programme report's `enrolled` (up to June's end) too."""
    june = report_scaling.base_month(report_scaling.MONTH, 5, 25, random.Random(args.seed))
    harness.use_table(refs)
    own = participant_store.enrolled_up_to(report_scaling.MONTH)
    items = list(report_scaling.copies(june.items, args.copies, per_org=10))  # organisations of ~1,000 completions
    load_seconds = report_scaling.write_items(str(refs["Table"]), items)
    made, summaries = month_reports(refs, host, june)
    at_share: dict[str, Any] = {}  # MB: each report's seconds, CPU seconds and the peak so far
    cgroups: list[Path] = []
    try:
        sizes = {str(mb): mb / lambda_cpu.MB_PER_VCPU for mb in args.report_sizes}
        groups = lambda_cpu.quotas({"init": 1.0} | sizes, cgroups)
        for mb in args.report_sizes:
            print(f"  at {mb} MB's CPU share:", flush=True)
            sized = WorkerHost(host.log, mb, (groups["init"], groups[str(mb)]))
            at_share[str(mb)] = month_reports(refs, sized, june)[0]
            sized.finish()
    except SystemExit as no_cgroup:  # quotas() says why; the unthrottled figures stand
        at_share = {"error": str(no_cgroup)}
    finally:
        for group in reversed(cgroups):
            group.rmdir()
    checks = report_scaling.check(summaries, june, args.copies, 10, june.participants * args.copies + own)
    seconds = {mb: {k: r["seconds"] for k, r in by_kind.items()} for mb, by_kind in at_share.items() if mb != "error"}
    return {"items": len(items), "load_seconds": round(load_seconds, 1), "reports": made, "checks": checks} | {
        "at_cpu_share": at_share,
        "seconds_at_cpu_share": seconds,
    }


def month_reports(refs: dict[str, Any], host: WorkerHost, june: report_scaling.Base) -> tuple[dict[str, Any], ...]:
    """The month's reports, each made by `host`'s worker from one message through the reports
    queue: each one's seconds, CPU seconds and peak so far; and their summaries."""
    # Only the reports queue: the copies' stream records are no one's business here.
    queue = QueuePoller(host, refs, consumers=[c for c in template.consumers() if c.function == REPORT_WORKER])
    made, summaries = {}, {}
    clock.pin(report_scaling.NOW)
    try:
        for kind in report_scaling.KINDS:
            org = june.orgs[0] if kind.value == "employer" else None
            asked = reports.enqueue(kind, report_scaling.MONTH, org, "bench")
            queue.drain()
            done = report_store.get(asked.report_id) or {}
            if done.get("status") != "ready":
                raise RuntimeError(f"{kind.value}: the report is {done.get('status')!r}; see the worker log")
            summaries[kind.value] = json.loads(done["summary_json"])
            made[kind.value] = {k: round(v, 1) for k, v in host.last.items()}
            print(f"  {kind.value:10} {made[kind.value]}", flush=True)
    finally:
        clock.pin(None)
    return made, summaries


def measure(args: argparse.Namespace) -> dict[str, Any]:
    log = tempfile.NamedTemporaryFile("w", prefix="bench-memory-", suffix=".log", delete=False)  # noqa: SIM115
    with LocalEnvironment(data_dir=None, prefix="bench-memory", keep_environment=True) as env, cost.receiver() as hooks:
        host = WorkerHost(log)
        api = Api(host)
        walk(api, webhook_url=hooks.url_for("/hooks"))
        month = cost.Month(api, env.refs, hooks.url_for("/hooks"))
        try:
            employer, people = month.setup(args.jobs * len(cost.DAYS) * cost.APPLICANTS_PER_SHIFT)
            month.lifecycle(employer, people, args.jobs)
            month.schedule_runs()
            month.call("POST", "/_local/schedules/monthly-reports", None)
            month.drain()
            for name, fn in template.functions().items():  # what no request reaches: the sign-in trigger
                for path in [] if host.invocations[name] else sorted(lambda_cpu.events_of(fn)):
                    host.invoke(name, json.loads(path.read_text()))
        finally:
            api.call("DELETE", "/_local/clock")
        programme = programme_month(env.refs, host, args) if args.copies else None
        peaks = host.finish()
    functions: dict[str, Any] = {}
    for name, fn in template.functions().items():
        rss, size = peaks.get(name, {"peak_mb": 0.0}), fn.memory_mb
        peak, invocations = rss["peak_mb"], host.invocations[name]
        ok = invocations > 0 and peak <= size  # sizes are chosen for CPU (bench.lambda_cpu), not kept tight
        functions[name] = {"memory_size_mb": size, "invocations": invocations, **rss, "meets_target": ok}
    seconds = (programme or {}).get("seconds_at_cpu_share", {})  # by MB, then report
    at_size = seconds.get(str(template.functions()[REPORT_WORKER].memory_mb))
    report_ok = programme is None or (
        all(programme["checks"].values()) and bool(at_size) and max(at_size.values()) <= REPORT_SECONDS
    )
    return {
        "target": f"peak RSS <= MemorySize; a programme month's reports at the worker's share <= {REPORT_SECONDS} s",
        "headline": {name: f"{f['peak_mb']:.0f} of {f['memory_size_mb']} MB" for name, f in functions.items()}
        | {"report_worker_seconds_by_mb": seconds},
        "meets_target": all(f["meets_target"] for f in functions.values()) and report_ok,
        "functions": functions,
        "programme_month": programme,
        "worker_log": log.name,
    }


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", type=int, default=2, help="jobs of the filled-slot lifecycle (12 slots each)")
    parser.add_argument("--copies", type=int, default=200, help="copies of the programme month's 5 participants")
    parser.add_argument("--no-programme-month", dest="copies", action="store_const", const=0, help="a quick run")
    parser.add_argument("--seed", type=int, default=20260701)
    parser.add_argument("--report-sizes", type=int, nargs="*", default=[320, 512, 1024, 1769], help="MB (CPU share)")


if __name__ == "__main__":
    sys.exit(harness.main("memory", __doc__, measure, options))
