"""The DynamoDB table and every AWS client: their handles, the retry budget (below), the
request builders, and the writes, whose outcome is told as it is also when an answer was lost.
Every DynamoDB write goes through here; DynamoDB's "busy" becomes a clean 503 here."""

from __future__ import annotations

import os
import random
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
import botocore.session
from boto3.dynamodb.types import TypeDeserializer
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectTimeoutError, EndpointConnectionError, HTTPClientError
from botocore.exceptions import ConnectionError as AwsConnectionError

from tremplin.data.attribute_values import ParserFactory
from tremplin.data.keys import primary
from tremplin.errors import ServiceUnavailable
from tremplin.settings import get_settings

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.service_resource import Table


# ---------------------------------------------------------------- retries: the whole budget
# Two layers, and only these two:
#
# 1. botocore's standard mode (_boto_config, for every client) tries each AWS call up to
#    AWS_TRIES = 3 times on throttling, 5xx, TransactionInProgress, timeouts and lost
#    connections, with a jittered back-off of at most 1 s, then 2 s. One call is over, answered
#    or given up, within 3 x (0.5 s connect + 1.5 s read) + 3 s = 9 s: below the shortest
#    function timeout of template.yaml (10 s), so a request that cannot be answered ends in a
#    clean 503, not in Lambda's timeout (tests/unit/test_aws_timeouts.py holds them to it).
# 2. One loop in this module (_attempts), for what botocore leaves alone: a write that met
#    another transaction on its item (TransactionConflict, or a transaction cancelled for a
#    conflict or a throttled item), and what a BatchGetItem or BatchWriteItem left unprocessed.
#    Up to CONFLICT_ATTEMPTS = 6 calls, with jittered pauses of at most 20, 40, 80, 160 and
#    320 ms (0.62 s in all) between them; then a 503.
#
# Worst case for one write: 6 calls x 3 tries = 18 requests. Conflicts and unprocessed keys
# are answered at once, so contention that never ends is a 503 after 6 round trips and at most
# 0.62 s of pauses; throttling that never ends is a 503 after one call (up to 9 s); a call none
# of whose tries is answered ends the loop at once (a 503). Only tries that time out and then
# meet a conflict, call after call, could stretch it past the function's timeout (in theory
# 6 x 9 s): Lambda then ends the request, and the write ids below still tell a later try what
# was applied. Nothing above this module retries the same request (logic may re-read and send a
# new one: optimistic concurrency, not a retry).
AWS_TRIES = 3
CONNECT_TIMEOUT_S = 0.5
CONFLICT_ATTEMPTS = 6


def _boto_config() -> Config:
    return Config(
        retries={"mode": "standard", "total_max_attempts": AWS_TRIES},
        connect_timeout=CONNECT_TIMEOUT_S,
        read_timeout=get_settings().aws_read_timeout_s,
    )


# Error codes still there once botocore gave up, answered with a 503 (the client may try again
# later): capacity, or a concurrent transaction.
BUSY_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "TransactionConflictException",
        "TransactionInProgressException",
        "InternalServerError",
    }
)

# Reasons of a cancelled transaction under which the same transaction is sent again (_attempts).
TRY_AGAIN_REASONS = frozenset({"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"})


# One Lambda container serves one request at a time, but the local stack and the tests run
# many in threads: boto3 resources are not thread-safe, so each thread gets its own handle.
_per_thread = threading.local()


_generation = [0]
_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def _session() -> boto3.session.Session:
    # One session, so service models are loaded once; handles are made from it under a lock.
    # Its parser takes DynamoDB's attribute values the short way (attribute_values.py).
    if "session" not in _clients:
        core = botocore.session.get_session()
        core.register_component("response_parser_factory", ParserFactory())
        _clients["session"] = boto3.session.Session(botocore_session=core)
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


