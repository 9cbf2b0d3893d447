"""What every HTTP function shares: the contract's error body, the caller, pagination
parameters and the Lambda entry point."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Annotated, Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from tremplin import models
from tremplin.data import idempotency, parallel
from tremplin.data.dynamo import begin_call, prepare_handles, region_known
from tremplin.errors import (
    BadRequest,
    Conflict,
    DomainError,
    Forbidden,
    PayloadTooLarge,
    ServiceUnavailable,
    field_error,
)
from tremplin.identity import Caller, Role, caller_from_event

logger = Logger()
# Tracing: Active in template.yaml. botocore only: the AWS calls are what a trace needs, and patching
# everything (sqlite3, http.client, requests...) costs init time for modules the functions never use.
# Disabled outside Lambda (no LAMBDA_TASK_ROOT): tests and the local stack trace nothing.
tracer = Tracer(patch_modules=("botocore",))
# Without the response: API answers hold personal data. (Typed here: with options, Powertools types it Any.)
traced: Callable[[Callable[..., Any]], Callable[..., Any]] = tracer.capture_lambda_handler(capture_response=False)

MAX_BODY_BYTES = 64 * 1024

Limit = Annotated[int, Query(ge=1, le=200, description="Page size (default 50, max 200).")]
Cursor = Annotated[str | None, Query(description="Opaque cursor from the previous page's next_cursor.")]


def error_body(code: str, message: str, details: list[Any] | None = None) -> str:
    return json.dumps({"error": {"code": code, "message": message, "details": details or []}})


def error_response(status: int, code: str, message: str, details: list[Any] | None = None) -> Response[Any]:
    return Response(
        status_code=status, content_type=content_types.APPLICATION_JSON, body=error_body(code, message, details)
    )


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if len(parts) > 1 and parts[0] == "body":
        parts = parts[1:]  # "address.postcode", not "body.address.postcode"
    return ".".join(parts)


def install_error_handlers(app: APIGatewayHttpResolver) -> None:
    """The one place where errors become the contract's error body."""

    @app.exception_handler(DomainError)  # type: ignore[untyped-decorator]
    def _domain(exc: DomainError) -> Response[Any]:
        if exc.status >= 500:
            logger.exception("domain failure", extra={"code": exc.code})
        return error_response(exc.status, exc.code, exc.message, exc.details)

    @app.exception_handler(RequestValidationError)  # type: ignore[untyped-decorator]
    def _invalid(exc: RequestValidationError) -> Response[Any]:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(400, "malformed_json", "The request body is not valid JSON.")
        details = [{"field": _field_path(e.get("loc", ())), "message": e.get("msg", "invalid")} for e in errors]
        names = ", ".join(sorted({d["field"] for d in details}))
        return error_response(422, "validation_failed", f"Some fields are missing or invalid: {names}.", details)

    @app.not_found
    def _no_route(exc: NotFoundError) -> Response[Any]:
        return error_response(404, "not_found", "No such resource.")


def current_caller(app: APIGatewayHttpResolver) -> Caller:
    return caller_from_event(app.current_event.raw_event)


PUBLIC: frozenset[Role] = frozenset()
"""Marks a route that needs no token (health, docs, signed partner webhooks)."""

RouteRoles = dict[str, frozenset[Role]]


def roles(*allowed: Role) -> frozenset[Role]:
    return frozenset(allowed)


def _raw_error(exc: DomainError) -> dict[str, Any]:
    return {
        "statusCode": exc.status,
        "headers": {"Content-Type": content_types.APPLICATION_JSON},
        "body": error_body(exc.code, exc.message, exc.details),
    }


