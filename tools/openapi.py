"""Generates the OpenAPI document of every HTTP function and writes it where the docs
function serves it from. `--check` fails when the committed document is out of date.

    python tools/openapi.py [--check]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "layers" / "shared" / "python")]

from aws_lambda_powertools.event_handler.openapi.merge import OpenAPIMerge  # noqa: E402
from aws_lambda_powertools.event_handler.openapi.models import Server  # noqa: E402
from pydantic import TypeAdapter  # noqa: E402

from local import template  # noqa: E402
from tools.generated import write_or_check  # noqa: E402
from tremplin.api import IDEMPOTENCY_HEADER, IDEMPOTENT_METHODS, MAX_IDEMPOTENCY_KEY, NOT_REPLAYED  # noqa: E402
from tremplin.models.webhooks import InboundEvent  # noqa: E402

OUTPUT = ROOT / "functions" / "docs" / "openapi.json"
DESCRIPTION = (
    "Tremplin: short jobs that lead people from social assistance back into work. "
    "Every route but /health, /openapi.json, /docs and the signed partner webhook needs "
    '`Authorization: Bearer <JWT>`. Errors: {"error": {"code", "message", "details"}}; '
    'lists: ?limit= (1-200, default 50) and ?cursor= -> {"items", "next_cursor"}. '
    "Changes (POST, PUT, PATCH, DELETE) take an optional `Idempotency-Key` header: a repeat within 24 h "
    "gets the first answer again."
)


ERROR_REF = "#/components/schemas/Error"


def _error_schema(title: str, details: dict[str, Any], code: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": title,
        "description": "The contract's error body (API.md).",
        "type": "object",
        "required": ["error"],
        "additionalProperties": False,
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "details"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$", **code},
                    "message": {"type": "string", "description": "a human sentence"},
                    "details": {"type": "array", "items": details},
                },
            }
        },
    }


ERROR_SCHEMA = _error_schema(
    "Error",
    {"type": "object", "description": "what the rule concerns, e.g. {action, status} for a transition"},
    {"description": "snake_case; names the rule"},
)
# 422: every detail names a field.
VALIDATION_ERROR_SCHEMA = _error_schema(
    "ValidationFailure", {"$ref": "#/components/schemas/ErrorDetail"}, {"const": "validation_failed"}
)
ERROR_DETAIL_SCHEMA: dict[str, Any] = {
    "title": "ErrorDetail",
    "type": "object",
    "required": ["field", "message"],
    "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
}
# API Gateway's JWT authorizer refuses a missing or invalid token itself, before any function
# runs, and HTTP APIs cannot shape that answer; the local stack answers in the contract's format.
GATEWAY_UNAUTHORIZED_SCHEMA: dict[str, Any] = {
    "title": "GatewayUnauthorized",
    "type": "object",
    "required": ["message"],
    "properties": {"message": {"type": "string", "const": "Unauthorized"}},
}
ERRORS = {
    400: "Malformed JSON (`malformed_json`) or a cursor that is not this list's (`invalid_cursor`)",
    401: "No valid bearer token (`unauthorized`); for the partner webhook, a bad signature (`invalid_signature`)",
    403: (
        "The caller's role may not use this route (`forbidden`); a caseworker's or admin's token from an "
        "account without an authenticator app (TOTP) set up, or whose set-up could not be checked at sign-in "
        "(`mfa_required`): set one up, then sign in again"
    ),
    404: "Not found, or not visible to the caller (`not_found`)",
    409: (
        "A state rule was broken; the code names it (e.g. `invalid_transition`, `shift_full`); nothing changed. "
        "Also: the Idempotency-Key was used for another request (`idempotency_key_reused`), or its first "
        "request is still being answered (`idempotency_key_in_use`, try again in a moment)"
    ),
    413: "The body is larger than the route accepts (`payload_too_large`)",
    422: "Validation failed (`validation_failed`); details name each field",
    503: (
        "The platform is busy (`service_unavailable`): try again; after a lost answer the message says"
        " the change may have been saved"
    ),
}
WEBHOOK_HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")
IDEMPOTENCY_REF = "#/components/parameters/IdempotencyKey"
IDEMPOTENCY_PARAMETER: dict[str, Any] = {
    "in": "header",
    "name": IDEMPOTENCY_HEADER,
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_IDEMPOTENCY_KEY, "pattern": "^[!-~]+$"},
    "description": (
        "A key of the caller's choosing (a UUID, say), new for each action. A repeat of the same request "
        "(route, path, query and body) under the same key by the same caller within 24 h changes nothing "
        "more and gets the first answer (status and body) again, marked `Idempotent-Replayed: true`; "
        "only successes are kept, so a refused request may be sent again under its key. The same key on "
        "another request is a 409 `idempotency_key_reused`; while the first is still being answered, a "
        "409 `idempotency_key_in_use`. Keys are per caller (token subject and role)."
    ),
}


def takes_idempotency_key(method: str, path: str, public: bool) -> bool:
    """Mutating routes that need a token, except those whose answer is never kept (tremplin.api)."""
    return method.upper() in IDEMPOTENT_METHODS and not public and f"{method.upper()} {path}" not in NOT_REPLAYED


def error_statuses(method: str, path: str, operation: dict[str, Any], public: bool) -> set[int]:
    """The error answers an operation can give, from what it takes (token, path ids, query,
    body) and what it does (writes to an existing resource can break a state rule)."""
    params = operation.get("parameters", [])
    in_path = any(p.get("in") == "path" for p in params)
    query = {p["name"] for p in params if p.get("in") == "query"}
    body = "requestBody" in operation
    statuses: set[int] = set()
    if not public:
        # Any read or write may meet DynamoDB throttling: 503, nothing changed.
        statuses |= {401, 403, 503}
        # A participant's own routes read the participant the token names.
        own = path.startswith("/me") and path != "/me/notifications"
        if in_path or own:
            statuses.add(404)
        # Creating or changing a job, shift, application or participant can break a state rule
        # (a suspended organisation, an e-mail address enrolled already, a transition);
        # organisations and report requests have no such rules.
        if method in {"post", "put", "patch"} and not path.startswith(("/organisations", "/reports")):
            statuses.add(409)
    elif path.startswith("/webhooks/partners/"):
        statuses |= {401, 503}  # signed instead of a token; queued before the 202
    elif in_path:
        # A public read by a secret or code in the path (a paper's verification code, a calendar
        # feed's URL): an unknown one is 404, and it reads the table (503 when busy).
        statuses |= {404, 503}
    if body:
        statuses |= {400, 413, 422}
    if query:
        statuses.add(422)
    if (method, path) == ("post", "/reports"):
        statuses.add(404)  # an employer report names its organisation, which the caller must see
    if (method, path) in {("post", "/regular-offers"), ("get", "/regular-offers")}:
        statuses.add(404)  # the participant it names (body, query) must be one the caller may reach
    if "cursor" in query:
        statuses.add(400)
    # Papers for the next step: an erased participant's confirmation.
    if (method, path) == ("get", "/participants/{participant_id}/work-confirmation"):
        statuses.add(409)
    if {"$ref": IDEMPOTENCY_REF} in params:
        statuses |= {409, 422}  # the key used for another request, or still in use; a malformed key
    return statuses


def _error_response(status: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"$ref": ERROR_REF}
    if status == 422:
        schema = {"$ref": "#/components/schemas/ValidationFailure"}
    if status == 401:
        schema = {"anyOf": [schema, {"$ref": "#/components/schemas/GatewayUnauthorized"}]}
    return {"description": ERRORS[status], "content": {"application/json": {"schema": schema}}}


def _error_ref(status: int) -> dict[str, str]:
    return {"$ref": f"#/components/responses/Error{status}"}


def _document_partner_webhook(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    """The partner webhook reads its body raw (it must verify the signature over the exact
    bytes before parsing), so its resolver cannot describe it: say here what it takes."""
    adapter: TypeAdapter[Any] = TypeAdapter(InboundEvent)
    event_schema = adapter.json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in event_schema.pop("$defs", {}).items():
        if schemas.setdefault(name, definition) != definition:
            raise RuntimeError(f"the inbound event's schema {name} differs from the API's")
    schemas["InboundEvent"] = {"title": "InboundEvent", **event_schema}
    operation["requestBody"] = {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InboundEvent"}}},
    }
    operation["parameters"] = [
        *operation.get("parameters", []),
        *(
            {
                "in": "header",
                "name": name,
                "required": True,
                "schema": {"type": "string"},
                "description": "Standard Webhooks",
            }
            for name in WEBHOOK_HEADERS
        ),
    ]


def generate() -> str:
    merge = OpenAPIMerge(
        title="Tremplin API",
        version="1.0.0",
        description=DESCRIPTION,
        servers=[Server(url="/")],
        security_schemes={"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},  # type: ignore[dict-item]
        on_conflict="error",
    )
    http_functions = {r.function for r in template.routes()}
    for name, fn in sorted(template.functions().items()):
        if name in http_functions:
            merge.add_file(fn.module_path)
    schema = json.loads(merge.get_openapi_json_schema())
    public = {(r.method.lower(), r.path) for r in template.routes() if r.public}
    schemas = schema["components"]["schemas"]
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if (method, path) not in public:
                operation["security"] = [{"bearer": []}]
            if path.startswith("/webhooks/partners/"):
                _document_partner_webhook(operation, schemas)
            if takes_idempotency_key(method, path, (method, path) in public):
                operation["parameters"] = [*operation.get("parameters", []), {"$ref": IDEMPOTENCY_REF}]
            responses = operation["responses"]
            responses.pop("422", None)  # Powertools' own validation body; ours is the contract's
            for status in sorted(error_statuses(method, path, operation, (method, path) in public)):
                responses[str(status)] = _error_ref(status)
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas.update(
        Error=ERROR_SCHEMA,
        ValidationFailure=VALIDATION_ERROR_SCHEMA,
        ErrorDetail=ERROR_DETAIL_SCHEMA,
        GatewayUnauthorized=GATEWAY_UNAUTHORIZED_SCHEMA,
    )
    schema["components"]["responses"] = {f"Error{status}": _error_response(status) for status in ERRORS}
    schema["components"]["parameters"] = {"IdempotencyKey": IDEMPOTENCY_PARAMETER}
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def main() -> int:
    return write_or_check(OUTPUT, generate, "make openapi", ROOT)


if __name__ == "__main__":
    sys.exit(main())
