"""Faults on AWS's own DynamoDB Local, where what matters is the real service's behaviour:
a write whose answer was lost is retried by boto3 and must count once. A transaction is
retried with the same ClientRequestToken (transact() keeps one per transaction once a try's
outcome is unknown), and DynamoDB answers it as the success it already was, instead of applying
it twice or refusing it on its own conditions (without a token the retried apply answers 409
already_applied for an application that was just made). A single conditional write finds its
condition failing on the change it made itself, and transact() recognises its own write id in
the item; an identical write of someone else's is not its own."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.compat import HTTPHeaders
from botocore.exceptions import ReadTimeoutError
from botocore.httpsession import URLLib3Session
from botocore.retries.standard import ExponentialBackoff

from tests.helpers import Api
from tests.unit.test_faults import (
    PATHS,
    WRITES,
    DynamoFaults,
    World,
    _assert_clean_503,
    _Body,
    _plus,
    _settled,
    install_faults,
)

pytestmark = pytest.mark.integration

NOW_UTC = "2026-11-25T08:00:00+00:00"


@pytest.fixture
def world(api: Api, dynamodb_local: dict[str, Any]) -> World:
    return World(api, dynamodb_local)


@pytest.fixture
def faults(dynamodb_local: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Iterator[DynamoFaults]:
    yield from install_faults(monkeypatch)


LOSABLE = ("TransactWriteItems", "UpdateItem")


class LostAnswers:
    """Sends the next `remaining` writes to DynamoDB for real, then drops the answer (a read
    timeout): the write is applied (or refused), and boto3 only knows it must retry."""

    def __init__(self) -> None:
        self.remaining = 0
        self.applied = 0
        self.sent = 0
        self._http = URLLib3Session(timeout=30)

    def __call__(self, request: AWSPreparedRequest, **_: Any) -> None:
        if self.remaining <= 0:
            return
        self.remaining -= 1
        answer = self._http.send(request)
        self.applied += answer.status_code == 200
        self.sent += 1
        raise ReadTimeoutError(endpoint_url=request.url)


@pytest.fixture
def lost_answers(dynamodb_local: dict[str, Any]) -> Iterator[LostAnswers]:
    from tremplin.data import dynamo

    lost = LostAnswers()
    events = dynamo.client().meta.events
    for operation in LOSABLE:
        events.register_first(f"before-send.dynamodb.{operation}", lost, unique_id=f"test-lost-{operation}")
    try:
        yield lost
    finally:
        for operation in LOSABLE:
            events.unregister(f"before-send.dynamodb.{operation}", unique_id=f"test-lost-{operation}")


@pytest.mark.parametrize("name", ["post job", "apply", "accept", "confirm", "hours"])
def test_a_write_whose_answer_was_lost_is_retried_and_counted_once(
    world: World, lost_answers: LostAnswers, name: str
) -> None:
    """Each of these writes has conditions a second application would fail (the item must not
    exist yet, a free slot, the application's status): post job, apply and accept are
    transactions, confirm and hours one conditional UpdateItem. Retried blindly, they would
    answer 409 for a change that happened, or take a second slot."""
    path = PATHS[name]
    path.prepare(world)
    _settled(world)
    before = world.figures()
    lost_answers.remaining = 1
    answer = path.send(world)
    assert lost_answers.applied == 1
    assert answer.status == path.status, answer.body
    assert world.figures() == _plus(before, path.change)


def test_a_lost_answer_does_not_turn_a_refusal_into_a_success(world: World, lost_answers: LostAnswers) -> None:
    """A conditional write refused because the item moved on elsewhere (the participant declined
    while this confirmation was on its way) stays refused when its answer was lost too."""
    from tremplin.data import applications as store
    from tremplin.data.dynamo import TransactionRefused, transact

    PATHS["confirm"].prepare(world)
    app_id = f"app.{world.shift}.{world.participant}"
    assert world.act("decline", world.me).status == 200
    before = world.items()
    lost_answers.remaining = 1
    with pytest.raises(TransactionRefused):
        transact([store.app_update(app_id, ("offered",), set_={"status": "confirmed"})])
    assert (lost_answers.sent, lost_answers.applied) == (1, 0)
    assert world.items() == before


def test_a_few_throttles_are_retried_and_persistent_ones_are_a_clean_503(world: World, faults: DynamoFaults) -> None:
    path = PATHS["accept"]
    path.prepare(world)
    _settled(world)
    before_items = world.items()
    faults.throttle(*WRITES)
    _assert_clean_503(path.send(world))
    assert world.items() == before_items
    assert world.queued() == 0
    faults.clear()
    before = world.figures()
    from tremplin.data.dynamo import AWS_TRIES

    faults.throttle(*WRITES, times=AWS_TRIES - 1)
    assert path.send(world).status == path.status
    assert world.figures() == _plus(before, path.change)


def test_persistent_conflicts_are_a_clean_503_and_nothing_is_written(world: World, faults: DynamoFaults) -> None:
    _settled(world)
    before = world.items()
    faults.conflict()
    _assert_clean_503(world.apply())
    assert world.items() == before
    assert world.queued() == 0


def test_the_same_write_sent_twice_in_one_second_is_refused_the_second_time(world: World) -> None:
    """Two confirmations racing (a double click: both read the offer before either wrote) set the
    very same values in the same second. The second one's condition fails on its first try, and
    that is a refusal, not the first one's change mistaken for its own: the caller answers 409
    and tells nobody a second time."""
    from tremplin.data import applications as store
    from tremplin.data.dynamo import TransactionRefused, transact

    PATHS["confirm"].prepare(world)
    app_id = f"app.{world.shift}.{world.participant}"
    confirm = store.app_update(app_id, ("offered",), set_={"status": "confirmed", "confirmed_at": NOW_UTC})
    transact([confirm])
    with pytest.raises(TransactionRefused):
        transact([confirm])
    assert next(i for i in world.items() if i.get("application_id") == app_id)["status"] == "confirmed"


def test_a_write_retried_after_a_throttle_that_finds_the_same_values_is_still_refused(
    world: World, faults: DynamoFaults
) -> None:
    """A throttled try is known not to have been applied, so the retry's failed condition is a
    refusal even when an identical write (the other half of a double click) got there first."""
    from tremplin.data import applications as store
    from tremplin.data.dynamo import TransactionRefused, transact

    PATHS["confirm"].prepare(world)
    app_id = f"app.{world.shift}.{world.participant}"
    confirm = store.app_update(app_id, ("offered",), set_={"status": "confirmed", "confirmed_at": NOW_UTC})
    transact([confirm])
    faults.throttle("UpdateItem", times=1)
    with pytest.raises(TransactionRefused):
        transact([confirm])
    assert faults.injected["UpdateItem"] == 1


# ---------------------------------------------------------------- answers lost, then worse


LOSE = "lose"
SOMEONE_ELSE = "someone else"


class Scripted:
    """Plays the next tries of one DynamoDB operation as scripted, a step per try (boto3 makes
    several per call, transact() several calls):

    - LOSE: sent to DynamoDB for real, its answer dropped (a read timeout): the write is applied
      (or refused) and the caller cannot know which;
    - SOMEONE_ELSE: not sent; meanwhile someone else sends the very same request under their
      own write id (the other half of a double click), and this try times out: its outcome is
      unknown to the caller, and it was not applied;
    - an error code: DynamoDB's own error answer (HTTP 400), nothing sent.

    Once the steps are played, tries reach DynamoDB untouched. Every try's request is kept."""

    def __init__(self, operation: str, steps: list[str]) -> None:
        self.operation = operation
        self.steps = list(steps)
        self.sent: list[dict[str, Any]] = []
        self.applied = 0
        self.theirs = ""  # the write id of someone else's write
        self._http = URLLib3Session(timeout=30)

    def __call__(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse | None:
        assert isinstance(request.body, bytes | str)
        body = json.loads(request.body)
        self.sent.append(body)
        if not self.steps:
            return None
        step = self.steps.pop(0)
        if step == LOSE:
            self.applied += self._http.send(request).status_code == 200
            raise ReadTimeoutError(endpoint_url=request.url)
        if step == SOMEONE_ELSE:
            self._someone_else(body)
            raise ReadTimeoutError(endpoint_url=request.url)
        headers = HTTPHeaders.from_dict(
            {"content-type": "application/x-amz-json-1.0", "x-amzn-requestid": uuid.uuid4().hex}
        )
        error = {"__type": f"com.amazonaws.dynamodb.v20120810#{step}", "message": "Injected by the test"}
        return AWSResponse(request.url, 400, headers, _Body(json.dumps(error).encode()))

    def _someone_else(self, ours: dict[str, Any]) -> None:
        from tremplin.data.dynamo import WRITE_ID

        body = json.loads(json.dumps(ours))
        self.theirs = f"{uuid.uuid4().hex}.1"
        if ":wid" in (body.get("ExpressionAttributeValues") or {}):
            body["ExpressionAttributeValues"][":wid"] = {"S": self.theirs}
        if WRITE_ID in (body.get("Item") or {}):
            body["Item"][WRITE_ID] = {"S": self.theirs}
        # Another process, with a client of its own: none of this test's scripts.
        getattr(boto3.client("dynamodb"), xform_name(self.operation))(**body)


@pytest.fixture
def script(dynamodb_local: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Scripted]]:
    """script(operation, *steps): the next tries of `operation` play `steps`."""
    from tremplin.data import dynamo

    # boto3's retry decisions stay as they are; only its back-off waits are skipped.
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0.0)
    events = dynamo.client().meta.events
    played: list[str] = []

    def play(operation: str, *steps: str) -> Scripted:
        scripted = Scripted(operation, list(steps))
        hook: Any = scripted  # botocore's stubs want a handler that returns None; before-send's may answer
        events.register_first(f"before-send.dynamodb.{operation}", hook, unique_id=f"test-script-{operation}")
        played.append(operation)
        return scripted

    try:
        yield play
    finally:
        for operation in played:
            events.unregister(f"before-send.dynamodb.{operation}", unique_id=f"test-script-{operation}")


