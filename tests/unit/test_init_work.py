"""What a cold start's first request would otherwise pay at the function's CPU share (7 % of a
vCPU at 128 MB) is done at init, which Lambda runs at a whole vCPU (bench.lambda_cpu measures it):
the first request after the import makes no AWS client and builds no route's validation models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest.mock import patch

import boto3
import pytest

from local import iam, template
from local.functions import FunctionHost
from tests.helpers import Api
from tremplin.api import NOT_REPLAYED


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


BUILT_AT_INIT = """
import app
from tremplin.models import Model, build_all
def every(model): return [model, *(m for sub in model.__subclasses__() for m in every(sub))]
print(len(every(Model)), build_all())
"""


@pytest.mark.parametrize("function", ["participants", "jobs", "notifier"])
def test_the_import_builds_every_model_so_no_request_does(function: str) -> None:
    """In a fresh interpreter, as Lambda's init: after the import nothing is left for build_all."""
    root = Path(__file__).resolve().parents[2]
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root / "layers" / "shared" / "python"), "TABLE_NAME": "t"}
    command = [sys.executable, "-c", BUILT_AT_INIT]
    run = subprocess.run(command, cwd=root / "functions" / function, env=env, capture_output=True, text=True)  # noqa: S603
    assert run.returncode == 0, run.stderr
    defined, left = map(int, run.stdout.split())
    assert defined > 20 and left == 0


LIBRARIES_AFTER_INIT = """
import sys
import app
print("email_validator" in sys.modules, "phonenumbers" in sys.modules, "fpdf" in sys.modules)
"""


@pytest.mark.parametrize(
    ("function", "loaded"),
    [
        ("participants", "email phone"),
        ("organisations", "email"),
        ("pay", "pdf"),
        ("jobs", ""),
        ("notifier", ""),
    ],
)
def test_the_import_loads_a_library_only_where_a_route_needs_it(function: str, loaded: str) -> None:
    """email_validator's first use cost POST /organisations 38 ms of CPU at one vCPU, several CFS
    periods at 256 MB: a function whose routes take an address or a number loads the check at
    init; the others never load it. So with fpdf2 (0.2 s of import): a pay sandbox's first PDF
    took 0.3 s at 1,024 MB, 1.5 s at 256 MB, when it imported fpdf2 itself."""
    root = Path(__file__).resolve().parents[2]
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root / "layers" / "shared" / "python"), "TABLE_NAME": "t"}
    command = [sys.executable, "-c", LIBRARIES_AFTER_INIT]
    run = subprocess.run(command, cwd=root / "functions" / function, env=env, capture_output=True, text=True)  # noqa: S603
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [str(name in loaded.split()) for name in ("email", "phone", "pdf")]


CODEC_AFTER_INIT = """
import sys
import app
from tremplin.data import idempotency
print("encodings.idna" in sys.modules, bool(idempotency._held))
"""
CHANGING = {  # functions with a replayable change: the web app sends each change an Idempotency-Key
    Path(template.functions()[r.function].code_uri).name
    for r in template.routes()
    if r.method != "GET" and not r.public and r.route_key not in NOT_REPLAYED
}
FUNCTIONS_WITH_AWS_CALLS = sorted(
    p.parent.name for p in Path(__file__).resolve().parents[2].glob("functions/*/app.py") if p.parent.name != "docs"
)


@pytest.mark.parametrize("function", FUNCTIONS_WITH_AWS_CALLS)
def test_the_import_loads_the_codec_of_the_first_connection(function: str) -> None:
    """A first connection encodes the host name with the IDNA codec (three modules to import):
    at init, not in the first request (bench.lambda_cpu's worker saw it in every function's).
    So is the idempotency utility's persistence layer, in the functions that change things."""
    assert _after_import_in_a_region(function, CODEC_AFTER_INIT) == ["True", str(function in CHANGING)]


