"""Faults on AWS's own DynamoDB Local, where what matters is the real service's behaviour:
a write whose answer was lost is retried by boto3 and must count once. A transaction is
retried with the same ClientRequestToken (transact() sets one per call), and DynamoDB answers
it as the success it already was, instead of applying it twice or refusing it on its own
conditions (without a token the retried apply answers 409 already_applied for an application
that was just made). A single conditional write finds its condition failing on the change it
made itself, and transact() recognises the item as exactly what it wrote."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.awsrequest import AWSPreparedRequest
from botocore.exceptions import ReadTimeoutError
from botocore.httpsession import URLLib3Session

from tests.helpers import Api
from tests.unit.test_faults import (
    PATHS,
    WRITES,
    DynamoFaults,
    World,
    _assert_clean_503,
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
    faults.throttle(*WRITES, times=3)
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
