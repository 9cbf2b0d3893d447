"""Pydantic models of the API contract (request bodies and answers)."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class Model(BaseModel):
    """Every model of the contract. Validators are built on first use, not when the class is
    defined: a function imports many models and one request uses a few, so building them all
    at import was init time (bench.lambda_cpu) spent on models the request never sees."""

    model_config = ConfigDict(defer_build=True)


class Strict(Model):
    """Request bodies: unknown fields are refused, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Page(Model, Generic[T]):
    items: list[T]
    next_cursor: str | None = None
