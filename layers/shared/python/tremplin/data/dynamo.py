"""The DynamoDB table: one handle per process, and the translation of throttling
into a clean 503. The only module family (tremplin.data) that touches boto3."""

from __future__ import annotations

import random
import re
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from tremplin.errors import ServiceUnavailable
from tremplin.settings import get_settings

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.service_resource import Table


def _boto_config() -> Config:
    return Config(
        retries={"mode": "standard", "max_attempts": 4},
        connect_timeout=2,
        read_timeout=get_settings().aws_read_timeout_s,
    )


# Worth a clean 503 (the client may retry): capacity or a concurrent transaction, after boto3's own retries.
CONFLICTS = frozenset({"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"})

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


# One Lambda container serves one request at a time, but the local stack and the tests run
# many in threads: boto3 resources are not thread-safe, so each thread gets its own handle.
_per_thread = threading.local()
_generation = [0]
_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def _session() -> boto3.session.Session:
    # One session, so service models are loaded once; handles are made from it under a lock.
    if "session" not in _clients:
        _clients["session"] = boto3.session.Session()
    return _clients["session"]  # type: ignore[no-any-return]


def table() -> Table:
    key = (get_settings().table_name, _generation[0])
    held = getattr(_per_thread, "table", None)
    if held is None or held[0] != key:
        with _clients_lock:
            resource = _session().resource("dynamodb", config=_boto_config())
        resource.meta.client.meta.events.register(
            "needs-retry.dynamodb", _note_unknown_outcome, unique_id="tremplin-unknown-outcome"
        )
        held = (key, resource.Table(key[0]))
        _per_thread.table = held
    return held[1]  # type: ignore[no-any-return]


def _note_unknown_outcome(caught_exception: Exception | None = None, response: Any = None, **_: Any) -> None:
    """botocore's needs-retry event, after every try of a call: a try that timed out, lost its
    connection or got a 5xx may have been applied all the same."""
    if caught_exception is not None or (response is not None and response[0].status_code >= 500):
        _per_thread.unknown_outcome = True


def aws_client(service: str) -> Any:
    """A shared client per service (clients are thread-safe; creating them is not)."""
    with _clients_lock:
        if service not in _clients:
            _clients[service] = _session().client(service, config=_boto_config())  # type: ignore[call-overload]
        return _clients[service]


def forget_handles() -> None:
    """Drop every handle: the next call builds new ones (tests switch AWS back ends)."""
    with _clients_lock:
        session = _clients.get("session")  # kept: it holds the loaded service models, no endpoints
        _clients.clear()
        if session is not None:
            _clients["session"] = session
        _generation[0] += 1


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


class TransactionRefused(Exception):
    """A condition of a transaction failed; `reasons` has one code per item, in order."""

    def __init__(self, reasons: list[str]):
        super().__init__(reasons)
        self.reasons = reasons

    def failed(self, index: int) -> bool:
        return index < len(self.reasons) and self.reasons[index] == "ConditionalCheckFailed"


# A transaction of one item costs twice what the same conditional write costs alone
# (DynamoDB bills every item of a transaction, and its index writes, twice) and guarantees no more.
SINGLE_WRITES = {"Put": "put_item", "Update": "update_item", "Delete": "delete_item"}


def transact(writes: list[dict[str, Any]], attempts: int = 6) -> None:
    """All of `writes` or none. A transaction that lost a race with another one on the same
    item (TransactionConflict) is tried again after a short jittered pause; a failed
    condition raises TransactionRefused at once; still conflicting at the end is a 503.
    A single write is sent alone, as a conditional write, with the same outcomes."""
    if len(writes) == 1 and next(iter(writes[0])) in SINGLE_WRITES:
        _write_one(writes[0], attempts)
        return
    for attempt in range(attempts):
        # The token makes boto3's own retry of this very call (after a timeout, say) idempotent:
        # DynamoDB answers it as the success it already was instead of applying it twice.
        token = uuid.uuid4().hex
        try:
            with translated_errors():
                client().transact_write_items(TransactItems=writes, ClientRequestToken=token)  # type: ignore[arg-type]
            return
        except ClientError as exc:
            if error_code(exc) != "TransactionCanceledException":
                raise
            reasons = cancellation_reasons(exc)
            if "ConditionalCheckFailed" in reasons:
                raise TransactionRefused(reasons) from exc
            if not any(r in CONFLICTS for r in reasons):
                raise
            _pause(attempt)
    raise ServiceUnavailable("Too many changes to the same items at once; nothing was changed. Please try again.")


def _write_one(write: dict[str, Any], attempts: int) -> None:
    """One conditional Put, Update or Delete. An item held by another transaction at that moment
    (TransactionConflict) is tried again like a transaction. A failed condition on a call boto3
    retried after a try of unknown outcome (a timeout, say), whose item already holds exactly
    what this write sets, was this very write applied by that try: a success, as a
    transaction's token would make it."""
    kind, request = next(iter(write.items()))
    send = getattr(client(), SINGLE_WRITES[kind])
    for attempt in range(attempts):
        _per_thread.unknown_outcome = False
        try:
            send(**request, ReturnValuesOnConditionCheckFailure="ALL_OLD")
            return
        except ClientError as exc:
            code = error_code(exc)
            if code == "ConditionalCheckFailedException":
                # Only a call of which an earlier try's outcome is unknown can have been applied
                # by it; otherwise a refusal is a refusal (a double click sets the very same values).
                unknown = getattr(_per_thread, "unknown_outcome", False)
                if unknown and _holds_already(kind, request, exc.response.get("Item")):  # type: ignore[arg-type]
                    return
                raise TransactionRefused(["ConditionalCheckFailed"]) from exc
            if code != "TransactionConflictException":
                with translated_errors():
                    raise
        _pause(attempt)
    raise ServiceUnavailable("Too many changes to the same items at once; nothing was changed. Please try again.")


