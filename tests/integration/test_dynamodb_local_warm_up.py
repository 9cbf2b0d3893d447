"""The benchmarks warm DynamoDB Local's JVM before they time the functions (bench/README): every
kind of call the functions make, on a copy of the table, which leaves the table itself alone."""

from __future__ import annotations

from collections import Counter

import boto3
import pytest

from local.dynamodb_local import warm_up
from tests.aws_calls import AwsCalls
from tests.helpers import Api, all_items, create_org
from tests.unit.test_call_counts import BY_ROUTE

pytestmark = pytest.mark.integration


def test_the_warm_up_makes_every_kind_of_call_on_a_copy_of_the_table(api: Api, table_name: str) -> None:
    api.call("POST", "/_local/clock", json_body={"now": "2026-11-25T09:00:00+01:00"})
    create_org(api)
    before = all_items(table_name)
    with AwsCalls() as calls:
        warm_up(table_name, rounds=2)
    made = Counter(c.operation for c in calls.log if c.service == "dynamodb")
    routes_make = {operation for counts in BY_ROUTE.values() for operation in counts}
    assert routes_make <= set(made), "a kind of call the routes make is not warmed"
    named = {c.params["TableName"] for c in calls.log if "TableName" in c.params and c.operation != "DescribeTable"}
    assert named == {f"{table_name}-warm-up"}  # batches and transactions name it inside: the copy too
    assert all_items(table_name) == before
    assert (
        made["DeleteTable"] == 1 and f"{table_name}-warm-up" not in boto3.client("dynamodb").list_tables()["TableNames"]
    )
    warm_up(table_name, rounds=1)  # gone when done: another warm-up of this DynamoDB Local makes it anew
    assert made["Query"] >= 2 * 5  # the table and each of its four indexes, every round
