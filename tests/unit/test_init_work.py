"""What a cold start's first request would otherwise pay at the function's CPU share (7 % of a
vCPU at 128 MB) is done at init, which Lambda runs at a whole vCPU (bench.lambda_cpu measures it):
the first request after the import makes no AWS client and builds no route's validation models."""

from __future__ import annotations

import sys
from typing import Any
from unittest.mock import patch

import boto3
import pytest

from local.functions import FunctionHost
from tests.helpers import Api


def _no_new_handles() -> Any:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a client or resource made by the request, not at init")

    return patch.multiple(boto3.session.Session, client=refuse, resource=refuse)


@pytest.mark.parametrize(
    ("function", "method", "path", "role"),
    [
        ("JobsFunction", "GET", "/jobs", "participant"),
        ("OrganisationsFunction", "GET", "/organisations", "admin"),
        ("ReportsFunction", "GET", "/reports", "admin"),
    ],
)
def test_the_first_request_after_the_import_makes_no_handle(
    aws: dict[str, Any], function: str, method: str, path: str, role: str
) -> None:
    host = FunctionHost()  # a fresh instance: this test's import is the cold start
    api = Api(host)
    host.handler(function)  # the import, as Lambda's init
    app = sys.modules[f"tremplin_fn_{function}_{host.instances(function)}"].app
    routes = [*app._static_routes, *app._dynamic_routes]
    assert routes and all(r._dependant is not None for r in routes)  # built at the import
    with _no_new_handles():
        answer = api.call(method, path, token=api.token(role, participant_id="par_x"))
    assert answer.status == 200, answer.body