def _admit(event: dict[str, Any], route_roles: RouteRoles, max_body_bytes: int) -> None:
    """Token, role, size and encoding checks, before any body is parsed or validated: a caller
    without the right role learns 401/403, never which fields it got wrong."""
    allowed = route_roles.get(str(event.get("routeKey", "")))
    if allowed is None:  # fail closed: a route nobody declared is nobody's
        raise Forbidden("This route is not open to anyone.")
    if allowed:
        caller = caller_from_event(event)
        if caller.role not in allowed:
            raise Forbidden(f"This route is not open to the role '{caller.role}'.")
    if len(event.get("body") or "") > max_body_bytes:
        raise PayloadTooLarge(f"The request body is larger than {max_body_bytes} bytes.")
    if event.get("isBase64Encoded") and event.get("body"):
        # API Gateway hands over a body that is not UTF-8 text in base64. JSON is UTF-8, so such
        # a body is malformed JSON; a text body is handed on as the text it is.
        try:
            event["body"] = base64.b64decode(event["body"], validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise BadRequest("The request body is not valid JSON.", code="malformed_json") from None
        event["isBase64Encoded"] = False


# ---------------------------------------------------------------- Idempotency-Key

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENT_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
IDEMPOTENCY_SECONDS = 24 * 60 * 60
MAX_IDEMPOTENCY_KEY = 255
# Answers never stored for a replay: they hold a secret shown once (a repeat of such a request is
# a new request, whatever its key).
NOT_REPLAYED = frozenset(
    {
        "POST /organisations/{org_id}/webhook-secret",
        "POST /me/calendar",  # calendar feed (issue 20): its secret URL
    }
)


def _replayable(route: str, route_roles: RouteRoles) -> bool:
    """A mutating route that needs a token, whose answer may be given again for the same key."""
    method = route.split(" ", 1)[0].upper()
    return method in IDEMPOTENT_METHODS and bool(route_roles.get(route)) and route not in NOT_REPLAYED


def idempotency_key(event: dict[str, Any], route_roles: RouteRoles) -> str | None:
    """The caller's Idempotency-Key on a mutating route that needs a token; None: not idempotent."""
    if not _replayable(str(event.get("routeKey", "")), route_roles):
        return None
    wanted = IDEMPOTENCY_HEADER.lower()
    key = next((str(v) for k, v in (event.get("headers") or {}).items() if k.lower() == wanted), "").strip()
    if not key:
        return None
    if len(key) > MAX_IDEMPOTENCY_KEY or not all("!" <= c <= "~" for c in key):
        raise field_error(IDEMPOTENCY_HEADER, f"1 to {MAX_IDEMPOTENCY_KEY} visible ASCII characters, e.g. a UUID")
    return key


class _NotStored(Exception):
    """An answer that is not a success: Powertools drops the key's record, the answer is given once."""

    def __init__(self, answer: dict[str, Any]):
        super().__init__(answer.get("statusCode"))
        self.answer = answer


def _replayed(response: Any, idempotent_data: Any) -> Any:
    """A replayed answer says so (Powertools' response hook)."""
    if isinstance(response, dict):
        response = {**response, "headers": {**(response.get("headers") or {}), "Idempotent-Replayed": "true"}}
    return response


def idempotent_answer(
    event: dict[str, Any], context: LambdaContext, key: str, resolve: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """The first answer to this caller's key (status and body) if it was a success given within
    24 h, else `resolve()`'s, stored when it is a success. The same key on another request (route,
    path, query or body) is a 409; keys are the caller's own (token sub and role)."""
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyInconsistentStateError,
        IdempotencyPersistenceLayerError,
        IdempotencyValidationError,
    )

    from tremplin.data.idempotency import persistence

    caller = caller_from_event(event)
    request = {
        "caller": [caller.sub, caller.role.value],
        "key": key,
        "route": event.get("routeKey"),
        "path": event.get("rawPath"),
        "query": event.get("rawQueryString") or "",
        "body": event.get("body") or "",
    }
    outcome: dict[str, dict[str, Any]] = {}

    def answer(request: dict[str, Any]) -> dict[str, Any]:
        result = outcome["answer"] = resolve()
        if not 200 <= int(result.get("statusCode", 200)) < 300:
            raise _NotStored(result)
        return result

    config = IdempotencyConfig(
        event_key_jmespath="[caller, key]",
        payload_validation_jmespath="[route, path, query, body]",
        expires_after_seconds=IDEMPOTENCY_SECONDS,
        hash_function="sha256",  # keys are the caller's choice: no md5 for them
        lambda_context=context,
        response_hook=_replayed,
    )
    run = idempotent_function(
        answer, data_keyword_argument="request", persistence_store=persistence(), config=config, key_prefix="http"
    )
    try:
        return run(request=request)  # type: ignore[no-any-return]
    except _NotStored as refused:
        return refused.answer
    except IdempotencyValidationError:
        error: DomainError = Conflict(
            f"This {IDEMPOTENCY_HEADER} was used for another request (route or body); use a new key for a new action.",
            code="idempotency_key_reused",
        )
    except IdempotencyAlreadyInProgressError:
        error = Conflict(
            f"The first request with this {IDEMPOTENCY_HEADER} is still being answered; try again in a moment.",
            code="idempotency_key_in_use",
        )
    except (IdempotencyPersistenceLayerError, IdempotencyInconsistentStateError):
        if "answer" in outcome:  # the change is made (or refused) all the same: its answer stands
            logger.exception("idempotency record not updated after the answer")
            return outcome["answer"]
        logger.exception("idempotency record not written")
        error = ServiceUnavailable("The platform is busy; nothing was changed. Please try again.")
    return _raw_error(error)


def lambda_entry(
    app: APIGatewayHttpResolver,
    route_roles: RouteRoles,
    max_body_bytes: int = MAX_BODY_BYTES,
    uses_table: bool = True,
    clients: tuple[str, ...] = (),
    parallel_reads: bool = False,
    at_init: Callable[[], object] | None = None,
) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
    """Wrap a resolver as a Lambda handler: structured logs, then the route's role table.
    `clients`: the AWS services its routes call besides the table, their clients made at init.
    `parallel_reads`: its routes read in parallel (tremplin.data.parallel), threads made at init.
    `at_init`: other work every request would otherwise do, done at init (not in a tool that
    imports the functions for their routes, without a region).

    `route_roles` maps API Gateway route keys ("POST /organisations/{org_id}/suspend")
    to the roles of API.md; it is the one place that says who may call a route.
    """

    @logger.inject_lambda_context(correlation_id_path="requestContext.requestId", clear_state=True)
    @traced
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        try:
            _admit(event, route_roles, max_body_bytes)
            key = idempotency_key(event, route_roles)
        except DomainError as exc:
            return _raw_error(exc)
        # The API speaks JSON only: a body is read as JSON whatever its Content-Type claims.
        headers = event.get("headers") or {}
        event["headers"] = {
            **{k: v for k, v in headers.items() if k.lower() != "content-type"},
            "content-type": "application/json",
        }
        begin_call()  # a fresh write id; no write of unknown outcome yet
        if key is not None:
            return idempotent_answer(event, context, key, lambda: app.resolve(event, context))
        return app.resolve(event, context)

    handler.route_roles = route_roles  # type: ignore[attr-defined]
    _prepare(app, uses_table, clients)
    if parallel_reads:
        parallel.prepare()
    if at_init is not None and region_known():
        at_init()
    if uses_table and any(_replayable(route, route_roles) for route in route_roles):
        idempotency.prepare()  # the web app sends an Idempotency-Key with every change
    return handler


def _prepare(app: APIGatewayHttpResolver, uses_table: bool, clients: tuple[str, ...]) -> None:
    """What the first request would otherwise do at the function's CPU share, done at init: the
    table's handle, each route's validation models (Powertools builds them at a route's first
    call; `dependant` and `body_field` cache them on the route), our models' validators and the
    e-mail and phone checks their bodies use (models.warm_validators)."""
    if uses_table or clients:
        prepare_handles(*clients, table_too=uses_table)
    bodies: list[Any] = []
    for route in [*getattr(app, "_static_routes", []), *getattr(app, "_dynamic_routes", [])]:
        _ = route.dependant
        bodies += [route.body_field.type_] if route.body_field else []
    models.build_all()
    # The e-mail and phone checks import their libraries on first use: here, only where a body takes one.
    schemas = [b.__pydantic_core_schema__ for b in bodies if isinstance(b, type) and issubclass(b, BaseModel)]
    models.warm_validators(schemas)