def _application(w: World) -> dict[str, Any]:
    app_id = f"app.{w.shift}.{w.participant}"
    answer = w.api.call("GET", f"/applications/{app_id}", token=w.me)
    assert answer.status == 200, answer.body
    return dict(answer.body)


@pytest.mark.parametrize("name", ["confirm", "hours"])
def test_a_write_whose_answer_was_lost_then_met_a_conflict_is_recognised_as_done(
    world: World, script: Callable[..., Scripted], name: str
) -> None:
    """The first try is applied and its answer lost; boto3's retries meet another transaction
    on the item until boto3 gives up; transact() sends the write again, whose condition now
    fails on the change its first try made. The item bears this write's id: done, 200, once
    (not 409 invalid_transition for a change that happened)."""
    from tremplin.data.dynamo import AWS_TRIES

    path = PATHS[name]
    path.prepare(world)
    before = world.figures()
    played = script("UpdateItem", LOSE, *["TransactionConflictException"] * (AWS_TRIES - 1))
    answer = path.send(world)
    assert played.applied == 1
    assert answer.status == path.status, answer.body
    assert world.figures() == _plus(before, path.change)
    stored = next(k.removeprefix("status:") for k in path.change if k.startswith("status:") and path.change[k] > 0)
    assert answer.body["status"] == stored == _application(world)["status"]
    assert "write_id" not in answer.body and "write_id" not in _application(world)
    assert len(played.sent) == AWS_TRIES + 1  # the write sent again once, and recognised


