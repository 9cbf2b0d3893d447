"""The template's DynamoDB grants, enforced on the functions the local stack and the tests run.

In AWS a call the function's role does not allow fails with AccessDeniedException. Locally
(moto, DynamoDB Local) nothing checks, so a grant narrowed too far would only show in AWS. This
module reads each function's policies from template.yaml and refuses, the way AWS would, every
DynamoDB call its role would not allow, while `FunctionHost` runs that function. Every test
that goes through a function therefore also tests its least-privilege policy.

Only explicit statements and customer-managed policies of the template are read; a SAM policy
template for DynamoDB (DynamoDBCrudPolicy, ...) grants Scan and is refused by
tests/unit/test_table_grants.py, so it never needs reading here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from fnmatch import fnmatchcase
from functools import cache
from typing import Any

from botocore.client import BaseClient
from botocore.exceptions import ClientError

from local import api_calls, template

# A context variable, not a thread's: a request's parallel reads (tremplin.data.parallel) run in
# the request's context on other threads, and are checked as the request's function.
acting: ContextVar[str | None] = ContextVar("acting", default=None)

# An operation's IAM actions: a transaction needs the per-item action on each item's table.
_TRANSACT_ACTIONS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statements(policy: Any) -> list[dict[str, Any]]:
    """The statements of one entry of a function's Policies (inline or a template policy's)."""
    if isinstance(policy, dict) and "Statement" in policy:
        return list(policy["Statement"])
    if isinstance(policy, dict) and set(policy) == {"Ref"}:
        managed = template.load()["Resources"].get(policy["Ref"], {})
        if managed.get("Type") == "AWS::IAM::ManagedPolicy":
            return list(managed["Properties"]["PolicyDocument"]["Statement"])
    return []


def _resource_pattern(resource: Any) -> str | None:
    """`table/<logical id>` or `table/<logical id>/index/*` from !GetAtt T.Arn / !Sub ${T.Arn}/..."""
    if isinstance(resource, dict) and "Fn::GetAtt" in resource:
        logical, attr = resource["Fn::GetAtt"]
        return f"table/{logical}" if attr == "Arn" else None
    if isinstance(resource, dict) and "Fn::Sub" in resource and isinstance(resource["Fn::Sub"], str):
        text: str = resource["Fn::Sub"]
        if text.startswith("${") and ".Arn}" in text:
            logical, rest = text[2:].split(".Arn}", 1)
            return f"table/{logical}{rest}"
    return None


@cache
def dynamodb_grants(function: str) -> frozenset[tuple[str, str]]:
    """(IAM action, resource pattern) pairs the function's role allows on DynamoDB."""
    props = template.load()["Resources"][function]["Properties"]
    grants: set[tuple[str, str]] = set()
    for policy in props.get("Policies", []):
        for statement in _statements(policy):
            if statement.get("Effect") != "Allow":
                continue
            actions = [a for a in _as_list(statement["Action"]) if a.startswith("dynamodb:")]
            patterns = [p for r in _as_list(statement["Resource"]) if (p := _resource_pattern(r))]
            grants |= {(a.removeprefix("dynamodb:"), p) for a in actions for p in patterns}
    return frozenset(grants)


def _needed(operation: str, params: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """(action, table name, index name) triples the call needs."""
    if operation == "TransactWriteItems":
        return [
            (_TRANSACT_ACTIONS[kind], body["TableName"], None)
            for item in params["TransactItems"]
            for kind, body in item.items()
        ]
    if operation == "TransactGetItems":
        return [("GetItem", item["Get"]["TableName"], None) for item in params["TransactItems"]]
    if operation in ("BatchGetItem", "BatchWriteItem"):
        return [(operation, name, None) for name in params["RequestItems"]]
    return [(operation, params.get("TableName", "*"), params.get("IndexName"))]


def _logical_table(physical: str) -> str:
    """The template's id of a table local/resources.py named `<prefix>-<logical id>`."""
    for logical in template.resources("AWS::DynamoDB::Table"):
        if physical.endswith("-" + logical.lower()):
            return logical
    return physical


def _allowed(function: str, action: str, table: str, index: str | None) -> bool:
    resource = f"table/{_logical_table(table)}" + (f"/index/{index}" if index else "")
    return any(a == action and fnmatchcase(resource, p) for a, p in dynamodb_grants(function))


@contextmanager
def acting_as(function: str) -> Iterator[None]:
    """Calls made in this thread meanwhile are checked against the function's role."""
    token = acting.set(function)
    try:
        yield
    finally:
        acting.reset(token)


def enforce() -> None:
    """From now on, refuse what the acting function's role would not allow (once per process)."""
    api_calls.wrap("iam", _guarded)


def _guarded(original: api_calls.ApiCall) -> api_calls.ApiCall:
    def _make_api_call(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        function = acting.get()
        if function and client.meta.service_model.service_name == "dynamodb":
            for action, table, index in _needed(operation, params):
                if not _allowed(function, action, table, index):
                    raise ClientError(
                        {
                            "Error": {
                                "Code": "AccessDeniedException",
                                "Message": f"{function} is not authorized to perform dynamodb:{action} on {table}"
                                + (f"/index/{index}" if index else ""),
                            }
                        },
                        operation,
                    )
        return original(client, operation, params)

    return _make_api_call
