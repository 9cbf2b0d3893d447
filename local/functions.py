"""Loads the template's functions in process and invokes them as Lambda would."""

from __future__ import annotations

import importlib.util
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from local import iam, template
from local.resources import ACCOUNT, REGION

LAYER_PATH = str(template.ROOT / "layers" / "shared" / "python")


@dataclass
class LambdaContext:
    """The function's template Timeout and MemorySize, its deadline counted from the invocation."""

    function_name: str
    memory_limit_in_mb: int = 128
    timeout_s: int = 10
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.started + self.timeout_s - time.monotonic()) * 1000))


_per_thread = threading.local()


class _PerThreadAttribute:
    """Reads and writes one class attribute of Powertools' BaseRouter per thread."""

    def __init__(self, name: str):
        self.name = name

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        return getattr(_per_thread, self.name, None)

    def __set__(self, obj: object, value: Any) -> None:
        setattr(_per_thread, self.name, value)


def isolate_requests_per_thread() -> None:
    """Powertools keeps the request being resolved on a class attribute
    (`BaseRouter.current_event`, `BaseRouter.lambda_context`): per process, which in Lambda is
    per request. The local stack serves many requests in threads of one process, so it makes
    those attributes per thread. Local only: nothing of this runs in AWS."""
    from aws_lambda_powertools.event_handler.api_gateway import BaseRouter

    meta = type(BaseRouter)
    if getattr(meta, "_tremplin_per_thread", False):
        return
    names = ("current_event", "lambda_context")

    class PerThreadMeta(meta):  # type: ignore[misc, valid-type]
        _tremplin_per_thread = True

        def __setattr__(cls, name: str, value: Any) -> None:
            if cls is BaseRouter and name in names:
                setattr(_per_thread, name, value)
            else:
                super().__setattr__(name, value)

    for name in names:
        type.__setattr__(BaseRouter, name, _PerThreadAttribute(name))
    BaseRouter.__class__ = PerThreadMeta  # type: ignore[method-assign]


class FunctionHost:
    """Invokes functions as Lambda does: one request at a time per instance ("container"),
    a new instance (a cold start: the module imported afresh) when all are busy.

    Powertools' resolver keeps the current request on the app object, so one instance must
    never serve two requests at once; concurrency comes from more instances, as in AWS.
    """

    def __init__(self) -> None:
        if LAYER_PATH not in sys.path:
            sys.path.insert(0, LAYER_PATH)  # what the shared layer's /opt/python is in AWS
        isolate_requests_per_thread()
        iam.enforce()  # a call the function's role would not allow fails as in AWS
        self._defs = template.functions()
        self._idle: dict[str, list[Callable[..., Any]]] = {name: [] for name in self._defs}
        self._started: dict[str, int] = dict.fromkeys(self._defs, 0)
        self._lock = threading.Lock()

    def names(self) -> list[str]:
        return list(self._defs)

    def instances(self, logical_id: str) -> int:
        """How many instances of the function have been started (cold starts)."""
        return self._started[logical_id]

    def _start(self, logical_id: str) -> Callable[..., Any]:
        fn = self._defs[logical_id]
        with self._lock:
            self._started[logical_id] += 1
            module_name = f"tremplin_fn_{logical_id}_{self._started[logical_id]}"
        spec = importlib.util.spec_from_file_location(module_name, fn.module_path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        with iam.acting_as(logical_id):
            spec.loader.exec_module(module)
        return getattr(module, fn.handler_name)  # type: ignore[no-any-return]

    def handler(self, logical_id: str) -> Callable[..., Any]:
        """An idle instance's handler, for inspection (its module-level attributes)."""
        with self._lock:
            if self._idle[logical_id]:
                return self._idle[logical_id][-1]
        started = self._start(logical_id)
        with self._lock:
            self._idle[logical_id].append(started)
        return started

    def invoke(self, logical_id: str, event: dict[str, Any]) -> Any:
        with self._lock:
            instance = self._idle[logical_id].pop() if self._idle[logical_id] else None
        if instance is None:
            instance = self._start(logical_id)
        try:
            fn = self._defs[logical_id]
            with iam.acting_as(logical_id):
                return instance(event, LambdaContext(logical_id, fn.memory_mb, fn.timeout_s))
        finally:
            with self._lock:
                self._idle[logical_id].append(instance)
