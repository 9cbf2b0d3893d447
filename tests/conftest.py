from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from local import resources
from tests.helpers import Api, PartnerReceiver

# No test ever reaches real AWS: fake credentials for the whole session.
resources.fake_credentials()
for var in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
    os.environ.pop(var, None)


def _apply_environment(refs: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from tremplin.data import reset

    for key, value in resources.function_environment(refs).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("LOCAL_STACK", "true")
    reset()


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """moto in process, with every resource of template.yaml built from its own definitions."""
    from moto import mock_aws

    with mock_aws():
        refs = resources.provision("test")
        _apply_environment(refs, monkeypatch)
        yield refs
    from tremplin.data import reset

    reset()


@pytest.fixture
def api(aws: dict[str, Any]) -> Api:
    return Api()


@pytest.fixture
def table_name(aws: dict[str, Any]) -> str:
    return str(aws["Table"])


@pytest.fixture(autouse=True)
def _real_time() -> Iterator[None]:
    yield
    from tremplin import clock

    clock.pin(None)


@pytest.fixture
def partner_receiver() -> Iterator[PartnerReceiver]:
    """A partner's webhook endpoint on loopback that records each delivery (headers and body)
    and answers 204, or what the test tells it (`answer`: a status, failures first, a delay)."""
    with PartnerReceiver() as receiver:
        yield receiver
