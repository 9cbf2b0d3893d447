"""The DynamoDB table: one handle per process, and the translation of throttling
into a clean 503. The only module family (tremplin.data) that touches boto3."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from tremplin.errors import ServiceUnavailable
from tremplin.settings import get_settings

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.service_resource import Table

_BOTO_CONFIG = Config(retries={"mode": "standard", "max_attempts": 4}, connect_timeout=2, read_timeout=5)

# Worth a clean 503 (the client may retry): capacity or a concurrent transaction, after boto3's own retries.
RETRYABLE = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "TransactionConflictException",
        "TransactionInProgressException",
        "InternalServerError",
    }
)


@cache
def table() -> Table:
    return boto3.resource("dynamodb", config=_BOTO_CONFIG).Table(get_settings().table_name)


def client() -> DynamoDBClient:
    """The resource's own client: it takes and gives plain Python values, also for transactions."""
    return table().meta.client


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


@contextmanager
def translated_errors() -> Iterator[None]:
    try:
        yield
    except ClientError as exc:
        if error_code(exc) in RETRYABLE:
            raise ServiceUnavailable("The platform is busy; nothing was changed. Please try again.") from exc
        raise


def cancellation_reasons(exc: ClientError) -> list[str]:
    """Per-item codes of a cancelled transaction ('None' for items that passed)."""
    return [str(r.get("Code", "None")) for r in exc.response.get("CancellationReasons", [])]  # type: ignore[attr-defined]


def strip_keys(item: dict[str, Any]) -> dict[str, Any]:
    """An item without its storage keys (PK, SK, GSI keys, type, ttl)."""
    return {k: v for k, v in item.items() if not (k.startswith("GSI") or k in {"PK", "SK", "type", "ttl"})}
