"""Every AWS call gives up before the function that makes it is killed: a request that gets no
answer from DynamoDB ends in the contract's 503, not in Lambda's timeout (an empty 502/504
from API Gateway, or a queue record retried blindly)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from botocore.config import Config
from botocore.retries.standard import ExponentialBackoff

from local import template


@pytest.fixture
def production_config(monkeypatch: pytest.MonkeyPatch) -> Iterator[Config]:
    """The boto3 configuration as deployed: without the local stack's longer read timeout."""
    from tremplin.data import dynamo
    from tremplin.settings import get_settings

    monkeypatch.delenv("AWS_READ_TIMEOUT_S", raising=False)
    get_settings.cache_clear()
    yield dynamo._boto_config()
    get_settings.cache_clear()


def worst_case_seconds(config: Config) -> float:
    """The longest one AWS call can take: every try waits its full connect and read timeouts,
    and boto3 waits its longest back-off (truncated exponential, the first up to 1 s) between
    tries."""
    options = vars(config)  # botocore sets Config's options as attributes at run time
    retries = dict(options["retries"] or {})
    tries = int(retries["total_max_attempts"]) if "total_max_attempts" in retries else int(retries["max_attempts"]) + 1
    per_try = float(options["connect_timeout"]) + float(options["read_timeout"])
    base, longest = float(vars(ExponentialBackoff)["_BASE"]), float(vars(ExponentialBackoff)["_MAX_BACKOFF"])
    return tries * per_try + sum(min(base ** (n - 1), longest) for n in range(1, tries))


def function_timeouts() -> dict[str, float]:
    default = template.load().get("Globals", {}).get("Function", {}).get("Timeout", 3)  # Lambda's own default
    resources = template.resources("AWS::Serverless::Function")
    return {name: float(resources[name]["Properties"].get("Timeout", default)) for name in template.functions()}


def test_every_aws_call_gives_up_within_the_shortest_function_timeout(production_config: Config) -> None:
    timeouts = function_timeouts()
    assert timeouts, "template.yaml declares no function"
    worst = worst_case_seconds(production_config)
    too_short = {name: seconds for name, seconds in timeouts.items() if worst >= seconds}
    assert not too_short, f"an AWS call may take {worst} s, longer than these functions may run: {too_short}"
