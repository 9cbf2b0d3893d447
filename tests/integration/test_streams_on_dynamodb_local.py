"""The local stack's stream poller against DynamoDB Local's own stream."""

from __future__ import annotations

from typing import Any

import boto3
from aws_lambda_powertools.utilities.data_classes import DynamoDBStreamEvent

from local import template
from local.streams import StreamPoller, repaired


class Reader:
    """Reads every handed record as the changes consumer does (Powertools' data class)."""

    def __init__(self) -> None:
        self.images: list[dict[str, Any] | None] = []

    def invoke(self, function: str, event: dict[str, Any]) -> dict[str, Any]:
        for record in DynamoDBStreamEvent(event).records:
            self.images.append(record.dynamodb.new_image if record.dynamodb else None)
        return {"batchItemFailures": []}


def test_an_emptied_map_reaches_the_consumer_as_an_empty_map(dynamodb_local: dict[str, Any]) -> None:
    """DynamoDB Local streams `{}` for an empty map; the consumer must read it as Lambda would."""
    table = boto3.resource("dynamodb").Table(dynamodb_local["Table"])
    table.put_item(Item={"PK": "PART#p", "SK": "SCHEDULE", "held": {"a": {"minutes": 60}}, "version": 1})
    table.update_item(
        Key={"PK": "PART#p", "SK": "SCHEDULE"},
        UpdateExpression="REMOVE #held.#a",
        ExpressionAttributeNames={"#held": "held", "#a": "a"},
    )
    consumer = template.StreamConsumer(
        function="Reader",
        table="Table",
        batch_size=10,
        partial_failures=True,
        bisect_on_error=True,
        max_retries=0,
        on_failure_queue="ChangesFailedQueue",
    )
    reader = Reader()
    StreamPoller(reader, dynamodb_local, consumers=[consumer]).drain()  # type: ignore[arg-type]
    assert [(i or {}).get("held") for i in reader.images] == [{"a": {"minutes": 60}}, {}]


def test_repair_leaves_every_other_value_alone() -> None:
    assert repaired({}) == {"M": {}}
    assert repaired({"M": {"a": {}, "b": {"S": "x"}}}) == {"M": {"a": {"M": {}}, "b": {"S": "x"}}}
    assert repaired({"L": [{}, {"N": "1"}]}) == {"L": [{"M": {}}, {"N": "1"}]}
    assert repaired({"L": []}) == {"L": []}
    assert repaired({"NULL": True}) == {"NULL": True}