@pytest.mark.parametrize("name", ["post job", "apply", "accept"])
def test_a_transaction_whose_answer_was_lost_and_then_in_progress_succeeds_once(
    world: World, script: Callable[..., Scripted], name: str
) -> None:
    """The first try is applied and its answer lost; DynamoDB then says the transaction is still
    in progress until boto3 gives up. transact() asks again under the same token, and DynamoDB
    answers the success it was: the request succeeds, once, instead of a 503 saying nothing
    was changed (or a 409 from a new token refused on its own change)."""
    from tremplin.data.dynamo import AWS_TRIES

    path = PATHS[name]
    path.prepare(world)
    before = world.figures()
    played = script("TransactWriteItems", LOSE, *["TransactionInProgressException"] * (AWS_TRIES - 1))
    answer = path.send(world)
    assert played.applied == 1
    assert answer.status == path.status, answer.body
    assert world.figures() == _plus(before, path.change)
    assert len(played.sent) == AWS_TRIES + 1
    assert len({sent["ClientRequestToken"] for sent in played.sent}) == 1


def test_an_identical_write_of_someone_else_after_an_unknown_outcome_is_a_refusal(
    world: World, script: Callable[..., Scripted]
) -> None:
    """This confirmation's first try times out unsent while the other half of a double click
    confirms with the very same values. The retry's condition fails on an item this write did
    not write: a refusal (409), not a success to tell twice."""
    from tremplin.data.dynamo import WRITE_ID

    PATHS["confirm"].prepare(world)
    before = world.figures()
    played = script("UpdateItem", SOMEONE_ELSE)
    answer = world.act("confirm", world.me)
    assert answer.status == 409, answer.body
    assert answer.body["error"]["code"] == "invalid_transition"
    assert world.figures() == _plus(before, PATHS["confirm"].change)  # confirmed once, by the other
    ours = {sent["ExpressionAttributeValues"][":wid"]["S"] for sent in played.sent}
    assert len(played.sent) == 2 and len(ours) == 1  # one write, tried twice
    [stored] = [i for i in world.items() if i["type"] == "application"]
    assert stored[WRITE_ID] == played.theirs and stored[WRITE_ID] not in ours


