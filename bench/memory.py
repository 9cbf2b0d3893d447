"""Peak memory per function over representative invocations, against the MemorySize
template.yaml gives it.

    python -m bench.memory [--jobs 2]

Each function runs in a fresh interpreter of its own (bench/lambda_worker.py: the function's
code and the shared layer on sys.path, its template environment pointed at DynamoDB Local and
moto), as a Lambda sandbox holds it; this process routes, authorises and queues as the local
stack does, and hands every invocation of that function to its interpreter. The work: every
HTTP route once on data that makes it do its real work (bench.route_walk), then a filled-slot
lifecycle with its queues drained and every schedule run (bench.cost's Month), then the
monthly reports. Each interpreter's peak RSS at the end is the function's peak: VmHWM from
/proc/self/status, not getrusage's ru_maxrss, which Linux carries over fork and exec from the
(larger) process that started the worker.

Target, per function: the MemorySize is justified by the measured peak when
peak <= MemorySize and peak >= 40 % of MemorySize (the size is at most 2.5 x the need); a
MemorySize of 128 MB, Lambda's smallest, is justified by any peak below it. Where it is not,
`suggested_memory_mb` is the smallest multiple of 64 MB at least 1.5 x the peak (and at least
128). Results go to section "memory"; the command exits with 1 when a size is not justified.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

from bench import cost, harness, lambda_env, route_walk  # harness first: it puts the shared layer on sys.path
from local import template
from local.environment import LocalEnvironment
from local.functions import FunctionHost
from tests.helpers import Api

SECTION = "memory"
WORKER = str(Path(__file__).with_name("lambda_worker.py"))
MIN_SHARE = 0.4
LAMBDA_MIN_MB = 128


class Worker:
    def __init__(self, name: str, memory_mb: int, log: IO[str]):
        fn = template.functions()[name]
        args = [str(fn.module_path.parent), harness.LAYER_PATH, lambda_env.module_name(name), fn.handler_name]
        self.invocations = 0
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and script)
            [lambda_env.PYTHON, WORKER, *args, name, str(memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env={**os.environ, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory_mb)},
        )

    def invoke(self, event: dict[str, Any]) -> Any:
        from tremplin import clock

        pinned = clock._pinned  # the local stack's pin, handed on to the worker
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"now": pinned.isoformat() if pinned else None, "event": event}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the worker died (exit {self.process.wait()}); see its log")
        self.invocations += 1
        return json.loads(line)["result"]

    def finish(self) -> dict[str, float]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        report = json.loads(self.process.stdout.readline())
        self.process.wait(timeout=60)
        return {k: round(v, 1) for k, v in report.items()}


class WorkerHost(FunctionHost):
    """Hands each invocation to the function's own interpreter, started on its first one."""

    def __init__(self, memory: dict[str, int], log: IO[str]):
        super().__init__()
        self.memory, self.log = memory, log
        self.workers: dict[str, Worker] = {}

    def invoke(self, logical_id: str, event: dict[str, Any]) -> Any:
        if logical_id not in self.workers:
            self.workers[logical_id] = Worker(logical_id, self.memory[logical_id], self.log)
        return self.workers[logical_id].invoke(event)


def suggested_mb(peak: float) -> int:
    return max(LAMBDA_MIN_MB, math.ceil(peak * 1.5 / 64) * 64)


def verdict(peak: float, size: int) -> bool:
    if size == LAMBDA_MIN_MB:
        return peak <= size
    return MIN_SHARE * size <= peak <= size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--jobs", type=int, default=2, help="jobs of the filled-slot lifecycle (12 slots each)")
    parser.add_argument("--results", type=Path, default=harness.RESULTS, help="default bench/results.json")
    args = parser.parse_args(argv)
    harness.quiet_local_servers()
    memory = lambda_env.memory_sizes()
    log = tempfile.NamedTemporaryFile("w", prefix="bench-memory-", suffix=".log", delete=False)  # noqa: SIM115
    environment = LocalEnvironment(data_dir=None, prefix="bench-memory", keep_environment=True)
    with harness.Stopwatch() as whole, environment as env:
        harness.install_call_counter()
        host = WorkerHost(memory, log)
        api = Api(host)
        route_walk.walk(api)
        month = cost.Month(api, env.refs)
        try:
            employer, people = month.setup(args.jobs * len(cost.DAYS) * cost.APPLICANTS_PER_SHIFT)
            month.lifecycle(employer, people, args.jobs)
            month.schedule_runs()
            month.call("POST", "/_local/schedules/monthly-reports", None)
            month.drain()
        finally:
            api.call("DELETE", "/_local/clock")
            month.receiver.server.shutdown()
        reports = {name: (w.invocations, w.finish()) for name, w in host.workers.items()}
    functions: dict[str, Any] = {}
    for name in template.functions():
        if name not in reports:
            functions[name] = {"memory_size_mb": memory[name], "invocations": 0, "meets_target": False}
            continue
        invocations, rss = reports[name]
        ok = verdict(rss["peak_mb"], memory[name])
        functions[name] = {
            "memory_size_mb": memory[name],
            "invocations": invocations,
            **rss,
            "peak_share_of_memory_size": round(rss["peak_mb"] / memory[name], 3),
            "meets_target": ok,
            **({} if ok else {"suggested_memory_mb": suggested_mb(rss["peak_mb"])}),
        }
    meets = all(f["meets_target"] for f in functions.values())
    data = {
        "command": "python -m bench.memory" + (f" --jobs {args.jobs}" if args.jobs != 2 else ""),
        "what": "peak RSS (VmHWM) of each function's own fresh interpreter over its invocations: every HTTP "
        "route once (bench.route_walk), a filled-slot lifecycle with queues drained and every schedule run "
        "(bench.cost), the monthly reports; against DynamoDB Local and moto. interpreter_mb: before the import; "
        "after_import_mb: the import's peak",
        "target": {
            "rule": "peak_mb <= memory_size_mb and peak_mb >= 0.4 x memory_size_mb; memory_size_mb 128 (Lambda's "
            "smallest) needs only peak_mb <= 128",
            "suggested_memory_mb": "smallest multiple of 64 at least 1.5 x peak_mb, at least 128",
        },
        "meets_target": meets,
        "functions": functions,
        "worker_log": log.name,
        "run_seconds": round(whole.seconds, 1),
    }
    harness.record(SECTION, data, args.results)
    for name, f in functions.items():
        extra = "" if f["meets_target"] else f"  NOT justified: suggest {f.get('suggested_memory_mb')} MB"
        print(f"  {name:28} {f['memory_size_mb']:5} MB  peak {f.get('peak_mb', 0):6.1f} MB  x{f['invocations']}{extra}")
    print(f"target {'met' if meets else 'MISSED'}; recorded under {SECTION!r}")
    return 0 if meets else 1


if __name__ == "__main__":
    sys.exit(main())
