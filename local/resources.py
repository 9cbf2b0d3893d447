"""Builds the template's tables, queues and buckets in whatever AWS the boto3 clients
point at (moto in unit tests, DynamoDB Local + moto server in the local stack), and
gives each function the environment template.yaml gives it, resolved to them."""

from __future__ import annotations

import json
import os
from typing import Any

import boto3
from botocore.exceptions import ClientError

from local import template

REGION = "eu-central-2"
ACCOUNT = "123456789012"


def fake_credentials() -> None:
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_SESSION_TOKEN": "local",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
        }
    )


def physical_table_name(logical_id: str, prefix: str) -> str:
    return f"{prefix}-{logical_id}".lower()


def create_tables(prefix: str) -> dict[str, str]:
    """Creates every table of the template that does not exist yet; logical id -> name."""
    ddb = boto3.client("dynamodb", region_name=REGION)
    names = {}
    for logical_id, spec in template.table_definitions().items():
        name = physical_table_name(logical_id, prefix)
        try:
            ddb.create_table(TableName=name, **spec)
            ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ResourceInUseException":
                raise
            _add_missing_indexes(ddb, name, spec)
            _enable_stream(ddb, name, spec)
        names[logical_id] = name
    return names


def _add_missing_indexes(ddb: Any, name: str, spec: dict[str, Any]) -> None:
    """A table kept in .local-data from before an index was added to the template gets it now
    (one UpdateTable per index, as DynamoDB allows). Items written before keep their old keys."""
    have = {i["IndexName"] for i in ddb.describe_table(TableName=name)["Table"].get("GlobalSecondaryIndexes", [])}
    for index in spec.get("GlobalSecondaryIndexes", []):
        if index["IndexName"] in have:
            continue
        keys = {k["AttributeName"] for k in index["KeySchema"]}
        ddb.update_table(
            TableName=name,
            AttributeDefinitions=[a for a in spec["AttributeDefinitions"] if a["AttributeName"] in keys],
            GlobalSecondaryIndexUpdates=[{"Create": index}],
        )
        print(f"added index {index['IndexName']} to the kept table {name}", flush=True)


def _enable_stream(ddb: Any, name: str, spec: dict[str, Any]) -> None:
    """A table kept in .local-data from before the template asked for a stream gets one now."""
    wanted = spec.get("StreamSpecification")
    if wanted and not ddb.describe_table(TableName=name)["Table"].get("StreamSpecification", {}).get("StreamEnabled"):
        ddb.update_table(TableName=name, StreamSpecification=wanted)
        print(f"enabled the stream of the kept table {name}", flush=True)


def create_queues(prefix: str) -> dict[str, dict[str, str]]:
    """Creates the template's queues with their redrive policies; logical id -> {url, arn}."""
    sqs = boto3.client("sqs", region_name=REGION)
    made: dict[str, dict[str, str]] = {}
    for queue in template.queue_definitions():
        attributes: dict[Any, str] = {"VisibilityTimeout": str(queue.visibility_timeout)}
        if queue.dead_letter_queue:
            attributes["RedrivePolicy"] = json.dumps(
                {
                    "deadLetterTargetArn": made[queue.dead_letter_queue]["arn"],
                    "maxReceiveCount": queue.max_receive_count,
                }
            )
        url = sqs.create_queue(QueueName=f"{prefix}-{queue.logical_id}", Attributes=attributes)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        made[queue.logical_id] = {"url": url, "arn": arn}
    return made


def create_buckets(prefix: str) -> dict[str, str]:
    s3 = boto3.client("s3", region_name=REGION)
    names = {}
    for logical_id in template.bucket_names():
        name = f"{prefix}-{logical_id}".lower()
        try:
            s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})  # type: ignore[typeddict-item]
        except ClientError as exc:
            if exc.response["Error"]["Code"] not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                raise
        names[logical_id] = name
    return names


def create_kms_keys(prefix: str) -> dict[str, str]:
    """A key for every KMS key of the template, and its aliases under `prefix`; what !Ref and
    !GetAtt Arn give. moto keeps keys in memory only: a key is new in every run of the stack."""
    kms = boto3.client("kms", region_name=REGION)
    refs: dict[str, str] = {}
    for logical_id, aliases in template.kms_key_aliases().items():
        key = kms.create_key(Description=f"{prefix} {logical_id}")["KeyMetadata"]
        refs[logical_id], refs[f"{logical_id}.Arn"] = key["KeyId"], key["Arn"]
        for alias in aliases:
            name = f"alias/{prefix}-{alias}".lower()
            kms.create_alias(AliasName=name, TargetKeyId=key["KeyId"])
            refs[alias] = name
    return refs


def provision(prefix: str = "tremplin-local") -> dict[str, Any]:
    """Everything the template declares; the result maps logical ids to what !Ref and !GetAtt give."""
    refs: dict[str, Any] = {}
    refs.update(create_tables(prefix))
    queues = create_queues(prefix)
    refs.update({k: v["url"] for k, v in queues.items()})
    refs.update({f"{k}.Arn": v["arn"] for k, v in queues.items()})
    refs.update(create_buckets(prefix))
    refs.update(create_kms_keys(prefix))
    return refs


def _resolve(value: Any, refs: dict[str, Any], params: dict[str, str]) -> str:
    if isinstance(value, dict) and "Ref" in value:
        name = value["Ref"]
        return str(refs.get(name, params.get(name, "")))
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return str(refs.get(".".join(value["Fn::GetAtt"]), ""))
    if isinstance(value, dict):  # e.g. the CloudFront address (WEB_URL): none locally, links stay relative
        return ""
    return str(value)


def function_environment(refs: dict[str, Any]) -> dict[str, str]:
    """The union of every function's environment from template.yaml, resolved locally.

    Resources the local stack does not run (the cursor secret) resolve to "", and the
    settings then fall back to their local defaults.
    """
    params = template.parameter_defaults()
    env: dict[str, str] = {}
    for fn in template.functions().values():
        for key, value in fn.environment.items():
            resolved = _resolve(value, refs, params)
            # A function that blanks a global (the sign-in trigger's USER_POOL_ID) blanks it for itself only.
            if resolved or key not in env:
                env[key] = resolved
    return env