@pytest.mark.parametrize(
    ("name", "operation", "code"),
    [
        ("confirm", "UpdateItem", "ThrottlingException"),
        ("apply", "TransactWriteItems", "TransactionInProgressException"),
    ],
)
def test_a_503_after_a_lost_answer_does_not_say_that_nothing_was_changed(
    world: World, script: Callable[..., Scripted], name: str, operation: str, code: str
) -> None:
    """The first try is applied and its answer lost; every later try is refused until the
    request gives up. Its 503 must not claim that nothing was changed: the change is there."""
    path = PATHS[name]
    path.prepare(world)
    before = world.figures()
    played = script(operation, LOSE, *[code] * 100)
    answer = path.send(world)
    played.steps.clear()
    _assert_clean_503(answer)
    assert played.applied == 1
    message = answer.body["error"]["message"]
    assert "nothing was changed" not in message and "could not confirm" in message
    assert answer.body["error"]["details"] == [{"outcome": "unknown"}]  # a client knows not to repeat it
    assert world.figures() == _plus(before, path.change)  # what a reload shows


def test_a_new_item_put_whose_answer_was_lost_is_new_and_a_repeat_is_not(
    world: World, script: Callable[..., Scripted]
) -> None:
    """put_new() (a partner webhook's receipt, say): the first try is applied and its answer
    lost, and boto3's retry finds the key taken, by itself. That is a new item, not a repeat
    (which would drop the partner's event); a later put of the same key is a repeat."""
    from tremplin.data.dynamo import begin_call, put_new

    item = {"PK": f"ORG#{world.org}", "SK": "RECEIPT#msg_1", "type": "webhook_receipt", "received_at": NOW_UTC}
    begin_call()
    played = script("PutItem", LOSE)
    assert put_new(item) is True
    assert (played.applied, len(played.sent)) == (1, 2)
    begin_call()
    assert put_new(item) is False
