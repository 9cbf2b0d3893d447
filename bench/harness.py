"""What every benchmark shares: `main()` (options, the run, its record in bench/results.json and
the verdict), timings, and turns between a baseline and what is compared with it in one run.

Importing it puts the shared layer on sys.path, as Lambda's /opt/python: import it before
`tremplin`. `python -m bench.harness` prints every recorded target, met or missed.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
LAYER_PATH = str(ROOT / "layers" / "shared" / "python")
if LAYER_PATH not in sys.path:
    sys.path.insert(0, LAYER_PATH)
RESULTS = ROOT / "bench" / "results.json"
LAMBDA_VENV = ROOT / ".venv-lambda"  # Lambda's Python (3.13), the layers' packages: made by `make bench`
T = TypeVar("T")


@dataclass(frozen=True)
class Timing:
    samples_ms: list[float]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms)

    def percentile_ms(self, share: float) -> float:
        """Nearest rank: the smallest sample that at least `share` of the samples do not exceed."""
        ordered = sorted(self.samples_ms)
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)]

    def summary(self) -> dict[str, Any]:
        return {
            "samples": len(self.samples_ms),
            "median_ms": round(self.median_ms, 2),
            "p95_ms": round(self.percentile_ms(0.95), 2),
            "min_ms": round(min(self.samples_ms), 2),
            "max_ms": round(max(self.samples_ms), 2),
        }


def ratio(measured: Timing, baseline: Timing) -> float:
    """Median over the baseline's median, both measured in the same run."""
    return round(measured.median_ms / baseline.median_ms, 3)


def turns(subjects: Sequence[T], rounds: int) -> Iterator[tuple[int, T]]:
    """(round, subject): every subject once a round, in the other order the next round, so a
    machine that gets busier or quieter meanwhile weighs on the baseline and the rest alike."""
    for n in range(rounds):
        for subject in subjects if n % 2 == 0 else list(reversed(subjects)):
            yield n, subject


class Stopwatch:
    """`with Stopwatch() as sw: ...` then `sw.seconds`."""

    seconds = 0.0

    def __enter__(self) -> Stopwatch:
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._start


def use_table(refs: dict[str, Any]) -> str:
    """Points the functions at the table, queues and bucket of `refs`, as the tests do."""
    from local import resources
    from tremplin.data import reset

    os.environ.update(resources.function_environment(refs))
    reset()
    return str(refs["Table"])


def lambda_python() -> str:
    """The interpreter the functions are measured in: `.venv-lambda`'s once `make bench` has made
    it (its stamp is written once pip is done), else this one."""
    return str(LAMBDA_VENV / "bin" / "python") if (LAMBDA_VENV / ".installed").exists() else sys.executable


def provenance() -> dict[str, Any]:
    """The code measured (the commit and the paths the working tree changes on top of it) and
    the machine, with its load: other work on it shows in the timings."""

    def git(*args: str) -> str:
        command = ["git", "--no-optional-locks", *args]
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False).stdout  # noqa: S603

    return {
        "git_head": git("rev-parse", "HEAD").strip() or None,
        "working_tree_changes": sorted(line[3:] for line in git("status", "--porcelain").splitlines()),
        "machine": {"python": platform.python_version(), "cpu_count": os.cpu_count(), "platform": platform.platform()}
        | {"lambda_python": subprocess.run([lambda_python(), "-V"], capture_output=True, text=True).stdout.split()[-1]}  # noqa: S603
        | {"load_average": [round(x, 2) for x in os.getloadavg()]},
    }


def record(section: str, data: dict[str, Any], path: Path = RESULTS) -> None:
    """Writes `data` as section `section` of the results file, keeping the other sections."""
    results: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    results[section] = data | {"recorded_at": datetime.now(UTC).isoformat(timespec="seconds")}
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(results, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n")
    tmp.replace(path)


def main(
    section: str,
    doc: str | None,
    measure: Callable[[argparse.Namespace], dict[str, Any]],
    options: Callable[[argparse.ArgumentParser], None] | None = None,
    argv: list[str] | None = None,
) -> int:
    """Every benchmark's command line: parses its options (and --results), runs `measure`, which
    returns its figures with `headline` (what a user would quote) and `meets_target`, records
    them with the machine and the code measured, prints the headline; exits 1 on a missed target."""
    parser = argparse.ArgumentParser(description=(doc or "").strip().splitlines()[0])
    if options:
        options(parser)
    parser.add_argument("--results", type=Path, default=RESULTS, help="default bench/results.json")
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every request
    module = getattr(sys.modules["__main__"].__spec__, "name", section)
    code = provenance()  # at the start: the run may take minutes
    with Stopwatch() as whole:
        data = measure(args)
    argv_shown = sys.argv[1:] if argv is None else argv
    data |= {"command": " ".join(["python -m", module, *argv_shown]), "run_seconds": round(whole.seconds, 1)}
    record(section, data | code, args.results)
    for key, value in data["headline"].items():
        print(f"  {key}: {json.dumps(value, default=str)}")
    print(f"{section}: target {'met' if data['meets_target'] else 'MISSED'}; recorded in {args.results}")
    return 0 if data["meets_target"] else 1


def summary(path: Path = RESULTS) -> int:
    """Every section's target at a glance; exits 1 if one is missed."""
    results: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    for name, section in sorted(results.items()):
        verdict = "met" if section.get("meets_target") else "MISSED"
        print(f"{name:32} {verdict:7} {section.get('target')}  ({section.get('recorded_at')})")
    return 0 if results and all(s.get("meets_target") for s in results.values()) else 1


if __name__ == "__main__":
    sys.exit(summary())