BUSY_MESSAGE = "The platform is busy; nothing was changed. Please try again."
CONFLICT_MESSAGE = "Too many changes to the same items at once; nothing was changed. Please try again."
UNCONFIRMED_MESSAGE = (
    "The platform is busy and could not confirm whether the change was saved; reload to see its state."
)


def _busy(message: str) -> ServiceUnavailable:
    """A 503 that says "nothing was changed" only while that is known to be true."""
    if _unconfirmed():  # machine-readable too: a client must not repeat it blindly, but reload
        return ServiceUnavailable(UNCONFIRMED_MESSAGE, details=[{"outcome": "unknown"}])
    return ServiceUnavailable(message)


def busy_here(error: ServiceUnavailable) -> ServiceUnavailable:
    """`error`, raised on another thread for this call (tremplin.data.parallel), as this call
    words it: "could not confirm" once one of its writes may have been applied unbeknown to it."""
    return _busy(error.message) if _unconfirmed() else error


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


def region_known() -> bool:
    """False in a tool importing the functions for their routes: then handles stay lazy."""
    return bool(os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"))


def prepare_handles(*services: str, table_too: bool = True) -> None:
    """Makes at init the handles a first request would make: Lambda runs init at a whole vCPU
    and the request at the function's share (7 % of one at 128 MB), and the table's handle is
    the costliest (DynamoDB's service model and endpoint rules: about 70 ms of CPU at a whole
    vCPU). Without a region (a tool importing the functions for their routes) all stays lazy."""
    if not region_known():
        return
    # The first connection encodes the host name with the IDNA codec, which imports
    # encodings.idna, stringprep and unicodedata: every function's first request did that.
    "dynamodb.eu-central-2.amazonaws.com".encode("idna")
    if table_too:
        table()
    for service in services:
        aws_client(service)


def generation() -> int:
    """How many times the handles were forgotten: one made under an older generation is stale."""
    return _generation[0]


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
    """DynamoDB's "busy" (BUSY_CODES, once botocore gave up) as a clean 503."""
    try:
        yield
    except ClientError as exc:
        if error_code(exc) in BUSY_CODES:
            raise _busy(BUSY_MESSAGE) from exc
        raise


def cancellation_reasons(exc: ClientError) -> list[str]:
    """Per-item codes of a cancelled transaction ('None' for items that passed)."""
    return [str(r.get("Code", "None")) for r in exc.response.get("CancellationReasons", [])]  # type: ignore[attr-defined]


STORAGE_ATTRIBUTES = frozenset({"PK", "SK", "type", "ttl", WRITE_ID})


def strip_keys(item: dict[str, Any]) -> dict[str, Any]:
    """An item without what only storage needs: its keys (PK, SK, every GSI key), its type, its
    ttl and its write id."""
    return {k: v for k, v in item.items() if not (k.startswith("GSI") or k in STORAGE_ATTRIBUTES)}


class TransactionRefused(Exception):
    """A condition of a write failed; `reasons` has one code per item of the transaction, in
    order (one for a single write). `item`: for a single write, the item as the failed condition
    found it (None if there was none)."""

    def __init__(self, reasons: list[str], item: dict[str, Any] | None = None):
        super().__init__(reasons)
        self.reasons = reasons
        self.item = item

    def failed(self, index: int) -> bool:
        return index < len(self.reasons) and self.reasons[index] == "ConditionalCheckFailed"


# ---------------------------------------------------------------- the one retry loop


def _attempts(give_up: str = CONFLICT_MESSAGE) -> Iterator[int]:
    """The attempts of one write or batch (see the budget at the top): a jittered pause before
    each but the first, and a 503 saying `give_up` once CONFLICT_ATTEMPTS are used up. The loop
    body returns on success and falls through to try again."""
    for attempt in range(CONFLICT_ATTEMPTS):
        if attempt:
            _pause(attempt - 1)
        yield attempt
    raise _busy(give_up)


def _pause(attempt: int) -> None:
    time.sleep(random.uniform(0, 0.02 * 2**attempt))  # noqa: S311 - jitter, not security  # nosec B311


# ---------------------------------------------------------------- writes

# A transaction of one item costs twice what the same conditional write costs alone
# (DynamoDB bills every item of a transaction, and its index writes, twice) and guarantees no more.
SINGLE_WRITES = {"Put": "put_item", "Update": "update_item", "Delete": "delete_item"}


def transact(writes: list[dict[str, Any]]) -> None:
    """All of `writes` or none. A transaction that lost a race with another one on the same
    item (TransactionConflict) is tried again (_attempts); a failed condition raises
    TransactionRefused at once; still conflicting at the end is a 503. A single write is sent
    alone, as write_one() sends it, with the same outcomes.

    Every Put and every Update built by update_request() stamps the item with this write's id
    (WRITE_ID): the call's id and the number of the write within the call."""
    if len(writes) == 1 and next(iter(writes[0])) in SINGLE_WRITES:
        write_one(writes[0])
        return
    write_id = _next_write_id()
    stamped = [_stamped(write, write_id) for write in writes]
    # The token makes a repeat of this very transaction idempotent: DynamoDB answers it as the
    # success it already was (within 10 minutes) instead of applying it twice. boto3 repeats it
    # under the same token after a try of unknown outcome; so does the loop below from then on,
    # and while DynamoDB says it is still applying it (TransactionInProgress).
    token = uuid.uuid4().hex
    keep_token = False
    for _ in _attempts():
        tries_unknown = _call.unknown
        try:
            client().transact_write_items(TransactItems=stamped, ClientRequestToken=token)  # type: ignore[arg-type]
            return
        except UNANSWERED as exc:
            raise _busy(BUSY_MESSAGE) from exc
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
                if not any(r in TRY_AGAIN_REASONS for r in reasons):
                    raise
        if not keep_token:
            token = uuid.uuid4().hex


def write_one(write: dict[str, Any], *, returns: str | None = None) -> dict[str, Any]:
    """One Put, Update or Delete (as put_request, update_request and delete_request build them),
    sent alone. An item held by a transaction at that moment (TransactionConflict) is tried
    again (_attempts). A failed condition raises TransactionRefused, with the item as found:
    unless this call had a try of unknown outcome and the item bears this write's id (WRITE_ID),
    which is this very write applied by that try, a success, as a transaction's token would make
    it. Anyone else's write, even one of the very same values (the other half of a double click),
    is a refusal.

    `returns` (ALL_NEW, UPDATED_NEW) asks for the item's values after the write; for a write
    recognised as applied by an earlier try they are the item as then found (all of it)."""
    write_id = _next_write_id()
    kind, request = next(iter(_stamped(write, write_id).items()))
    send = getattr(client(), SINGLE_WRITES[kind])
    options: dict[str, str] = {"ReturnValues": returns} if returns else {}
    if "ConditionExpression" in request:
        options["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    unknown_before = _call.unknown
    for _ in _attempts():
        try:
            return dict(send(**request, **options).get("Attributes") or {})
        except UNANSWERED as exc:
            raise _busy(BUSY_MESSAGE) from exc
        except ClientError as exc:
            code = error_code(exc)
            if code == "ConditionalCheckFailedException":
                found = _plain(exc.response.get("Item"))  # type: ignore[arg-type]
                if _unconfirmed() and found is not None and found.get(WRITE_ID) == write_id:
                    return found if returns else {}
                raise TransactionRefused(["ConditionalCheckFailed"], found) from exc
            if code != "TransactionConflictException":
                with translated_errors():
                    raise
            if _call.unknown > unknown_before and "ConditionExpression" not in request:
                # A try of this very write may have been applied (botocore retried it after a
                # timeout). A conditional write may go again: if it was applied, its condition
                # fails on its own write id, recognised above. An unconditional one (an
                # increment, an append) would be applied twice.
                raise _busy(CONFLICT_MESSAGE) from exc
    raise AssertionError("unreachable: _attempts() ends in a 503")


_DESERIALIZER = TypeDeserializer()


def _plain(stored: dict[str, Any] | None) -> dict[str, Any] | None:
    """An item that came back in DynamoDB's JSON (a failed condition's ALL_OLD) as Python values."""
    if stored is None:
        return None
    return {k: _DESERIALIZER.deserialize(v) if _typed(v) else v for k, v in stored.items()}


def _typed(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _TYPE_CODES


_TYPE_CODES = frozenset({"S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"})


def _stamped(write: dict[str, Any], write_id: str) -> dict[str, Any]:
    """The write, naming `write_id` as the item's last writer (the caller's dicts are left alone)."""
    kind, request = next(iter(write.items()))
    if kind == "Put":
        return {kind: {**request, "Item": {**request["Item"], WRITE_ID: write_id}}}
    values = request.get("ExpressionAttributeValues", {})
    if kind == "Update" and ":wid" in values:  # built by update_request()
        return {kind: {**request, "ExpressionAttributeValues": {**values, ":wid": write_id}}}
    return write


def put_new(item: dict[str, Any]) -> bool:
    """Puts an item whose key must not exist yet; False if it does (a repeat, not an error).
    Found written by this very put (a try of unknown outcome that was applied), it is new."""
    try:
        write_one(put_request(item, "attribute_not_exists(PK)"))
    except TransactionRefused:
        return False
    return True


# ---------------------------------------------------------------- requests


def put_request(
    item: dict[str, Any],
    condition: str | None = None,
    names: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {"Put": _conditional({"TableName": table().name, "Item": item}, condition, names, values)}


def delete_request(
    key: dict[str, str],
    condition: str | None = None,
    names: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {"Delete": _conditional({"TableName": table().name, "Key": key}, condition, names, values)}


def condition_check(
    key: dict[str, str], condition: str, names: dict[str, str] | None = None, values: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A transaction item that writes nothing and holds only while `condition` holds."""
    return {"ConditionCheck": _conditional({"TableName": table().name, "Key": key}, condition, names, values)}


def _conditional(
    request: dict[str, Any], condition: str | None, names: dict[str, str] | None, values: dict[str, Any] | None
) -> dict[str, Any]:
    if condition:
        request["ConditionExpression"] = condition
    if names:
        request["ExpressionAttributeNames"] = dict(names)
    if values:
        request["ExpressionAttributeValues"] = dict(values)
    return request


Path = str | tuple[str, ...]
"""An attribute, or a path into maps: ("held", application_id) is held.<application_id>."""

Changes = Mapping[str, Any] | Mapping[tuple[str, ...], Any] | Mapping[Path, Any]


@dataclass(frozen=True)
class Increment:
    """A value to SET: the number stored at `of` (0 while there is none) plus `by`."""

    of: Path
    by: int = 1


@dataclass(frozen=True)
class Appended:
    """A value to SET: the list stored at the same path (empty while there is none), `items` appended."""

    items: list[Any]


def update_request(
    key: dict[str, str],
    *,
    set_: Changes | None = None,
    remove: Iterable[Path] = (),
    add: Changes | None = None,
    delete: Changes | None = None,
    condition: str | None = None,
    names: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An Update, for transact() or write_one(): SET `set_` (a value, an Increment or an
    Appended), REMOVE `remove`, ADD `add` (to numbers and sets), DELETE `delete` (from sets).
    Attribute names are always placeholders (#s0, #r0, #a0; #s0_0.#s0_1 for a path), so
    reserved words never bite; `condition` may use its own `names` and `values`. It also sets
    WRITE_ID (#wid = :wid), which transact() and write_one() fill with the id of the write that
    sends it."""
    all_names = dict(names or {}) | {"#wid": WRITE_ID}
    all_values = dict(values or {}) | {":wid": f"{_call.id}.0"}

    def placed(path: Path, kind: str, index: int) -> str:
        placeholder = "#" + kind + str(index)
        if isinstance(path, str):
            all_names[placeholder] = path
            return placeholder
        all_names.update({f"{placeholder}_{n}": name for n, name in enumerate(path)})
        return ".".join(f"{placeholder}_{n}" for n in range(len(path)))

    sets = []
    for i, (path, value) in enumerate((set_ or {}).items()):
        target = placed(path, "s", i)
        if isinstance(value, Increment):
            source = target if value.of == path else placed(value.of, "f", i)
            all_values |= {f":s{i}": value.by, f":s{i}_zero": 0}
            sets.append(f"{target} = if_not_exists({source}, :s{i}_zero) + :s{i}")
        elif isinstance(value, Appended):
            all_values |= {f":s{i}": list(value.items), f":s{i}_none": []}
            sets.append(f"{target} = list_append(if_not_exists({target}, :s{i}_none), :s{i})")
        else:
            all_values[f":s{i}"] = value
            sets.append(f"{target} = :s{i}")
    clauses = ["SET " + ", ".join([*sets, "#wid = :wid"])]
    removed = [placed(path, "r", i) for i, path in enumerate(remove)]
    if removed:
        clauses.append("REMOVE " + ", ".join(removed))
    if add:
        added = [placed(path, "a", i) for i, path in enumerate(add)]
        all_values |= {f":a{i}": v for i, v in enumerate(add.values())}
        clauses.append("ADD " + ", ".join(f"{p} :a{i}" for i, p in enumerate(added)))
    if delete:
        deleted = [placed(path, "d", i) for i, path in enumerate(delete)]
        all_values |= {f":d{i}": v for i, v in enumerate(delete.values())}
        clauses.append("DELETE " + ", ".join(f"{p} :d{i}" for i, p in enumerate(deleted)))
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


# ---------------------------------------------------------------- batches

BATCH_GET_MAX = 100
BATCH_WRITE_MAX = 25


def batch_get(keys: list[dict[str, str]], *, consistent: bool = True) -> list[dict[str, Any] | None]:
    """Reads of `keys` (one BatchGetItem per 100 distinct keys, and again for keys it left
    unprocessed); the items as stored, in the order of `keys`, None where there is none.
    Consistent unless `consistent` is False (half the read units; may miss the last second)."""
    name = table().name
    found: dict[tuple[str, str], dict[str, Any]] = {}
    unique = list({(k["PK"], k["SK"]): primary(k) for k in keys}.values())
    for start in range(0, len(unique), BATCH_GET_MAX):
        pending: dict[str, Any] = {name: {"Keys": unique[start : start + BATCH_GET_MAX], "ConsistentRead": consistent}}
        for _ in _attempts(BUSY_MESSAGE):
            with translated_errors():
                answer = client().batch_get_item(RequestItems=pending)
            for item in answer["Responses"].get(name, []):
                found[(str(item["PK"]), str(item["SK"]))] = dict(item)
            pending = dict(answer.get("UnprocessedKeys") or {})
            if not pending:
                break
    return [found.get((k["PK"], k["SK"])) for k in keys]


def batch_write(*, puts: Iterable[dict[str, Any]] = (), deletes: Iterable[dict[str, str]] = ()) -> None:
    """Puts and deletes, unconditional and not together (BatchWriteItem, 25 a call, and again
    for what it left unprocessed): for bookkeeping, exports and erasure, never for a change
    whose parts must hold together."""
    name = table().name
    requests = [{"PutRequest": {"Item": item}} for item in puts]
    requests += [{"DeleteRequest": {"Key": primary(key)}} for key in deletes]
    for start in range(0, len(requests), BATCH_WRITE_MAX):
        pending: dict[str, Any] = {name: requests[start : start + BATCH_WRITE_MAX]}
        for _ in _attempts(BUSY_MESSAGE):
            try:
                with translated_errors():
                    answer = client().batch_write_item(RequestItems=pending)
            except UNANSWERED as exc:
                raise _busy(BUSY_MESSAGE) from exc
            pending = dict(answer.get("UnprocessedItems") or {})
            if not pending:
                break
