"""Integration tests: the domain against AWS's own DynamoDB Local (started and stopped
by the test session), queues and buckets on moto's server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from local import resources
from local.environment import LocalEnvironment
from tests.helpers import Api

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def local_env() -> Iterator[LocalEnvironment]:
    with LocalEnvironment(data_dir=None, prefix="it-base", keep_environment=False) as env:
        yield env


@pytest.fixture
def dynamodb_local(local_env: LocalEnvironment, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Fresh tables in DynamoDB Local for one test, built from template.yaml."""
    from tremplin.data import reset

    for key, value in local_env.environ.items():
        monkeypatch.setenv(key, value)
    refs = resources.provision(f"it-{uuid.uuid4().hex[:10]}")
    for key, value in resources.function_environment(refs).items():
        monkeypatch.setenv(key, value)
    reset()
    yield refs
    reset()
    assert os.environ.get("AWS_ENDPOINT_URL_DYNAMODB") == local_env.dynamodb.endpoint


@pytest.fixture
def api(dynamodb_local: dict[str, Any]) -> Api:
    return Api()


@pytest.fixture
def table_name(dynamodb_local: dict[str, Any]) -> str:
    return str(dynamodb_local["Table"])
