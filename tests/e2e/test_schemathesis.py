"""Schemathesis against the running local stack's own /openapi.json, as every role and
without a token: no answer is a 5xx, and every answer is one the document describes
(status code, content type, body schema, headers).

Paths with ids draw either a generated id or the id of a real resource seeded below, so
the operations reach their handlers' real work, not only their 404s. `FUZZ_EXAMPLES`
bounds the examples per operation and role (small in `make test`; `make fuzz` sets a large
number).

Schemathesis' Python API drives it (one Hypothesis test per operation, inside one pytest test
per role) rather than `schemathesis.pytest.from_fixture(...).parametrize()`: the schema can
only be loaded once the session's stack runs, and that lazy loader sets `request.node._nodeid`,
which pytest 9 no longer has (AttributeError before any request is made).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.e2e.conftest import Stack
from tests.helpers import job_body, org_body, participant_body, shift_body

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("stack")]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
ROLES = ("participant", "employer", "caseworker", "admin", "anonymous")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@dataclass
class Seeded:
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, list[str]] = field(default_factory=dict)


def _ok(answer: tuple[int, Any], status: int = 201) -> Any:
    assert answer[0] == status, answer
    return answer[1]


@pytest.fixture(scope="module")
def seeded(stack: Stack) -> Seeded:
    """One of everything, made through the API: an organisation with a published job (two
    future shifts), an active participant in the caseworker's caseload with an application
    the employer has offered and one still applied, and a report."""
    admin = stack.token("admin", "fuzz-admin")
    caseworker = stack.token("caseworker", "fuzz-caseworker")
    org = _ok(stack.request("POST", "/organisations", org_body(name="Fuzz AG"), admin))
    employer = stack.token("employer", "fuzz-employer", org_id=org["org_id"])
    shifts = [
        shift_body("2031-03-03T08:00:00+01:00", "2031-03-03T12:00:00+01:00", slots=3),
        shift_body("2031-03-04T08:00:00+01:00", "2031-03-04T12:00:00+01:00", slots=3),
    ]
    job = _ok(stack.request("POST", "/jobs", job_body(*shifts, publish=True), employer))
    draft = _ok(stack.request("POST", "/jobs", job_body(*shifts, title="A draft"), employer))
    participant_ids, application_ids, participant = [], [], ""
    for n in range(2):
        enrolled = _ok(
            stack.request("POST", "/participants", participant_body(email=f"fuzz{n}@example.ch"), caseworker)
        )
        pid = enrolled["participant_id"]
        participant_ids.append(pid)
        token = stack.token("participant", f"fuzz-participant-{n}", participant_id=pid)
        _ok(stack.request("POST", "/me/consent", {"version": "2026-01"}, token), 200)
        applied = _ok(stack.request("POST", f"/shifts/{job['shifts'][n]['shift_id']}/applications", {}, token))
        application_ids.append(applied["application_id"])
        participant = participant or token
    _ok(stack.request("POST", f"/applications/{application_ids[0]}/accept", None, employer), 200)
    report = _ok(stack.request("POST", "/reports", {"type": "programme", "period": "2031-02"}, admin), 202)
    return Seeded(
        tokens={"participant": participant, "employer": employer, "caseworker": caseworker, "admin": admin},
        ids={
            "org_id": [org["org_id"]],
            "job_id": [job["job_id"], draft["job_id"]],
            "shift_id": [s["shift_id"] for s in job["shifts"]],
            "participant_id": participant_ids,
            "application_id": application_ids,
            "report_id": [report["report_id"]],
        },
    )


@pytest.fixture(scope="module")
def api_schema(stack: Stack, seeded: Seeded) -> schemathesis.BaseSchema:
    schema = schemathesis.openapi.from_url(f"{stack.base}/openapi.json")

    @schema.hook
    def flatmap_path_parameters(context: schemathesis.HookContext, path_parameters: dict[str, Any]) -> Any:
        # As generated, or with one id swapped for a real one of its kind.
        if not path_parameters:
            return st.just(path_parameters)
        choices = [path_parameters]
        for name in path_parameters:
            choices += [{**path_parameters, name: real} for real in seeded.ids.get(name, [])]
        return st.sampled_from(choices)

    return schema


def _cases(operation: schemathesis.APIOperation, headers: dict[str, str]) -> st.SearchStrategy[schemathesis.Case]:
    """Valid requests and, where the operation takes any input, invalid ones. `headers` are
    fixed (the role's token): without them schemathesis makes up bearer tokens of its own."""
    strategies = [operation.as_strategy(GenerationMode.POSITIVE, headers=headers)]
    takes_input = any(list(group) for group in (operation.body, operation.path_parameters, operation.query))
    if takes_input:
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE, headers=headers))
    return st.one_of(strategies)


@pytest.mark.parametrize("role", ROLES)
def test_every_answer_matches_the_document(api_schema: schemathesis.BaseSchema, seeded: Seeded, role: str) -> None:
    token = seeded.tokens.get(role)
    # Without a token, schemathesis sends none or makes one up: 401 either way.
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 50, "the document lists every route"

    for operation in operations:

        @given(case=_cases(operation, headers))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,  # a 2-core machine shared with other tests: time is not what is checked
            suppress_health_check=list(HealthCheck),
            database=None,
            print_blob=True,
        )
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(checks=CHECKS, timeout=60)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # report each operation's failures; run them all
            failures.append(f"{operation.label} as {role}: {type(exc).__name__}\n{exc}")
    assert not failures, "\n\n".join(failures)
