"""Each function's grants on the table (template.yaml) and the local stack's enforcement of them
(local/iam.py), which makes every other test a test of least privilege too."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from local import iam, template

FUNCTIONS = template.functions()


def _table_actions(function: str) -> set[str]:
    return {action for action, _ in iam.dynamodb_grants(function)}


def test_no_function_takes_a_sam_table_policy_or_may_scan() -> None:
    """SAM's DynamoDBCrudPolicy and DynamoDBReadPolicy grant Scan (and DescribeTable)."""
    for name in FUNCTIONS:
        for policy in template.load()["Resources"][name]["Properties"].get("Policies", []):
            assert not (isinstance(policy, dict) and any(k.startswith("DynamoDB") for k in policy)), (name, policy)
        assert "Scan" not in _table_actions(name), name


def test_only_erasure_and_payroll_delete_and_the_inbox_only_reads() -> None:
    deleting = {name for name in FUNCTIONS if ("DeleteItem", "table/Table") in iam.dynamodb_grants(name)}
    # ParticipantsFunction: an erasure's e-mail claim; ChangesFunction: what follows an erasure
    assert deleting == {"ParticipantsFunction", "ChangesFunction", "SchedulesFunction"}
    assert _table_actions("NotificationsFunction") == {"GetItem", "BatchGetItem", "Query"}
    assert _table_actions("DocsFunction") == set()


def test_idempotency_records_are_for_the_api_functions_only() -> None:
    """A queue or stream consumer never answers an Idempotency-Key, so it may not touch them."""
    consumers = {c.function for c in template.consumers()} | {c.function for c in template.stream_consumers()}
    for name in FUNCTIONS:
        holds = any(resource == "table/IdempotencyTable" for _, resource in iam.dynamodb_grants(name))
        assert not (holds and name in consumers), name


def _put(table_name: str) -> dict[str, Any]:
    return boto3.client("dynamodb").put_item(TableName=table_name, Item={"PK": {"S": "x"}, "SK": {"S": "y"}})


def test_a_call_the_role_does_not_allow_is_refused_as_aws_would(aws: dict[str, Any]) -> None:
    iam.enforce()
    with iam.acting_as("NotificationsFunction"), pytest.raises(ClientError) as refused:
        _put(aws["Table"])
    assert refused.value.response["Error"]["Code"] == "AccessDeniedException"
    assert "dynamodb:PutItem" in refused.value.response["Error"]["Message"]
    with iam.acting_as("ParticipantsFunction"), pytest.raises(ClientError) as scanned:
        boto3.client("dynamodb").scan(TableName=aws["Table"])
    assert scanned.value.response["Error"]["Code"] == "AccessDeniedException"
    with iam.acting_as("ParticipantsFunction"):
        _put(aws["Table"])  # granted: stored
    item = boto3.client("dynamodb").get_item(TableName=aws["Table"], Key={"PK": {"S": "x"}, "SK": {"S": "y"}})
    assert "Item" in item


def test_a_transaction_needs_each_items_action_on_each_items_table(aws: dict[str, Any]) -> None:
    iam.enforce()
    delete = {"Delete": {"TableName": aws["Table"], "Key": {"PK": {"S": "x"}, "SK": {"S": "y"}}}}
    with iam.acting_as("ApplicationsFunction"), pytest.raises(ClientError) as refused:
        boto3.client("dynamodb").transact_write_items(TransactItems=[delete])
    assert "dynamodb:DeleteItem" in refused.value.response["Error"]["Message"]
    query = {"TableName": aws["Table"], "IndexName": "GSI4", "KeyConditionExpression": "GSI4PK = :p"}
    with iam.acting_as("ReportWorkerFunction"):
        boto3.client("dynamodb").query(**query, ExpressionAttributeValues={":p": {"S": "none"}})
    with iam.acting_as("DocsFunction"), pytest.raises(ClientError):
        boto3.client("dynamodb").query(**query, ExpressionAttributeValues={":p": {"S": "none"}})


def test_the_guard_and_the_call_recorder_count_each_call_once_whichever_came_first(aws: dict[str, Any]) -> None:
    """Both wrap botocore's one entry point; the recorder installed again over the guard counted
    every call twice."""
    from tests.aws_calls import AwsCalls

    with AwsCalls():
        pass
    iam.enforce()
    iam.enforce()
    with AwsCalls() as calls:
        boto3.client("s3").list_buckets()
    assert calls.others() == {"s3.ListBuckets": 1}
