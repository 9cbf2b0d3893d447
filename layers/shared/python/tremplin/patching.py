"""PATCH semantics shared by every resource: the fields sent are the change; null clears an
optional field and is refused for a required one."""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from pydantic import BaseModel

from tremplin.errors import ValidationFailed


def changes_of(body: BaseModel, required: Container[str]) -> dict[str, Any]:
    changes = body.model_dump(mode="json", exclude_unset=True)
    cleared = sorted(k for k, v in changes.items() if v is None and k in required)
    if cleared:
        raise ValidationFailed(
            f"These fields cannot be emptied: {', '.join(cleared)}.",
            details=[{"field": f, "message": "cannot be null"} for f in cleared],
        )
    return changes
