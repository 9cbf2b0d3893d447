"""HTTP routes of pay (API.md: /pay-scheme)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from tremplin.api import install_error_handlers, lambda_entry, roles
from tremplin.identity import Role
from tremplin.logic import pay_scheme
from tremplin.models.pay_scheme import PayScheme, PaySchemeVersion

app = APIGatewayHttpResolver(enable_validation=True)
install_error_handlers(app)

ROUTE_ROLES = {
    "GET /pay-scheme": roles(Role.ADMIN, Role.CASEWORKER, Role.EMPLOYER, Role.PARTICIPANT),
    "POST /pay-scheme/versions": roles(Role.ADMIN),
}


@app.get("/pay-scheme", tags=["pay"], summary="The pay scheme: every version, oldest first (every role)")
def get_pay_scheme() -> PayScheme:
    return pay_scheme.current()


@app.post(
    "/pay-scheme/versions",
    status_code=201,
    tags=["pay"],
    summary="Add a pay-scheme version (admin); answers the whole scheme",
    description=(
        "A version starts on a Europe/Zurich date that is today or later (else 422 on valid_from) and "
        "after the latest version's (else 409 version_exists); it keeps every wage class of the version "
        "before it (else 422 naming minimum_wages.<class>). Versions are never changed or removed. Of two "
        "additions at once, one is stored and the other answered 409 concurrent_update, nothing changed."
    ),
)
def add_pay_scheme_version(body: PaySchemeVersion) -> PayScheme:
    return pay_scheme.add_version(body)


lambda_handler = lambda_entry(app, ROUTE_ROLES)
