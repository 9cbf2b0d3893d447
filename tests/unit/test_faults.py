"""Faults, observed as a user observes them (answers, inboxes, deliveries, reports) and on
the stored state.

DynamoDB's throttles and transaction conflicts are answered by a botocore `before-send`
handler with the HTTP response DynamoDB itself sends, before the request reaches any table:
boto3's own retry logic (standard mode) and tremplin's transaction retry see exactly what
they would see in AWS. A consumer's process dying is `Killed`, raised right after an effect:
in Lambda that is a failed invocation, and SQS gives the whole batch back.
"""

from __future__ import annotations

import io
import json
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import botocore.retries.standard
import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse

from tests.helpers import Answer, Api, all_items, create_org, drain, job_body, participant_body, shift_body

NOW = "2026-11-25T09:00:00+01:00"
SHIFT = ("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00")
AFTER_SHIFT = "2026-12-01T13:00:00+01:00"

WRITES = ("TransactWriteItems", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem")
THROTTLES = ("ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded")
ALWAYS = 1_000_000


# ---------------------------------------------------------------- injecting DynamoDB's errors


class _Body(io.BytesIO):
    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.getvalue()


@dataclass
class _Plan:
    operations: tuple[str, ...]
    code: str
    remaining: int
    reason: str = ""
    let_through: int = 0


class DynamoFaults:
    """Answers chosen DynamoDB calls with DynamoDB's own error response (HTTP 400, JSON 1.0
    body). Registered first on `before-send`, so the answer replaces the HTTP call; every
    retry is a new call and is counted (and possibly faulted) again."""

    def __init__(self) -> None:
        self._plans: list[_Plan] = []
        self.injected: Counter[str] = Counter()

    def throttle(self, *operations: str, code: str = THROTTLES[0], times: int = ALWAYS, after: int = 0) -> None:
        """Refuses the next `times` calls of `operations`, once `after` of them went through."""
        self._plans.append(_Plan(operations or WRITES, code, times, let_through=after))

    def conflict(self, times: int = ALWAYS, reason: str = "TransactionConflict") -> None:
        """TransactWriteItems cancelled because another transaction held one of its items."""
        self._plans.append(_Plan(("TransactWriteItems",), "TransactionCanceledException", times, reason))

    def clear(self) -> None:
        self._plans.clear()

    def __call__(self, request: AWSPreparedRequest, event_name: str, **_: Any) -> AWSResponse | None:
        operation = event_name.rsplit(".", 1)[-1]
        plan = next((p for p in self._plans if operation in p.operations and p.remaining > 0), None)
        if plan is None:
            return None
        if plan.let_through > 0:
            plan.let_through -= 1
            return None
        plan.remaining -= 1
        self.injected[operation] += 1
        body: dict[str, Any] = {
            "__type": f"com.amazonaws.dynamodb.v20120810#{plan.code}",
            "message": "Injected by the test",
        }
        if plan.code == "TransactionCanceledException":
            count = len(json.loads(request.body or b"{}")["TransactItems"])
            body["CancellationReasons"] = [{"Code": plan.reason, "Message": "injected"}] + [{"Code": "None"}] * (
                count - 1
            )
        # Later before-send handlers still run (moto's in-process back end is one): pointed
        # nowhere, the refused request reaches no table at all, as DynamoDB would have it.
        request.url = "https://refused.invalid/"
        headers = {"content-type": "application/x-amz-json-1.0", "x-amzn-requestid": uuid.uuid4().hex}
        return AWSResponse(request.url, 400, headers, _Body(json.dumps(body).encode()))


def install_faults(monkeypatch: pytest.MonkeyPatch) -> Iterator[DynamoFaults]:
    from tremplin.data import dynamo

    faults = DynamoFaults()
    # boto3's retry decisions stay as they are; only its back-off waits are skipped.
    monkeypatch.setattr(botocore.retries.standard.ExponentialBackoff, "delay_amount", lambda self, context: 0.0)
    events = dynamo.client().meta.events
    events.register_first("before-send.dynamodb", faults, unique_id="test-faults")
    try:
        yield faults
    finally:
        events.unregister("before-send.dynamodb", unique_id="test-faults")


@pytest.fixture
def faults(aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Iterator[DynamoFaults]:
    yield from install_faults(monkeypatch)


# ---------------------------------------------------------------- a small world


class World:
    """One organisation with a published shift, one active participant, a caseworker."""

    def __init__(self, api: Api, aws: dict[str, Any]):
        self.api, self.aws = api, aws
        self.at(NOW)
        self.org = create_org(api)
        self.employer = api.employer(self.org)
        self.caseworker = api.token("caseworker", "cw-1")
        self.shift = self.post_job().body["shifts"][0]["shift_id"]
        self.participant = self.enrol("anna@example.ch").body["participant_id"]
        self.me = api.token("participant", "u1", participant_id=self.participant)
        assert api.call("POST", "/me/consent", token=self.me, json_body={"version": "2026-01"}).status == 200

    def at(self, now: str) -> None:
        assert self.api.call("POST", "/_local/clock", json_body={"now": now}).status == 200

    def post_job(self) -> Answer:
        body = job_body(shift_body(*SHIFT, slots=2), publish=True)
        return self.api.call("POST", "/jobs", token=self.employer, json_body=body)

    def enrol(self, email: str) -> Answer:
        return self.api.call("POST", "/participants", token=self.caseworker, json_body=participant_body(email=email))

    def apply(self) -> Answer:
        return self.api.call("POST", f"/shifts/{self.shift}/applications", token=self.me, json_body={"message": "Gern"})

    def act(self, action: str, token: str, body: Any = None) -> Answer:
        app_id = f"app.{self.shift}.{self.participant}"
        return self.api.call("POST", f"/applications/{app_id}/{action}", token=token, json_body=body)

    def items(self) -> list[dict[str, Any]]:
        return sorted(all_items(self.aws["Table"]), key=lambda i: (i["PK"], i["SK"]))

    def figures(self, items: list[dict[str, Any]] | None = None) -> dict[str, int]:
        """What the write paths change: items by type, applications by status, the shift's
        filled slots, the participant's held shifts, the month's enrolment count."""
        items = self.items() if items is None else items
        found: Counter[str] = Counter(i["type"] for i in items)
        found.update(f"status:{i['status']}" for i in items if i["type"] == "application")
        for i in items:
            if i["SK"] == "SHIFT" and i["shift_id"] == self.shift:
                found["filled"] = int(i["filled"])
            if i["type"] == "schedule":
                found["held"] += len(i["held"])
            if i["PK"] == "STATS":
                found["enrolled"] += int(i["count"])
        return {k: v for k, v in found.items() if v}

    def queued(self) -> int:
        sqs = boto3.client("sqs")
        total = 0
        for name in ("NotificationsQueue", "DeliveriesQueue", "WebhooksQueue", "ReportsQueue"):
            attrs = sqs.get_queue_attributes(QueueUrl=self.aws[name], AttributeNames=["All"])["Attributes"]
            total += int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesNotVisible"])
        return total

    def inbox(self, token: str) -> list[str]:
        drain(self.aws)
        return [n["kind"] for n in self.api.call("GET", "/me/notifications", token=token).body["items"]]


@pytest.fixture
def world(api: Api, aws: dict[str, Any]) -> World:
    return World(api, aws)


@dataclass(frozen=True)
class WritePath:
    """A request on a write path, what it needs first, and what it changes exactly once."""

    prepare: Callable[[World], None]
    send: Callable[[World], Answer]
    status: int
    change: dict[str, int]
    told: Callable[[World], tuple[str, str]]  # (inbox token, notification kind) it causes


def _nothing(w: World) -> None:
    pass


def _applied(w: World) -> None:
    assert w.apply().status == 201


def _offered(w: World) -> None:
    _applied(w)
    assert w.act("accept", w.employer).status == 200


def _confirmed_and_worked(w: World) -> None:
    _offered(w)
    assert w.act("confirm", w.me).status == 200
    w.at(AFTER_SHIFT)


HOURS = {"started_at": SHIFT[0], "ended_at": SHIFT[1], "break_minutes": 30}

PATHS = {
    "enrolment": WritePath(
        _nothing,
        lambda w: w.enrol("new@example.ch"),
        201,
        {"participant": 1, "email": 1, "enrolled": 1, "audit": 1},
        lambda w: (w.caseworker, ""),
    ),
    "post job": WritePath(_nothing, World.post_job, 201, {"job": 1, "shift": 1}, lambda w: (w.employer, "")),
    "apply": WritePath(
        _nothing,
        World.apply,
        201,
        {"application": 1, "status:applied": 1},
        lambda w: (w.employer, "application_created"),
    ),
    "accept": WritePath(
        _applied,
        lambda w: w.act("accept", w.employer),
        200,
        {"status:applied": -1, "status:offered": 1, "filled": 1, "held": 1, "schedule": 1},
        lambda w: (w.me, "offer_made"),
    ),
    "confirm": WritePath(
        _offered,
        lambda w: w.act("confirm", w.me),
        200,
        {"status:offered": -1, "status:confirmed": 1},
        lambda w: (w.employer, "offer_confirmed"),
    ),
    "hours": WritePath(
        _confirmed_and_worked,
        lambda w: w.act("hours", w.employer, HOURS),
        200,
        {"status:confirmed": -1, "status:hours_submitted": 1},
        lambda w: (w.me, "hours_submitted"),
    ),
}


def _plus(before: dict[str, int], change: dict[str, int]) -> dict[str, int]:
    after = dict(before)
    for key, delta in change.items():
        after[key] = after.get(key, 0) + delta
    return {k: v for k, v in after.items() if v}


def _settled(w: World) -> None:
    """Everything the preparation queued is delivered, so the request's own effects stand alone."""
    drain(w.aws)
    assert w.queued() == 0


def _assert_clean_503(answer: Answer) -> None:
    assert answer.status == 503, answer.body
    error = answer.body["error"]
    assert error["code"] == "service_unavailable"
    assert error["message"] and error["details"] == []
    assert "Traceback" not in json.dumps(answer.body) and "botocore" not in json.dumps(answer.body)


# ---------------------------------------------------------------- throttling on the write paths


@pytest.mark.parametrize("name", PATHS)
def test_a_few_throttles_on_every_write_are_retried_and_the_change_happens_once(
    world: World, faults: DynamoFaults, name: str
) -> None:
    path = PATHS[name]
    path.prepare(world)
    _settled(world)
    before = world.figures()
    token, kind = path.told(world)
    told_before = world.inbox(token).count(kind)
    # Three refusals in a row; boto3 tries a call up to five times (max_attempts 4 = retries).
    faults.throttle(*WRITES, times=3)
    answer = path.send(world)
    assert answer.status == path.status, answer.body
    assert sum(faults.injected.values()) == 3
    assert world.figures() == _plus(before, path.change)
    if kind:
        assert world.inbox(token).count(kind) == told_before + 1


@pytest.mark.parametrize("code", THROTTLES)
@pytest.mark.parametrize("name", PATHS)
def test_persistent_throttling_is_a_clean_503_and_nothing_is_written_or_queued(
    world: World, faults: DynamoFaults, name: str, code: str
) -> None:
    path = PATHS[name]
    path.prepare(world)
    _settled(world)
    before = world.items()
    faults.throttle(*WRITES, code=code)
    answer = path.send(world)
    _assert_clean_503(answer)
    # The first write was refused on each of boto3's five attempts, and none was tried after it.
    assert sum(faults.injected.values()) == 5
    assert world.items() == before
    assert world.queued() == 0  # nobody is told about a change that did not happen
    # Once DynamoDB has capacity again, the same request succeeds, once.
    faults.clear()
    assert path.send(world).status == path.status
    assert world.figures() == _plus(world.figures(before), path.change)


ENROLMENT_AFTER_COMMIT = (
    "Bug (data/participants.py insert, logic/participants.py enrol; not this module's to fix): "
    "the enrolment's transaction commits, then the month's counter (one hot item) and the audit "
    "entry are written on their own; throttled there, the caller gets 503 'nothing was changed' "
    "for a participant that exists, and the retry is 409 email_already_enrolled (or, without an "
    "e-mail, a second participant)."
)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(reason=ENROLMENT_AFTER_COMMIT, strict=True)) if n == "enrolment" else n
        for n in PATHS
    ],
)
def test_throttling_that_starts_after_the_first_write_cannot_split_a_change(
    world: World, faults: DynamoFaults, name: str
) -> None:
    """Each write path is one transaction: once it committed, no later write can fail the
    request, so the answer always tells the truth about what is stored."""
    path = PATHS[name]
    path.prepare(world)
    _settled(world)
    before = world.figures()
    faults.throttle(*WRITES, after=1)
    answer = path.send(world)
    assert answer.status == path.status, answer.body
    assert world.figures() == _plus(before, path.change)