def _holds_already(kind: str, request: dict[str, Any], stored: dict[str, Any] | None) -> bool:
    """Whether `stored` (the item as the failed condition found it) is what `request` writes.
    Only for a Put of the same item, or an Update of SETs and REMOVEs from update_request()."""
    if not stored:
        return False
    from boto3.dynamodb.types import TypeDeserializer  # only on a failed condition: off the cold start

    item = {k: TypeDeserializer().deserialize(v) for k, v in stored.items()}
    if kind == "Put":
        return bool(item == request["Item"])
    if kind != "Update" or any(re.fullmatch(r"#a\d+", n) for n in request.get("ExpressionAttributeNames", {})):
        return False
    names, values = request.get("ExpressionAttributeNames", {}), request.get("ExpressionAttributeValues", {})
    sets = {names[f"#s{p[2:]}"]: v for p, v in values.items() if re.fullmatch(r":s\d+", p) and f"#s{p[2:]}" in names}
    removed = [a for n, a in names.items() if re.fullmatch(r"#r\d+", n)]
    return bool(sets) and all(item.get(a) == v for a, v in sets.items()) and all(a not in item for a in removed)


def _pause(attempt: int) -> None:
    time.sleep(random.uniform(0, 0.02 * 2**attempt))  # noqa: S311 - jitter, not security  # nosec B311


def update_request(
    key: dict[str, str],
    *,
    set_: dict[str, Any] | None = None,
    remove: Iterable[str] = (),
    add: dict[str, Any] | None = None,
    condition: str | None = None,
    names: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A transaction's Update item. Attribute names are always placeholders (#s0, #r0, #a0),
    so reserved words never bite; `condition` may use its own `names` and `values`."""
    all_names = dict(names or {})
    all_values = dict(values or {})
    clauses = []
    if set_:
        all_names |= {f"#s{i}": k for i, k in enumerate(set_)}
        all_values |= {f":s{i}": v for i, v in enumerate(set_.values())}
        clauses.append("SET " + ", ".join(f"#s{i} = :s{i}" for i in range(len(set_))))
    removed = list(remove)
    if removed:
        all_names |= {f"#r{i}": k for i, k in enumerate(removed)}
        clauses.append("REMOVE " + ", ".join(f"#r{i}" for i in range(len(removed))))
    if add:
        all_names |= {f"#a{i}": k for i, k in enumerate(add)}
        all_values |= {f":a{i}": v for i, v in enumerate(add.values())}
        clauses.append("ADD " + ", ".join(f"#a{i} :a{i}" for i in range(len(add))))
    request: dict[str, Any] = {"TableName": table().name, "Key": key, "UpdateExpression": " ".join(clauses)}
    if all_names:
        request["ExpressionAttributeNames"] = all_names
    if all_values:
        request["ExpressionAttributeValues"] = all_values
    if condition:
        request["ConditionExpression"] = condition
    return {"Update": request}


def condition_check(
    key: dict[str, str], condition: str, names: dict[str, str], values: dict[str, Any]
) -> dict[str, Any]:
    check: dict[str, Any] = {"TableName": table().name, "Key": key, "ConditionExpression": condition}
    if names:
        check["ExpressionAttributeNames"] = names
    if values:
        check["ExpressionAttributeValues"] = values
    return {"ConditionCheck": check}


def put_new(item: dict[str, Any]) -> bool:
    """Puts an item whose key must not exist yet; False if it does (a repeat, not an error)."""
    try:
        with translated_errors():
            table().put_item(Item=item, ConditionExpression="attribute_not_exists(PK)")
    except ClientError as exc:
        if error_code(exc) == "ConditionalCheckFailedException":
            return False
        raise
    return True


def put_request(item: dict[str, Any], condition: str | None = None) -> dict[str, Any]:
    put: dict[str, Any] = {"TableName": table().name, "Item": item}
    if condition:
        put["ConditionExpression"] = condition
    return {"Put": put}


def batch_get(keys: list[dict[str, str]]) -> list[dict[str, Any] | None]:
    """Consistent reads of up to 100 keys in one BatchGetItem (more calls only for unprocessed keys);
    the items in the order of `keys`, None where there is none."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    request: dict[str, Any] = {table().name: {"Keys": keys, "ConsistentRead": True}}
    while request:
        with translated_errors():
            answer = client().batch_get_item(RequestItems=request)
        for item in answer["Responses"].get(table().name, []):
            found[(str(item["PK"]), str(item["SK"]))] = dict(item)
        request = dict(answer.get("UnprocessedKeys") or {})
    return [found.get((k["PK"], k["SK"])) for k in keys]
