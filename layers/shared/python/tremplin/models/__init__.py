"""Pydantic models of the API contract (request bodies and answers)."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


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