# ---------------------------------------------------------------- transaction conflicts


@pytest.mark.parametrize("name", PATHS)
def test_transaction_conflicts_are_retried_and_the_change_happens_once(
    world: World, faults: DynamoFaults, name: str
) -> None:
    path = PATHS[name]
    path.prepare(world)
    _settled(world)
    before = world.figures()
    faults.conflict(times=2)
    answer = path.send(world)
    assert answer.status == path.status, answer.body
    assert faults.injected["TransactWriteItems"] == 2
    assert world.figures() == _plus(before, path.change)


@pytest.mark.parametrize("name", PATHS)
def test_persistent_transaction_conflicts_are_a_clean_503_and_nothing_is_written(
    world: World, faults: DynamoFaults, name: str
) -> None:
    path = PATHS[name]
    path.prepare(world)
    _settled(world)
    before = world.items()
    faults.conflict()
    _assert_clean_503(path.send(world))
    assert faults.injected["TransactWriteItems"] == 6  # transact()'s attempts, each cancelled
    assert world.items() == before
    assert world.queued() == 0


@pytest.mark.parametrize("reason", ["ThrottlingError", "ProvisionedThroughputExceeded"])
def test_a_transaction_cancelled_because_an_item_was_throttled_is_retried_like_a_conflict(
    world: World, faults: DynamoFaults, reason: str
) -> None:
    before = world.figures()
    faults.conflict(times=2, reason=reason)
    assert world.apply().status == 201
    assert world.figures() == _plus(before, PATHS["apply"].change)
    before_items = world.items()
    faults.conflict(reason=reason)
    _assert_clean_503(world.act("accept", world.employer))
    assert world.items() == before_items
