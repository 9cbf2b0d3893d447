"""Faults on AWS's own DynamoDB Local, where what matters is the real service's behaviour:
a transaction whose answer was lost is retried by boto3 with the same ClientRequestToken
(transact() sets one per call), and DynamoDB answers it as the success it already was,
instead of applying it twice or refusing it on its own conditions. Without a token the
retried apply answers 409 already_applied for an application that was just made."""

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


@pytest.fixture
def world(api: Api, dynamodb_local: dict[str, Any]) -> World:
    return World(api, dynamodb_local)


@pytest.fixture
def faults(dynamodb_local: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Iterator[DynamoFaults]:
    yield from install_faults(monkeypatch)


class LostAnswers:
    """Sends the next `remaining` TransactWriteItems to DynamoDB for real, then drops the answer
    (a read timeout): the transaction is applied, and boto3 only knows it must retry."""

    def __init__(self) -> None:
        self.remaining = 0
        self.applied = 0
        self._http = URLLib3Session(timeout=30)

    def __call__(self, request: AWSPreparedRequest, **_: Any) -> None:
        if self.remaining <= 0:
            return
        self.remaining -= 1
        answer = self._http.send(request)
        assert answer.status_code == 200, answer.content
        self.applied += 1
        raise ReadTimeoutError(endpoint_url=request.url)


@pytest.fixture
def lost_answers(dynamodb_local: dict[str, Any]) -> Iterator[LostAnswers]:
    from tremplin.data import dynamo

    lost = LostAnswers()
    events = dynamo.client().meta.events
    events.register_first("before-send.dynamodb.TransactWriteItems", lost, unique_id="test-lost-answers")
    try:
        yield lost
    finally:
        events.unregister("before-send.dynamodb.TransactWriteItems", unique_id="test-lost-answers")


@pytest.mark.parametrize("name", ["post job", "apply", "accept", "confirm", "hours"])
def test_a_transaction_whose_answer_was_lost_is_retried_and_counted_once(
    world: World, lost_answers: LostAnswers, name: str
) -> None:
    """Each of these transactions has conditions a second application would fail (the item
    must not exist yet, a free slot, the application's status): without the token the retry
    would answer 409 for a change that happened, or take a second slot."""
    path = PATHS[name]
    path.prepare(world)
    _settled(world)
    before = world.figures()
    lost_answers.remaining = 1
    answer = path.send(world)
    assert lost_answers.applied == 1
    assert answer.status == path.status, answer.body
    assert world.figures() == _plus(before, path.change)


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
