"""HTTP routes of pay (API.md: /pay-scheme, payslips)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from tremplin.api import Cursor, Limit, current_caller, install_error_handlers, lambda_entry, roles
from tremplin.identity import Role
from tremplin.logic import pay_scheme, payslips
from tremplin.models import Page
from tremplin.models.pay_scheme import PayScheme, PaySchemeVersion
from tremplin.models.payslips import Payslip

app = APIGatewayHttpResolver(enable_validation=True)
install_error_handlers(app)

STAFF = roles(Role.ADMIN, Role.CASEWORKER)
PAYSLIP_READERS = roles(Role.PARTICIPANT, Role.CASEWORKER, Role.ADMIN)
ROUTE_ROLES = {
    "GET /pay-scheme": roles(Role.ADMIN, Role.CASEWORKER, Role.EMPLOYER, Role.PARTICIPANT),
    "POST /pay-scheme/versions": roles(Role.ADMIN),
    "GET /me/payslips": roles(Role.PARTICIPANT),
    "GET /participants/{participant_id}/payslips": STAFF,
    "GET /payslips/{payslip_id}": PAYSLIP_READERS,
    "GET /payslips/{payslip_id}/pdf": PAYSLIP_READERS,
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


@app.get("/me/payslips", tags=["pay"], summary="The participant's own payslips, newest first")
def my_payslips(limit: Limit = 50, cursor: Cursor = None) -> Page[Payslip]:
    return payslips.mine(current_caller(app), limit, cursor)


@app.get(
    "/participants/<participant_id>/payslips",
    tags=["pay"],
    summary="A participant's payslips, newest first (their caseworker, admins)",
)
def participant_payslips(participant_id: str, limit: Limit = 50, cursor: Cursor = None) -> Page[Payslip]:
    return payslips.of_participant(current_caller(app), participant_id, limit, cursor)


@app.get(
    "/payslips/<payslip_id>",
    tags=["pay"],
    summary="One payslip (the participant, their caseworker, admins)",
    description="Lines, hours, gross, deductions, net, and the income allowance and counted income the office uses.",
)
def get_payslip(payslip_id: str) -> Payslip:
    return payslips.get(current_caller(app), payslip_id)


@app.get(
    "/payslips/<payslip_id>/pdf",
    tags=["pay"],
    summary="One payslip as a PDF, in the participant's language (de, fr, en)",
    responses={200: {"description": "The payslip", "content": {"application/pdf": {}}}},
)
def get_payslip_pdf(payslip_id: str):  # type: ignore[no-untyped-def]  # no return type: a PDF is no model to validate
    body = payslips.pdf(current_caller(app), payslip_id)
    return Response(
        status_code=200,
        content_type="application/pdf",
        body=body,
        headers={"Content-Disposition": f'inline; filename="payslip-{payslip_id}.pdf"', "Cache-Control": "no-store"},
    )


lambda_handler = lambda_entry(app, ROUTE_ROLES)
