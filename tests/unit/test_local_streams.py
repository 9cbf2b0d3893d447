"""The local stack reads the table's stream as Lambda's event source mapping would: in order,
partial batch failures retried from the first failed record, a crashing batch bisected, a
record given up on after MaximumRetryAttempts and described on the on-failure queue."""

from __future__ import annotations

import json
from typing import Any

import boto3

from local import template
from local.streams import StreamPoller


class FakeFunction:
    """Fails the records whose PK is in `fail` (a partial batch failure) and crashes on any
    batch holding one in `crash`; remembers every batch it was handed."""

    def __init__(self, fail: set[str] = frozenset(), crash: set[str] = frozenset()):  # type: ignore[assignment]
        self.fail, self.crash = set(fail), set(crash)
        self.batches: list[list[str]] = []

    def invoke(self, function: str, event: dict[str, Any]) -> dict[str, Any]:
        keys = [r["dynamodb"]["Keys"]["PK"]["S"] for r in event["Records"]]
        self.batches.append(keys)
        if self.crash & set(keys):
            raise RuntimeError("the function crashed")
        failed = [
            r["dynamodb"]["SequenceNumber"] for r in event["Records"] if r["dynamodb"]["Keys"]["PK"]["S"] in self.fail
        ]
        return {"batchItemFailures": [{"itemIdentifier": s} for s in failed]}

    def handed(self, key: str) -> int:
        return sum(batch.count(key) for batch in self.batches)


def _consumer(**overrides: Any) -> template.StreamConsumer:
    settings: dict[str, Any] = {
        "function": "Fake",
        "table": "Table",
        "batch_size": 10,
        "partial_failures": True,
        "bisect_on_error": True,
        "max_retries": 2,
        "on_failure_queue": "ChangesFailedQueue",
    }
    return template.StreamConsumer(**(settings | overrides))


def _write(aws: dict[str, Any], *keys: str) -> None:
    table = boto3.resource("dynamodb").Table(aws["Table"])
    for key in keys:
        table.put_item(Item={"PK": key, "SK": "X", "type": "test"})


def _given_up(aws: dict[str, Any]) -> list[dict[str, Any]]:
    answer = boto3.client("sqs").receive_message(QueueUrl=aws["ChangesFailedQueue"], MaxNumberOfMessages=10)
    return [json.loads(m["Body"]) for m in answer.get("Messages", [])]


def test_a_record_that_keeps_failing_is_retried_then_described_on_the_failure_queue(aws: dict[str, Any]) -> None:
    fake = FakeFunction(fail={"bad"})
    poller = StreamPoller(fake, aws, consumers=[_consumer()])  # type: ignore[arg-type]
    _write(aws, "a", "bad", "c")
    poller.drain()
    assert fake.handed("a") == 1  # handled before the failure: never handed again
    assert fake.handed("bad") == 3  # the first try and MaximumRetryAttempts (2) more
    assert fake.handed("c") == 3  # retried from the first failed record, as Lambda does
    [info] = _given_up(aws)
    assert info["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert info["DDBStreamBatchInfo"]["batchSize"] == 2  # "bad" and what came after it
    _write(aws, "d")
    poller.drain()
    assert fake.handed("d") == 1 and fake.handed("bad") == 3  # the stream moved on past it


def test_a_crashing_batch_is_bisected_down_to_the_record_that_crashes(aws: dict[str, Any]) -> None:
    fake = FakeFunction(crash={"boom"})
    poller = StreamPoller(fake, aws, consumers=[_consumer()])  # type: ignore[arg-type]
    _write(aws, "a", "b", "boom", "d")
    poller.drain()
    assert ["boom"] in fake.batches  # bisected until it stood alone
    assert all(fake.handed(k) >= 1 for k in ("a", "b", "d"))
    [info] = _given_up(aws)
    assert info["DDBStreamBatchInfo"]["batchSize"] == 1


def test_the_checkpoint_survives_a_restart_so_nothing_is_handed_over_twice(aws: dict[str, Any], tmp_path: Any) -> None:
    first = FakeFunction()
    checkpoint = tmp_path / "stream-checkpoint.json"
    StreamPoller(first, aws, checkpoint=checkpoint, consumers=[_consumer()]).drain()  # type: ignore[arg-type]
    _write(aws, "a", "b")
    StreamPoller(first, aws, checkpoint=checkpoint, consumers=[_consumer()]).drain()  # type: ignore[arg-type]
    _write(aws, "c")
    again = FakeFunction()
    StreamPoller(again, aws, checkpoint=checkpoint, consumers=[_consumer()]).drain()  # type: ignore[arg-type]
    assert again.batches == [["c"]]
