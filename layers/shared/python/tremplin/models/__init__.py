"""Pydantic models of the API contract (request bodies and answers)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")
V = TypeVar("V", bound=Callable[[str], str])
_WARM_UPS: dict[Callable[[str], str], str] = {}  # validator -> a value it accepts


class Model(BaseModel):
    """Every model of the contract. Validators are not built when the class is defined but all
    at once by `build_all` at the end of init: built on first use instead, a cold start's first
    request built its models at the function's CPU share (about 20 ms of CPU at one vCPU for the
    participants function's 55 models, 5 - 15 times that at 128 - 256 MB; bench.lambda_cpu)."""

    model_config = ConfigDict(defer_build=True)


class Strict(Model):
    """Request bodies: unknown fields are refused, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Page(Model, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def build_all() -> int:
    """Builds every model defined so far that is not built yet; called at the end of init (Lambda
    runs init at a whole vCPU). Answers how many it built."""
    todo, built = [Model], 0
    while todo:
        model = todo.pop()
        todo += model.__subclasses__()
        if not model.__pydantic_complete__:
            built += bool(model.model_rebuild())
    return built


def warmed_at_init(sample: str) -> Callable[[V], V]:
    """Marks a field validator whose first call imports a library and compiles its patterns
    (email_validator: about 38 ms of CPU at one vCPU, several CFS periods at 256 MB; phonenumbers):
    `warm_validators` runs it once on `sample` at init in the functions whose routes use it,
    while the others never import the library at all."""

    def register(validator: V) -> V:
        _WARM_UPS[validator] = sample
        return validator

    return register


def warm_validators(core_schemas: Iterable[Any]) -> list[str]:
    """Runs each validator marked `warmed_at_init` that the given pydantic core schemas (a
    route's body, say) use, once; answers their names."""
    used: set[Callable[[str], str]] = set()
    todo: list[Any] = list(core_schemas)
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            function = node.get("function")
            if callable(function) and function in _WARM_UPS:
                used.add(function)
            todo += node.values()
        elif isinstance(node, list | tuple):
            todo += node
    for validator in used:
        validator(_WARM_UPS[validator])
    return sorted(v.__name__ for v in used)
