"""template.yaml is the one source of tables, queues, routes and their roles."""

from __future__ import annotations

import re
from typing import Any

import boto3
import pytest

from local import template
from tests.helpers import ROOT, shared_host


def test_unit_test_tables_are_the_templates_own_definitions(aws: dict[str, Any]) -> None:
    client = boto3.client("dynamodb")
    for logical_id, spec in template.table_definitions().items():
        described = client.describe_table(TableName=aws[logical_id])["Table"]
        assert described["KeySchema"] == spec["KeySchema"]
        assert sorted(described["AttributeDefinitions"], key=str) == sorted(spec["AttributeDefinitions"], key=str)
        got = {i["IndexName"]: (i["KeySchema"], i["Projection"]) for i in described.get("GlobalSecondaryIndexes", [])}
        assert got == {
            i["IndexName"]: (i["KeySchema"], i["Projection"]) for i in spec.get("GlobalSecondaryIndexes", [])
        }


def test_the_code_reads_whole_items_after_a_query_on_exactly_the_keys_only_indexes() -> None:
    from tremplin.data.pagination import KEYS_ONLY_INDEXES

    table = template.table_definitions()["Table"]
    keys_only = {
        i["IndexName"] for i in table["GlobalSecondaryIndexes"] if i["Projection"]["ProjectionType"] == "KEYS_ONLY"
    }
    assert keys_only == KEYS_ONLY_INDEXES


def test_no_second_copy_of_a_key_schema_or_index_anywhere() -> None:
    """Only template.yaml declares tables; local/template.py is the one reader of it."""
    allowed = {ROOT / "template.yaml", ROOT / "local" / "template.py"}
    # A copy would spell out a key: KeyType HASH/RANGE or an AttributeType.
    pattern = re.compile(r"""(KeyType|AttributeType)['"]?\s*[:=]\s*['"]?(HASH|RANGE|S|N|B)\b""")
    offenders = []
    for folder in ("layers", "functions", "local", "tests", "bench", "tools"):
        for path in (ROOT / folder).rglob("*"):
            readable = path.suffix in {".py", ".json", ".yaml", ".yml", ".js", ".cjs"} and path not in allowed
            if readable and pattern.search(path.read_text(encoding="utf-8", errors="ignore")):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_queues_have_dead_letter_queues_and_a_visibility_timeout_of_six_function_timeouts() -> None:
    defs = {q.logical_id: q for q in template.queue_definitions()}
    dlqs = template.failure_queues()
    global_timeout = int(template.load()["Globals"]["Function"]["Timeout"])
    for q in defs.values():
        if q.logical_id in dlqs:
            continue
        assert q.dead_letter_queue in defs, f"{q.logical_id} has no dead-letter queue"
        assert q.max_receive_count and q.max_receive_count <= 5
        consumers = [c for c in template.consumers() if c.queue == q.logical_id]
        for c in consumers:
            timeout = int(template.load()["Resources"][c.function]["Properties"].get("Timeout", global_timeout))
            assert q.visibility_timeout >= 6 * timeout


def _walk(node: Any) -> Any:
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def test_no_wildcard_actions_and_every_store_is_encrypted_and_private() -> None:
    doc = template.load()
    # A KMS key's own policy gives its account kms:* (AWS's default key policy: the account
    # administers the key, IAM grants its use); test_template_security.py holds it to that.
    for node in _walk({k: v for k, v in doc["Resources"].items() if v["Type"] != "AWS::KMS::Key"}):
        if "Action" in node:
            actions = node["Action"] if isinstance(node["Action"], list) else [node["Action"]]
            assert all("*" not in str(a) for a in actions), node
    for name, res in template.resources("AWS::DynamoDB::Table").items():
        props = res["Properties"]
        assert props["SSESpecification"]["SSEEnabled"] is True, name
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True, name
        assert res["DeletionPolicy"] == "Retain", name
    for name, res in template.resources("AWS::S3::Bucket").items():
        props = res["Properties"]
        assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"], name
        assert all(props["PublicAccessBlockConfiguration"].values()), name
        assert res["DeletionPolicy"] == "Retain", name
    for name, res in template.resources("AWS::SQS::Queue").items():
        assert res["Properties"].get("SqsManagedSseEnabled") or res["Properties"].get("KmsMasterKeyId"), name
    # No bucket policy lets just anyone in: an Allow names a service or an account, never "*".
    for name, res in template.resources("AWS::S3::BucketPolicy").items():
        for statement in res["Properties"]["PolicyDocument"]["Statement"]:
            if statement["Effect"] == "Allow":
                assert statement["Principal"] not in ("*", {"AWS": "*"}), name
                assert statement.get("Condition"), name  # e.g. only this CloudFront distribution


