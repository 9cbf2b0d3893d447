"""The domain's use cases: what each route, queue message and schedule does."""

from __future__ import annotations

from tremplin import models
from tremplin.data.dynamo import prepare_handles


def prepare(*services: str) -> None:
    """At init, for a handler that is neither an API (tremplin.api) nor a queue consumer
    (tremplin.consumers), which prepare themselves: the table's handle, the clients of `services`
    and every model, made at a whole vCPU rather than at the first invocation's CPU share."""
    prepare_handles(*services)
    models.build_all()
