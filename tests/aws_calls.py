"""Records the AWS calls the code makes, from any botocore client: `with AwsCalls() as calls: ...`.

The recorder wraps botocore's entry point for every call of every client (local/api_calls.py,
once per process), on moto as on DynamoDB Local. A call is recorded as the code
makes it (one per `table.query(...)`, whatever botocore retries), failed calls included.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

from botocore.client import BaseClient

from local import api_calls

_active: list[AwsCalls] = []


@dataclass
class Call:
    service: str  # "dynamodb", "sqs", "s3", ...
    operation: str  # "Query"
    params: dict[str, Any]  # as the code passed them (boto3 serialises them later)
    response: dict[str, Any] = field(default_factory=dict)  # empty if the call failed
    seconds: float = 0.0  # from sending to the parsed answer


class AwsCalls:
    def __init__(self) -> None:
        self.log: list[Call] = []

    def before(self, service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """The parameters to send (a subclass may add some, e.g. ReturnConsumedCapacity)."""
        return params

    def record(self, call: Call) -> None:
        self.log.append(call)

    def dynamodb(self) -> dict[str, int]:
        """DynamoDB calls by operation, e.g. {"BatchGetItem": 1, "TransactWriteItems": 1}."""
        return dict(sorted(Counter(c.operation for c in self.log if c.service == "dynamodb").items()))

    def others(self) -> dict[str, int]:
        """Calls to other services, e.g. {"s3.PutObject": 2}."""
        counted = Counter(f"{c.service}.{c.operation}" for c in self.log if c.service != "dynamodb")
        return dict(sorted(counted.items()))

    def __enter__(self) -> Self:
        _install()
        _active.append(self)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        _active.remove(self)


def active() -> list[AwsCalls]:
    """The recorders recording now, innermost last."""
    return list(_active)


def _install() -> None:
    api_calls.wrap("recording", _recorded)


def _recorded(original: api_calls.ApiCall) -> api_calls.ApiCall:
    def _make_api_call(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if not _active:
            return original(client, operation, params)
        service = client.meta.service_model.service_name
        for recorder in _active:
            params = recorder.before(service, operation, params)
        call = Call(service, operation, params)
        start = time.perf_counter()
        try:
            call.response = original(client, operation, params)
            return call.response
        finally:
            call.seconds = time.perf_counter() - start
            for recorder in list(_active):
                recorder.record(call)

    return _make_api_call