def test_the_web_front_end_is_served_over_https_through_cloudfront_only() -> None:
    (dist,) = template.resources("AWS::CloudFront::Distribution").values()
    config = dist["Properties"]["DistributionConfig"]
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    assert all(origin.get("OriginAccessControlId") for origin in config["Origins"])
    (client,) = template.resources("AWS::Cognito::UserPoolClient").values()
    assert client["Properties"]["AllowedOAuthFlows"] == ["code"]  # with PKCE; no implicit tokens in URLs
    assert client["Properties"]["GenerateSecret"] is False


def test_every_route_has_its_roles_declared_by_its_function_and_nothing_else() -> None:
    host = shared_host()
    by_function: dict[str, set[str]] = {}
    for route in template.routes():
        by_function.setdefault(route.function, set()).add(route.route_key)
    for function, keys in by_function.items():
        declared = host.handler(function).route_roles  # type: ignore[attr-defined]
        assert set(declared) == keys, function
        public = {r.route_key for r in template.routes() if r.function == function and r.public}
        assert {k for k, v in declared.items() if not v} == public, function


@pytest.mark.parametrize("function", sorted(template.functions()))
def test_every_function_has_sample_events(function: str) -> None:
    folder = ROOT / "events" / template.functions()[function].code_uri.strip("/").split("/")[-1]
    assert sorted(folder.glob("event-*.json")), f"no sample event for {function} in {folder}"


def test_functions_run_python_3_13_on_arm64() -> None:
    globals_ = template.load()["Globals"]["Function"]
    assert globals_["Runtime"] == "python3.13"
    assert globals_["Architectures"] == ["arm64"]


def test_side_effects_come_from_the_tables_stream_with_retries_bisection_and_a_failure_queue() -> None:
    props = template.load()["Resources"]["Table"]["Properties"]
    assert props["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    [consumer] = template.stream_consumers()
    assert (consumer.function, consumer.table) == ("ChangesFunction", "Table")
    assert consumer.partial_failures and consumer.bisect_on_error
    assert 0 < consumer.max_retries <= 10
    assert consumer.on_failure_queue in template.failure_queues()


def test_every_failure_queue_and_the_stream_consumers_lag_raise_an_alarm_to_the_topic() -> None:
    alarms = template.resources("AWS::CloudWatch::Alarm").values()
    watched_queues = {
        d["Value"]["Fn::GetAtt"][0]
        for a in alarms
        if a["Properties"]["Namespace"] == "AWS/SQS"
        for d in a["Properties"]["Dimensions"]
    }
    assert watched_queues == template.failure_queues()
    lambda_metrics = {
        (a["Properties"]["MetricName"], a["Properties"]["Dimensions"][0]["Value"]["Ref"])
        for a in alarms
        if a["Properties"]["Namespace"] == "AWS/Lambda"
    }
    assert ("IteratorAge", "ChangesFunction") in lambda_metrics
    assert ("AsyncEventsDropped", "SchedulesFunction") in lambda_metrics  # invoked asynchronously by the scheduler
    for alarm in alarms:
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    subscription = template.load()["Resources"]["AlarmEmailSubscription"]
    assert subscription["Properties"]["Endpoint"] == {"Ref": "AlarmEmail"}
    for _, _, props in template._events("ScheduleV2"):
        assert props["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["SchedulesDLQ", "Arn"]}}


def test_tracing_is_active_and_every_function_opens_a_tracer_subsegment(
    aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tracing: Active stays because the code traces: Powertools' Tracer (botocore patched only) costs
    about 9 ms of init CPU and 0.1 ms per AWS call, measured; each invocation is a subsegment."""
    import contextlib
    import threading
    import warnings

    from aws_xray_sdk.core import xray_recorder

    assert template.load()["Globals"]["Function"]["Tracing"] == "Active"
    here, original, opened = threading.get_ident(), xray_recorder.in_subsegment, []

    class Opened(Exception):
        pass

    def in_subsegment(name: str | None = None, **kwargs: Any) -> Any:
        if threading.get_ident() != here:  # any other thread (a poller of a local stack) traces as before
            return original(name, **kwargs)
        opened.append(name)
        raise Opened  # stops the invocation before the handler's own work

    monkeypatch.setattr(xray_recorder, "in_subsegment", in_subsegment)
    untraced = set()
    for function in template.functions():
        opened.clear()
        with contextlib.suppress(Exception), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the stream consumer's "no application metrics to publish"
            shared_host().invoke(function, {})
        if not (opened and str(opened[0]).startswith("## ")):
            untraced.add(function)
    assert untraced == set()
