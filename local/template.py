"""Reads template.yaml: the one source of tables, queues, routes, consumers and schedules.

The unit tests (moto) and the local stack (DynamoDB Local, moto server) both build
their resources from what this module reads, so there is no second copy of a key
schema, an index, a route or a redrive policy anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"


class _CfnLoader(yaml.SafeLoader):
    """YAML loader that keeps CloudFormation's short-form intrinsics as their long form."""


def _intrinsic(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if tag_suffix == "Ref" else f"Fn::{tag_suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if tag_suffix == "GetAtt":
            value = str(value).split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CfnLoader.add_multi_constructor("!", _intrinsic)


@cache
def load() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=_CfnLoader)  # noqa: S506 - a SafeLoader subclass
    return doc


def resources(kind: str) -> dict[str, dict[str, Any]]:
    return {name: res for name, res in load()["Resources"].items() if res["Type"] == kind}


# ---------------------------------------------------------------- DynamoDB


def table_definitions() -> dict[str, dict[str, Any]]:
    """CreateTable arguments (without TableName) for every table, keyed by logical id."""
    out: dict[str, dict[str, Any]] = {}
    for name, res in resources("AWS::DynamoDB::Table").items():
        props = res["Properties"]
        spec: dict[str, Any] = {
            "AttributeDefinitions": props["AttributeDefinitions"],
            "KeySchema": props["KeySchema"],
            "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if props.get("GlobalSecondaryIndexes"):
            spec["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
        if props.get("LocalSecondaryIndexes"):
            spec["LocalSecondaryIndexes"] = props["LocalSecondaryIndexes"]
        if props.get("StreamSpecification"):
            spec["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
        out[name] = spec
    return out


# ---------------------------------------------------------------- SQS


@dataclass(frozen=True)
class QueueDef:
    logical_id: str
    visibility_timeout: int
    dead_letter_queue: str | None
    max_receive_count: int | None


def queue_definitions() -> list[QueueDef]:
    """Queues in dependency order: dead-letter queues before the queues that use them."""
    defs = []
    for name, res in resources("AWS::SQS::Queue").items():
        props = res.get("Properties") or {}
        redrive = props.get("RedrivePolicy") or {}
        dlq = redrive.get("deadLetterTargetArn", {}).get("Fn::GetAtt", [None])[0] if redrive else None
        defs.append(
            QueueDef(
                logical_id=name,
                visibility_timeout=int(props.get("VisibilityTimeout", 30)),
                dead_letter_queue=dlq,
                max_receive_count=int(redrive["maxReceiveCount"]) if redrive else None,
            )
        )
    return sorted(defs, key=lambda q: q.dead_letter_queue is not None)


def bucket_names() -> list[str]:
    return list(resources("AWS::S3::Bucket"))


def kms_key_aliases() -> dict[str, list[str]]:
    """Each KMS key's logical id -> the logical ids of its aliases."""
    aliases = resources("AWS::KMS::Alias")
    return {
        key: [name for name, alias in aliases.items() if alias["Properties"]["TargetKeyId"] == {"Ref": key}]
        for key in resources("AWS::KMS::Key")
    }


# ---------------------------------------------------------------- functions


@dataclass(frozen=True)
class Route:
    function: str
    method: str
    path: str
    public: bool

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def pattern(self) -> re.Pattern[str]:
        regex = re.sub(r"\\\{([a-zA-Z_]+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.path))
        return re.compile(f"^{regex}$")

    @property
    def specificity(self) -> tuple[int, int]:
        """API Gateway prefers the route with more literal segments."""
        segments = self.path.strip("/").split("/")
        return (sum(not s.startswith("{") for s in segments), len(segments))


@dataclass(frozen=True)
class Consumer:
    function: str
    queue: str
    batch_size: int
    partial_failures: bool


@dataclass(frozen=True)
class Schedule:
    function: str
    name: str
    expression: str
    timezone: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FunctionDef:
    logical_id: str
    code_uri: str
    handler: str
    environment: dict[str, Any]
    timeout_s: int = 3
    memory_mb: int = 128
    layers: tuple[str, ...] = ()  # logical ids: Globals' first, then its own (SAM appends lists)

    @property
    def module_path(self) -> Path:
        module = self.handler.rsplit(".", 1)[0]
        return ROOT / self.code_uri / f"{module.replace('.', '/')}.py"

    @property
    def handler_name(self) -> str:
        return self.handler.rsplit(".", 1)[1]


@cache
def functions() -> dict[str, FunctionDef]:
    globals_ = load().get("Globals", {}).get("Function", {})
    global_env = globals_.get("Environment", {}).get("Variables", {})
    out = {}
    for name, res in resources("AWS::Serverless::Function").items():
        props = res["Properties"]
        env = {**global_env, **(props.get("Environment", {}).get("Variables", {}))}
        timeout = int(props.get("Timeout", globals_.get("Timeout", 3)))
        memory = int(props.get("MemorySize", globals_.get("MemorySize", 128)))
        layers = tuple(ref["Ref"] for ref in [*globals_.get("Layers", []), *props.get("Layers", [])])
        out[name] = FunctionDef(name, props["CodeUri"], props["Handler"], env, timeout, memory, layers)
    return out


def _events(event_type: str) -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for name, res in resources("AWS::Serverless::Function").items():
        for event_name, event in (res["Properties"].get("Events") or {}).items():
            if event["Type"] == event_type:
                found.append((name, event_name, event.get("Properties") or {}))
    return found


def routes() -> list[Route]:
    default_auth = "DefaultAuthorizer" in str(load())  # the HttpApi sets one; routes opt out with NONE
    out = []
    for fn, _, props in _events("HttpApi"):
        public = props.get("Auth", {}).get("Authorizer") == "NONE" or not default_auth
        out.append(Route(fn, props["Method"].upper(), props["Path"], public))
    return sorted(out, key=lambda r: r.specificity, reverse=True)


def consumers() -> list[Consumer]:
    out = []
    for fn, _, props in _events("SQS"):
        queue = props["Queue"]["Fn::GetAtt"][0]
        partial = "ReportBatchItemFailures" in (props.get("FunctionResponseTypes") or [])
        out.append(Consumer(fn, queue, int(props.get("BatchSize", 10)), partial))
    return out


@dataclass(frozen=True)
class StreamConsumer:
    """A function on a table's stream, as its event source mapping is configured."""

    function: str
    table: str
    batch_size: int
    partial_failures: bool
    bisect_on_error: bool
    max_retries: int
    on_failure_queue: str | None


def stream_consumers() -> list[StreamConsumer]:
    out = []
    for fn, _, props in _events("DynamoDB"):
        destination = (props.get("DestinationConfig") or {}).get("OnFailure", {}).get("Destination")
        out.append(
            StreamConsumer(
                function=fn,
                table=props["Stream"]["Fn::GetAtt"][0],
                batch_size=int(props.get("BatchSize", 100)),
                partial_failures="ReportBatchItemFailures" in (props.get("FunctionResponseTypes") or []),
                bisect_on_error=bool(props.get("BisectBatchOnFunctionError", False)),
                max_retries=int(props.get("MaximumRetryAttempts", -1)),
                on_failure_queue=destination["Fn::GetAtt"][0] if isinstance(destination, dict) else None,
            )
        )
    return out


def failure_queues() -> set[str]:
    """Queues where failed work ends up: dead-letter queues, stream consumers' on-failure
    destinations and the schedules' dead-letter queues (each alarmed on any message)."""
    out = {q.dead_letter_queue for q in queue_definitions() if q.dead_letter_queue}
    out |= {c.on_failure_queue for c in stream_consumers() if c.on_failure_queue}
    for _, _, props in _events("ScheduleV2"):
        arn = (props.get("DeadLetterConfig") or {}).get("Arn")
        if isinstance(arn, dict):
            out.add(arn["Fn::GetAtt"][0])
    return out


def schedules() -> list[Schedule]:
    out = []
    for fn, event_name, props in _events("ScheduleV2"):
        payload = props.get("Input")
        out.append(
            Schedule(
                function=fn,
                name=str(props.get("Name") or event_name),
                expression=str(props["ScheduleExpression"]),
                timezone=str(props.get("ScheduleExpressionTimezone", "UTC")),
                payload=yaml.safe_load(payload) if isinstance(payload, str) else {},
            )
        )
    return out


def parameter_defaults() -> dict[str, str]:
    return {name: str(p.get("Default", "")) for name, p in (load().get("Parameters") or {}).items()}
