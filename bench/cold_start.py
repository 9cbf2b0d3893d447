"""Cold start: how long each function's handler module takes to import in a fresh interpreter,
against a baseline that imports only what every function needs anyway (boto3, Powertools'
Logger, Tracer and APIGatewayHttpResolver, pydantic).

    python -m bench.cold_start [--repeat 15]
    python -m bench.cold_start --why JobsFunction     # python -X importtime, heaviest first

Each sample is a new interpreter (subprocess) with the environment template.yaml gives the
function (harmless values: nothing is called at import) and, as in Lambda, the function's code
directory and the shared layer on sys.path; it times `import app` (or the baseline's imports)
with perf_counter, so interpreter start-up, the same for all, is left out. Rounds take turns
(baseline, then every function, in a new random order each round) so load from other work on
the machine falls on all alike. Target: median(function) / median(baseline) <= 1.3, per
function. Results go to section "cold_start"; the command exits with 1 when one misses.

Bytecode caches are warm (one unmeasured import per script first): SAM builds ship compiled
dependencies, and what is measured is the work of importing, not of compiling.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench import harness, lambda_env
from local import template

SECTION = "cold_start"
TARGET_RATIO = 1.3
BASELINE = "BASELINE"
BASELINE_IMPORTS = (
    "import boto3\n"
    "from aws_lambda_powertools import Logger, Tracer\n"
    "from aws_lambda_powertools.event_handler import APIGatewayHttpResolver\n"
    "from pydantic import BaseModel\n"
)
# `import pydantic` alone imports almost nothing (pydantic 2 loads its parts on first attribute
# access), so a baseline of it would leave out the BaseModel machinery every function needs;
# the baseline takes BaseModel, the one pydantic piece all of them use.
# Prints wall and CPU seconds of the imports. The ratio uses CPU time: on a shared machine the
# wall time of a 0.3 s import also holds however long other processes had the core.
_TIMED = (
    "import sys, time\nsys.path[:0] = {path!r}\nwall, cpu = time.perf_counter(), time.process_time()\n"
    "{imports}print(time.perf_counter() - wall, time.process_time() - cpu)\n"
)


def _script(name: str) -> tuple[str, dict[str, str]]:
    """The child's code and environment for a function, or for the baseline (the globals'
    environment, the layer on sys.path: what any function gets)."""
    if name == BASELINE:
        any_function = next(iter(template.functions()))
        env = lambda_env.function_environment(any_function)
        return _TIMED.format(path=[harness.LAYER_PATH], imports=BASELINE_IMPORTS), env
    code = _TIMED.format(path=lambda_env.code_path(name), imports=f"import {lambda_env.module_name(name)}\n")
    return code, lambda_env.function_environment(name)


def import_seconds(name: str, extra_args: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    code, env = _script(name)
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [lambda_env.PYTHON, *extra_args, "-c", code],
        env={"PATH": "/usr/bin:/bin", **env},
        cwd="/tmp",  # noqa: S108 (not the project root: nothing importable by accident)
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )


def why(name: str, top: int = 25) -> list[tuple[int, str]]:
    """The heaviest imports (cumulative microseconds) of one script, from python -X importtime."""
    rows = []
    for line in import_seconds(name, ("-X", "importtime")).stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows.append((int(m.group(1)), m.group(2)[1:] + m.group(3)))
    return sorted(rows, reverse=True)[:top]


def measure(names: list[str], repeat: int, seed: int = 7) -> dict[str, dict[str, list[float]]]:
    """{"cpu_ms"|"wall_ms": {script: samples}}."""
    for name in names:  # bytecode and file caches warm, unmeasured
        import_seconds(name)
    samples: dict[str, dict[str, list[float]]] = {"cpu_ms": {n: [] for n in names}, "wall_ms": {n: [] for n in names}}
    rng = random.Random(seed)
    for n in range(repeat):
        order = [BASELINE, *rng.sample([x for x in names if x != BASELINE], len(names) - 1)]
        for name in order:
            wall, cpu = (float(x) * 1000 for x in import_seconds(name).stdout.split())
            samples["wall_ms"][name].append(wall)
            samples["cpu_ms"][name].append(cpu)
        print(f"  round {n + 1}/{repeat}", flush=True)
    return samples


def _stats(ms: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(ms), 1), "min_ms": round(min(ms), 1), "max_ms": round(max(ms), 1)}


def summarise(samples: dict[str, dict[str, list[float]]]) -> dict[str, Any]:
    cpu, wall = samples["cpu_ms"], samples["wall_ms"]
    base = statistics.median(cpu[BASELINE])
    functions = {}
    for name in cpu:
        if name == BASELINE:
            continue
        ratio = statistics.median(cpu[name]) / base
        functions[name] = {
            "cpu": _stats(cpu[name]),
            "wall": _stats(wall[name]),
            "ratio_to_baseline": round(ratio, 3),
            "wall_ratio_to_baseline": round(statistics.median(wall[name]) / statistics.median(wall[BASELINE]), 3),
            "meets_target": ratio <= TARGET_RATIO,
        }
    return {
        "baseline": {
            "imports": BASELINE_IMPORTS.strip().splitlines(),
            "cpu": _stats(cpu[BASELINE]),
            "wall": _stats(wall[BASELINE]),
        },
        "functions": functions,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=15, help="fresh interpreters per script (median)")
    parser.add_argument("--why", metavar="FUNCTION", help="print python -X importtime's heaviest imports and stop")
    parser.add_argument("--results", type=Path, default=harness.RESULTS, help="default bench/results.json")
    args = parser.parse_args(argv)
    if args.why:
        for us, module in why(args.why):
            print(f"{us / 1000:8.1f} ms  {module}")
        return 0

    names = [BASELINE, *template.functions()]
    print(f"cold start: {len(names)} scripts x {args.repeat} fresh interpreters ...", flush=True)
    with harness.Stopwatch() as whole:
        samples = measure(names, args.repeat)
    summary = summarise(samples)
    meets = all(f["meets_target"] for f in summary["functions"].values())
    data = {
        "command": "python -m bench.cold_start" + (f" --repeat {args.repeat}" if args.repeat != 15 else ""),
        "what": "import time of each function's handler module in a fresh interpreter (the template's "
        "environment with harmless values; the function's code and the shared layer on sys.path), median of the "
        "samples, against the baseline imports; rounds interleaved in random order. ratio_to_baseline is of CPU "
        "time (time.process_time around the import), which other processes on a shared machine do not inflate; "
        "wall time (perf_counter) is recorded beside it",
        "repetitions": args.repeat,
        **summary,
        "target": {"max_ratio_to_baseline": TARGET_RATIO},
        "meets_target": meets,
        "samples_ms": {kind: {k: [round(x, 1) for x in v] for k, v in by.items()} for kind, by in samples.items()},
        "run_seconds": round(whole.seconds, 1),
    }
    harness.record(SECTION, data, args.results)
    print(f"baseline median CPU {summary['baseline']['cpu']['median_ms']} ms")
    for name, f in summary["functions"].items():
        verdict = "ok" if f["meets_target"] else "MISSED"
        print(f"  {name:28} CPU {f['cpu']['median_ms']:7.1f} ms  ratio {f['ratio_to_baseline']:.2f}  {verdict}")
    print(json.dumps({"meets_target": meets}))
    return 0 if meets else 1


if __name__ == "__main__":
    sys.exit(main())
