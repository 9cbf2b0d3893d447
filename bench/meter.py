"""Counts what AWS bills while a benchmark drives the platform in process: Lambda invocations
and their duration per function, DynamoDB read and write request units (the ConsumedCapacity
DynamoDB itself reports), and calls to other AWS services, split into those the functions make
and those made around them (the local queue poller, set-up).

DynamoDB Local computes ConsumedCapacity as DynamoDB does (4 KB per read unit, halved for
eventually consistent reads; 1 KB per write unit; doubled for transactions; index writes
included), so every DynamoDB call is sent with ReturnConsumedCapacity=INDEXES (the total and
its split over table and indexes) while a meter runs. Needs `harness.install_call_counter()`.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bench import harness
from local.functions import FunctionHost

READS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"})
WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"})

_meters: list[Meter] = []
_in_function: list[str] = []  # the function whose handler is running (one at a time: the benchmarks are serial)
_in_route: list[str] = []  # its route ("POST /jobs") or, for events, the function


class Meter:
    def __init__(self) -> None:
        self.invocations: Counter[str] = Counter()
        self.duration_ms: dict[str, float] = defaultdict(float)  # per function, summed
        self.billed_ms: dict[str, float] = defaultdict(float)  # per invocation rounded up to 1 ms, summed
        self.rru = 0.0
        self.wru = 0.0
        self.dynamodb_calls: Counter[str] = Counter()
        self.units_by: dict[str, float] = defaultdict(float)  # "Function Operation" -> request units
        self.units_on: dict[str, float] = defaultdict(float)  # "table" or "GSI1".. -> request units
        # "POST /jobs" -> {"table write": units, "GSI2 write": ...}: where each route's units go
        self.units_by_route: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.function_calls: Counter[str] = Counter()  # "sqs.SendMessageBatch" made by a handler
        self.outside_calls: Counter[str] = Counter()  # made by the poller or the benchmark itself
        self.api_requests = 0

    def __enter__(self) -> Meter:
        _meters.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _meters.remove(self)


def _add_capacity(model: Any = None, parsed: Any = None, **_: Any) -> None:
    if not _meters or not isinstance(parsed, dict):
        return
    operation = model.name if model is not None else ""
    consumed = parsed.get("ConsumedCapacity") or []
    consumed = [consumed] if isinstance(consumed, dict) else consumed
    units = sum(float(c.get("CapacityUnits", 0)) for c in consumed)
    on: dict[str, float] = defaultdict(float)
    for c in consumed:
        on["table"] += float(c.get("Table", {}).get("CapacityUnits", 0))
        for index, used in (c.get("GlobalSecondaryIndexes") or {}).items():
            on[index] += float(used.get("CapacityUnits", 0))
    where = f"{_in_function[-1] if _in_function else 'outside'} {operation}"
    for m in _meters:
        m.dynamodb_calls[operation] += 1
        m.units_by[where] += units
        for name, n in on.items():
            label = f"{name} {'read' if operation in READS else 'write'}"
            m.units_on[label] += n
            m.units_by_route[_in_route[-1] if _in_route else "outside"][label] += n
        if operation in READS:
            m.rru += units
        elif operation in WRITES:
            m.wru += units


def _ask_capacity(params: dict[str, Any], model: Any = None, **_: Any) -> None:
    if _meters and model is not None and model.name in READS | WRITES:
        params["ReturnConsumedCapacity"] = "INDEXES"  # the total and its split over table and indexes


def _other_call(event_name: str = "", **_: Any) -> None:
    operation = event_name.split(".", 1)[-1]
    if operation.startswith("dynamodb."):
        return
    for m in _meters:
        (m.function_calls if _in_function else m.outside_calls)[operation] += 1


def install() -> None:
    """Hooks the meter into every botocore client (after `harness.install_call_counter()`)."""
    harness.add_client_hook("before-parameter-build.dynamodb", _ask_capacity, "tremplin-bench-meter-ask")
    harness.add_client_hook("after-call.dynamodb", _add_capacity, "tremplin-bench-meter-capacity")
    harness.add_client_hook("before-call", _other_call, "tremplin-bench-meter-other")


@contextmanager
def running(function: str, route: str | None = None) -> Iterator[None]:
    _in_function.append(function)
    _in_route.append(route or function)
    start = time.perf_counter()
    try:
        yield
    finally:
        ms = (time.perf_counter() - start) * 1000
        _in_function.pop()
        _in_route.pop()
        for m in _meters:
            m.invocations[function] += 1
            m.duration_ms[function] += ms
            m.billed_ms[function] += -(-ms // 1)


class MeteredHost(FunctionHost):
    """Invokes functions as FunctionHost does, metering each invocation."""

    def invoke(self, logical_id: str, event: dict[str, Any]) -> Any:
        with running(logical_id, event.get("routeKey") if isinstance(event, dict) else None):
            return super().invoke(logical_id, event)
