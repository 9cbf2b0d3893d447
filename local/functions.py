"""Loads the template's functions in process and invokes them as Lambda would."""

from __future__ import annotations

import importlib.util
import sys
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from local import template
from local.resources import ACCOUNT, REGION

LAYER_PATH = str(template.ROOT / "layers" / "shared" / "python")


@dataclass
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int = 256
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


class FunctionHost:
    def __init__(self) -> None:
        if LAYER_PATH not in sys.path:
            sys.path.insert(0, LAYER_PATH)  # what the shared layer's /opt/python is in AWS
        self._defs = template.functions()
        self._handlers: dict[str, Callable[..., Any]] = {}
        self._lock = threading.Lock()

    def names(self) -> list[str]:
        return list(self._defs)

    def handler(self, logical_id: str) -> Callable[..., Any]:
        with self._lock:
            if logical_id not in self._handlers:
                fn = self._defs[logical_id]
                module_name = f"tremplin_fn_{logical_id}"
                spec = importlib.util.spec_from_file_location(module_name, fn.module_path)
                assert spec is not None and spec.loader is not None
                module = importlib.util.module_from_spec(spec)
                sys.modules[module_name] = module
                spec.loader.exec_module(module)
                self._handlers[logical_id] = getattr(module, fn.handler_name)
            return self._handlers[logical_id]

    def invoke(self, logical_id: str, event: dict[str, Any]) -> Any:
        return self.handler(logical_id)(event, LambdaContext(function_name=logical_id))