def _after_import_in_a_region(function: str, script: str) -> list[str]:
    """What `script` prints after the function's import in a fresh interpreter, as in Lambda:
    with a region and credentials, so init makes its handles."""
    root = Path(__file__).resolve().parents[2]
    region = {"AWS_REGION": "eu-central-2", "AWS_DEFAULT_REGION": "eu-central-2"}
    keys = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root / "layers" / "shared" / "python"), "TABLE_NAME": "t"}
    command = [sys.executable, "-c", script]
    run = subprocess.run(  # noqa: S603
        command, cwd=root / "functions" / function, env=env | region | keys, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.split()


def test_no_request_of_the_route_walk_makes_a_client(aws: dict[str, Any]) -> None:
    """Every route (tests/route_walk.py) after its function's import: the clients it uses (KMS for
    a webhook secret, SQS to queue a report, S3 for a report's links, ...) were made at init."""
    from tests.route_walk import walk

    host = FunctionHost()  # fresh instances: their imports are the cold starts
    for function in {route.function for route in template.routes()}:
        host.handler(function)
    made: list[str] = []

    def record(original: Any) -> Any:
        def create(self: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
            made.append(f"{iam.acting.get()}: {service_name}")
            return original(self, service_name, *args, **kwargs)

        return create

    session = boto3.session.Session
    with patch.multiple(session, client=record(session.client), resource=record(session.resource)):
        walk(Api(host))
    assert made == []


READ_THREADS_AFTER_INIT = """
import threading
import app
print(sum(t.name.startswith("read") for t in threading.enumerate()))
"""


@pytest.mark.parametrize(
    ("function", "threads"),
    [("participants", 6), ("pay", 6), ("jobs", 6), ("webhook_consumer", 6), ("webhooks", 6), ("organisations", 0)],
)
def test_the_import_makes_the_read_threads_where_routes_read_in_parallel(function: str, threads: int) -> None:
    """Each pool thread's table handle is 3 ms of CPU at a whole vCPU: made at init in the
    functions whose routes read in parallel (tremplin.data.parallel), nowhere else."""
    assert _after_import_in_a_region(function, READ_THREADS_AFTER_INIT) == [str(threads)]


def test_every_client_a_function_uses_is_made_at_its_init(aws: dict[str, Any]) -> None:
    """The other clients (KMS, SQS, S3, ...) are shared by the process here, so a client one
    function made at its init would hide another's lazy one from the test above: this records,
    by acting function, the clients each import asks for, then those every route of the walk and
    every queue and stream consumer after it use (the webhooks function opened its first
    secret with a KMS client it made then: 25 ms of CPU at a whole vCPU, at 256 MB's share ~170)."""
    from tests.helpers import drain
    from tests.route_walk import walk
    from tremplin.data import dynamo

    asked: dict[str, set[tuple[str, str]]] = {"init": set(), "requests": set()}
    phase = ["init"]

    class Recording(dict[str, Any]):
        def __getitem__(self, service: str) -> Any:
            asked[phase[0]].add((str(iam.acting.get()), service))
            return super().__getitem__(service)

    host = FunctionHost()  # fresh instances: their imports are the cold starts
    with patch.object(dynamo, "_clients", Recording(dynamo._clients)):
        for function in template.functions():
            host.handler(function)
        phase[0] = "requests"
        walk(Api(host))
        drain(aws)
    # The schedules function makes its handles when it runs, on purpose: nobody waits for it (README).
    lazy = asked["requests"] - asked["init"] - {("SchedulesFunction", s) for _, s in asked["requests"]}
    assert asked["requests"] and lazy == set()


def test_the_docs_page_is_built_at_init(aws: dict[str, Any]) -> None:
    """GET /docs joined 1.7 MB of Swagger UI's files on every call (13 ms of CPU): the import
    builds the page, so no request reads a file."""
    host = FunctionHost()  # a fresh instance: this test's import is the cold start
    api = Api(host)
    host.handler("DocsFunction")

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a file read by the request, not at init")

    with patch.object(Path, "read_text", refuse):
        answer = api.call("GET", "/docs")
    assert answer.status == 200 and "swagger-ui" in str(answer.body)
