"""Cold start: the CPU time of importing each function's handler in a fresh interpreter (its
template environment with harmless values, its code and the shared layer on sys.path, as in
Lambda), against a baseline importing boto3, Powertools and pydantic's BaseModel, in turns.
Target: median / baseline median <= 1.3 for every function (wall time is recorded too).

    python -m bench.cold_start [--repeat 15]
    python -m bench.cold_start --why JobsFunction     # python -X importtime, heaviest first
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
from typing import Any

from bench import harness
from local import template
from local.resources import ACCOUNT, REGION

TARGET = 1.3
BASELINE = "BASELINE"
BASELINE_IMPORTS = (
    "import boto3\nfrom aws_lambda_powertools import Logger, Tracer\n"
    "from aws_lambda_powertools.event_handler import APIGatewayHttpResolver\nfrom pydantic import BaseModel\n"
)
TIMED = (
    "import sys, time\nsys.path[:0] = {path!r}\nwall, cpu = time.perf_counter(), time.process_time()\n"
    "{imports}print(time.perf_counter() - wall, time.process_time() - cpu)\n"
)


def environment(name: str) -> dict[str, str]:
    """What template.yaml gives the function, !Ref and !GetAtt resolved to AWS-shaped values."""
    params, resources = template.parameter_defaults(), template.load()["Resources"]

    def resolve(value: Any) -> str:
        if isinstance(value, dict) and "Fn::GetAtt" in value:
            return f"arn:aws:bench:{REGION}:{ACCOUNT}:{'.'.join(value['Fn::GetAtt'])}"
        if not (isinstance(value, dict) and "Ref" in value):
            return str(value)
        ref, kind = str(value["Ref"]), resources.get(value["Ref"], {}).get("Type", "")
        if ref in params:
            return params[ref]
        return {  # a secret's empty name: the settings use their local key instead of asking for it
            "AWS::SQS::Queue": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/bench-{ref}",
            "AWS::SecretsManager::Secret": "",
            "AWS::Cognito::UserPool": f"{REGION}_bench",
        }.get(kind, f"bench-{ref}".lower())

    env = {k: resolve(v) for k, v in template.functions()[name].environment.items()}
    return (
        env
        | {"AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION, "PATH": "/usr/bin:/bin"}
        | {key: "bench" for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")}
    )


def run(name: str, *flags: str) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter importing the function's handler module (or the baseline's imports)."""
    functions = template.functions()
    if name == BASELINE:
        code, env = (
            TIMED.format(path=[harness.LAYER_PATH], imports=BASELINE_IMPORTS),
            environment(next(iter(functions))),
        )
    else:
        fn = functions[name]
        path = [str(fn.module_path.parent), harness.LAYER_PATH]
        code, env = TIMED.format(path=path, imports=f"import {fn.handler.rsplit('.', 1)[0]}\n"), environment(name)
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, *flags, "-c", code],
        env=env,
        cwd="/tmp",  # noqa: S108 (not the project root: nothing importable by accident)
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )


def why(name: str, top: int = 25) -> None:
    rows = []
    for line in run(name, "-X", "importtime").stderr.splitlines():
        if m := re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)", line):
            rows.append((int(m.group(1)), m.group(2)[1:] + m.group(3)))
    for us, module in sorted(rows, reverse=True)[:top]:
        print(f"{us / 1000:8.1f} ms  {module}")


def measure(args: argparse.Namespace) -> dict[str, Any]:
    names = [BASELINE, *template.functions()]
    for name in names:  # bytecode and file caches warm, unmeasured
        run(name)
    cpu: dict[str, list[float]] = {n: [] for n in names}
    wall: dict[str, list[float]] = {n: [] for n in names}
    rng = random.Random(7)
    for n in range(args.repeat):
        for name in [BASELINE, *rng.sample(names[1:], len(names) - 1)]:
            took_wall, took_cpu = (float(x) * 1000 for x in run(name).stdout.split())
            wall[name].append(took_wall)
            cpu[name].append(took_cpu)
        print(f"  round {n + 1}/{args.repeat}", flush=True)
    timings = {kind: {n: harness.Timing(s[n]) for n in names} for kind, s in (("cpu", cpu), ("wall", wall))}
    ratios = {n: harness.ratio(timings["cpu"][n], timings["cpu"][BASELINE]) for n in names[1:]}
    return {
        "target": f"import CPU time / baseline <= {TARGET} for every function",
        "headline": {"baseline_cpu_median_ms": round(timings["cpu"][BASELINE].median_ms, 1), "ratios": ratios},
        "meets_target": all(r <= TARGET for r in ratios.values()),
        "baseline_imports": BASELINE_IMPORTS.splitlines(),
        "wall_ratios": {n: harness.ratio(timings["wall"][n], timings["wall"][BASELINE]) for n in names[1:]},
        "timings": {kind: {n: t.summary() for n, t in by.items()} for kind, by in timings.items()},
    }


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repeat", type=int, default=15, help="fresh interpreters per script (median)")
    parser.add_argument("--why", metavar="FUNCTION", help="print python -X importtime's heaviest imports and stop")


if __name__ == "__main__":
    if "--why" in sys.argv:
        why(sys.argv[sys.argv.index("--why") + 1])
        sys.exit(0)
    sys.exit(harness.main("cold_start", __doc__, measure, options))
