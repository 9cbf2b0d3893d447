"""The DynamoDB table: one handle per process, the translation of throttling into a clean
503, and writes whose outcome is told as it is, also when an answer was lost. The only module
family (tremplin.data) that touches boto3."""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectTimeoutError, EndpointConnectionError, HTTPClientError
from botocore.exceptions import ConnectionError as AwsConnectionError

from tremplin.errors import ServiceUnavailable
from tremplin.settings import get_settings

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.service_resource import Table


# Every AWS call is over, answered or given up, within AWS_TRIES x (connect + read timeout) and
# the back-off between its tries: below the shortest function timeout of template.yaml, so a
# request that cannot be answered ends in a clean 503, not in Lambda's timeout
# (tests/unit/test_aws_timeouts.py holds them to it).
AWS_TRIES = 3
CONNECT_TIMEOUT_S = 0.5


def _boto_config() -> Config:
    return Config(
        retries={"mode": "standard", "total_max_attempts": AWS_TRIES},
        connect_timeout=CONNECT_TIMEOUT_S,
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


# ---------------------------------------------------------------- one call's writes
# A call (a request, a queued record, a stream record) knows whether any try of its writes may
# have been applied unbeknown to it (a timeout, a lost connection, a 5xx). From then on its 503s
# never say that nothing was changed, a transaction keeps its token, and a single write whose
# condition fails on an item stamped with its own write id was applied by an earlier try.


class _Call(threading.local):
    """What this thread's call knows of its writes."""

    def __init__(self) -> None:
        self.begin()

    def begin(self) -> None:
        self.id = uuid.uuid4().hex
        self.writes = 0  # writes so far: each write's id is the call's id and its number
        self.unknown = 0  # tries of a write whose outcome is unknown (it may have been applied)


_call = _Call()

WRITE_ID = "write_id"
"""The attribute that names the write that last wrote an item (transact() stamps it)."""


def begin_call() -> None:
    """Starts a new call: a new call id for its write ids, and no try of unknown outcome yet.
    Called where a request, a queued record or a stream record begins; a thread that never
    calls it is one long call (each write still has an id of its own)."""
    _call.begin()


def _unconfirmed() -> bool:
    """Whether a write of this call may have been applied without this call knowing it."""
    return _call.unknown > 0


def _next_write_id() -> str:
    _call.writes += 1
    return f"{_call.id}.{_call.writes}"


BUSY = "The platform is busy; nothing was changed. Please try again."
CONFLICTED = "Too many changes to the same items at once; nothing was changed. Please try again."
UNCONFIRMED = "The platform is busy and could not confirm whether the change was saved; reload to see its state."


def _busy(message: str) -> ServiceUnavailable:
    """A 503 that says "nothing was changed" only while that is known to be true."""
    if _unconfirmed():  # machine-readable too: a client must not repeat it blindly, but reload
        return ServiceUnavailable(UNCONFIRMED, details=[{"outcome": "unknown"}])
    return ServiceUnavailable(message)


WRITE_OPERATIONS = frozenset({"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"})


def _note_unknown_outcome(
    caught_exception: Exception | None = None, response: Any = None, operation: Any = None, **_: Any
) -> None:
    """botocore's needs-retry event, after every try of a call: a write that timed out, lost its
    connection or got a 5xx may have been applied all the same. One that never got a connection
    was not sent at all; a read changes nothing."""
    if operation is not None and operation.name not in WRITE_OPERATIONS:
        return
    if isinstance(caught_exception, ConnectTimeoutError | EndpointConnectionError):
        return
    if caught_exception is not None or (response is not None and response[0].status_code >= 500):
        _call.unknown += 1


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


# No answer at all: every try of a call timed out or lost its connection. The writes below
# answer it with a 503 (which knows whether any try may have been applied).
UNANSWERED = (AwsConnectionError, HTTPClientError)


@contextmanager
def translated_errors() -> Iterator[None]:
    try:
        yield
    except ClientError as exc:
        if error_code(exc) in RETRYABLE:
            raise _busy(BUSY) from exc
        raise


def cancellation_reasons(exc: ClientError) -> list[str]:
    """Per-item codes of a cancelled transaction ('None' for items that passed)."""
    return [str(r.get("Code", "None")) for r in exc.response.get("CancellationReasons", [])]  # type: ignore[attr-defined]


def strip_keys(item: dict[str, Any]) -> dict[str, Any]:
    """An item without its storage keys (PK, SK, GSI keys, type, ttl) and its write id."""
    return {k: v for k, v in item.items() if not (k.startswith("GSI") or k in {"PK", "SK", "type", "ttl", WRITE_ID})}


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
    A single write is sent alone, as a conditional write, with the same outcomes.

    Every Put and every Update built by update_request() stamps the item with this write's id
    (WRITE_ID): the call's id and the number of the write within the call."""
    write_id = _next_write_id()
    stamped = [_stamped(write, write_id) for write in writes]
    if len(stamped) == 1 and next(iter(stamped[0])) in SINGLE_WRITES:
        _write_one(stamped[0], write_id, attempts)
        return
    # The token makes a repeat of this very transaction idempotent: DynamoDB answers it as the
    # success it already was (within 10 minutes) instead of applying it twice. boto3 repeats it
    # under the same token after a try of unknown outcome; so does the loop below from then on,
    # and while DynamoDB says it is still applying it (TransactionInProgress).
    token = uuid.uuid4().hex
    keep_token = False
    for attempt in range(attempts):
        tries_unknown = _call.unknown
        try:
            client().transact_write_items(TransactItems=stamped, ClientRequestToken=token)  # type: ignore[arg-type]
            return
        except UNANSWERED as exc:
            raise _busy(BUSY) from exc
        except ClientError as exc:
            code = error_code(exc)
            keep_token = keep_token or _call.unknown > tries_unknown
            if code == "TransactionInProgressException":
                _call.unknown += 1  # applied or not, DynamoDB has not finished deciding
                keep_token = True
            elif code != "TransactionCanceledException":
                with translated_errors():
                    raise
            else:
                reasons = cancellation_reasons(exc)
                if "ConditionalCheckFailed" in reasons:
                    # Under a token that may have been applied before, DynamoDB would have answered
                    # the success it was: the condition failed on what someone else wrote.
                    raise TransactionRefused(reasons) from exc
                if not any(r in CONFLICTS for r in reasons):
                    raise
        if not keep_token:
            token = uuid.uuid4().hex
        _pause(attempt)
    raise _busy(CONFLICTED)


def _stamped(write: dict[str, Any], write_id: str) -> dict[str, Any]:
    """The write, naming `write_id` as the item's last writer (the caller's dicts are left alone)."""
    kind, request = next(iter(write.items()))
    if kind == "Put":
        return {kind: {**request, "Item": {**request["Item"], WRITE_ID: write_id}}}
    values = request.get("ExpressionAttributeValues", {})
    if kind == "Update" and ":wid" in values:  # built by update_request()
        return {kind: {**request, "ExpressionAttributeValues": {**values, ":wid": write_id}}}
    return write


def _write_one(write: dict[str, Any], write_id: str, attempts: int) -> None:
    """One conditional Put, Update or Delete. An item held by another transaction at that moment
    (TransactionConflict) is tried again like a transaction. A failed condition after a try of
    unknown outcome in this call, on an item whose WRITE_ID is this write's, is this very write
    applied by that try: a success, as a transaction's token would make it. Anyone else's write,
    even one of the very same values (the other half of a double click), is a refusal."""
    kind, request = next(iter(write.items()))
    send = getattr(client(), SINGLE_WRITES[kind])
    for attempt in range(attempts):
        try:
            send(**request, ReturnValuesOnConditionCheckFailure="ALL_OLD")
            return
        except UNANSWERED as exc:
            raise _busy(BUSY) from exc
        except ClientError as exc:
            code = error_code(exc)
            if code == "ConditionalCheckFailedException":
                if _unconfirmed() and _written_by(exc.response.get("Item"), write_id):  # type: ignore[arg-type]
                    return
                raise TransactionRefused(["ConditionalCheckFailed"]) from exc
            if code != "TransactionConflictException":
                with translated_errors():
                    raise
        _pause(attempt)
    raise _busy(CONFLICTED)


def _written_by(stored: dict[str, Any] | None, write_id: str) -> bool:
    """Whether `stored` (the item as a failed condition found it, in DynamoDB's JSON) was last
    written by the write `write_id`."""
    found = (stored or {}).get(WRITE_ID)
    return (found.get("S") if isinstance(found, dict) else found) == write_id


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
    so reserved words never bite; `condition` may use its own `names` and `values`. It also
    sets WRITE_ID (#wid = :wid), which transact() fills with the id of the write that sends it."""
    all_names = dict(names or {}) | {"#wid": WRITE_ID}
    all_values = dict(values or {}) | {":wid": f"{_call.id}.0"}
    sets = [f"#s{i} = :s{i}" for i in range(len(set_ or {}))] + ["#wid = :wid"]
    clauses = ["SET " + ", ".join(sets)]
    if set_:
        all_names |= {f"#s{i}": k for i, k in enumerate(set_)}
        all_values |= {f":s{i}": v for i, v in enumerate(set_.values())}
    removed = list(remove)
    if removed:
        all_names |= {f"#r{i}": k for i, k in enumerate(removed)}
        clauses.append("REMOVE " + ", ".join(f"#r{i}" for i in range(len(removed))))
    if add:
        all_names |= {f"#a{i}": k for i, k in enumerate(add)}
        all_values |= {f":a{i}": v for i, v in enumerate(add.values())}
        clauses.append("ADD " + ", ".join(f"#a{i} :a{i}" for i in range(len(add))))
    request: dict[str, Any] = {
        "TableName": table().name,
        "Key": key,
        "UpdateExpression": " ".join(clauses),
        "ExpressionAttributeNames": all_names,
        "ExpressionAttributeValues": all_values,
    }
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
    """Puts an item whose key must not exist yet; False if it does (a repeat, not an error).
    Found written by this very put (a try of unknown outcome that was applied), it is new."""
    write_id = _next_write_id()
    try:
        with translated_errors():
            table().put_item(
                Item={**item, WRITE_ID: write_id},
                ConditionExpression="attribute_not_exists(PK)",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
    except UNANSWERED as exc:
        raise _busy(BUSY) from exc
    except ClientError as exc:
        if error_code(exc) == "ConditionalCheckFailedException":
            return _unconfirmed() and _written_by(exc.response.get("Item"), write_id)  # type: ignore[arg-type]
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
