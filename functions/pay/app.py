"""HTTP routes of pay (API.md: /pay-scheme, payslips) and of the papers for the next step (work
confirmations and their public verification)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from tremplin.api import PUBLIC, Cursor, Limit, current_caller, install_error_handlers, lambda_entry, roles
from tremplin.identity import Role
from tremplin.logic import pay_scheme, payslip_papers, payslips, work_confirmations
from tremplin.models import Page
from tremplin.models.languages import BaseLanguage
from tremplin.models.papers import Verification
from tremplin.models.pay_scheme import PayScheme, PaySchemeVersion
from tremplin.models.payslips import Payslip
from tremplin.settings import get_settings

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
    # Papers for the next step
    "GET /me/work-confirmation": roles(Role.PARTICIPANT),
    "GET /participants/{participant_id}/work-confirmation": STAFF,
    "GET /verify/{code}": PUBLIC,
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
    body = payslip_papers.pdf(current_caller(app), payslip_id)
    return Response(
        status_code=200,
        content_type="application/pdf",
        body=body,
        headers={"Content-Disposition": f'inline; filename="payslip-{payslip_id}.pdf"', "Cache-Control": "no-store"},
    )


# ---------------------------------------------------------------- papers for the next step

From = Annotated[date | None, Query(alias="from", description="First day (Europe/Zurich); default: the enrolment")]
To = Annotated[date | None, Query(alias="to", description="Last day (Europe/Zurich); default: today")]
Lang = Annotated[BaseLanguage | None, Query(description="Language of the paper; default: the participant's")]
WORK_CONFIRMATION = (
    "A work confirmation under Swiss Code of Obligations art. 330a para. 2: the programme as "
    "employer, the participant's name and date of birth, the period, each organisation worked "
    "for with the kinds of work (job categories and titles), every day worked and its hours, the "
    "total hours, and the references the participant chose to include. Only completed shifts "
    "that started in the period count; never ratings, pay or a word of assistance. Each "
    "download is a new paper with its own verification code (GET /verify/{code}). A `from` "
    "after `to` is 422."
)
PDF_ANSWER: dict[int, OpenAPIResponse] = {
    200: {"description": "The work confirmation", "content": {"application/pdf": {}}}
}


def _verify_base() -> str:
    """This API's own address, as the request reached it: the paper names where to check it."""
    scheme = "http" if get_settings().local_stack else "https"
    return f"{scheme}://{app.current_event.request_context.domain_name}"


def _pdf(body: bytes, name: str) -> Response[bytes]:
    headers = {"Content-Disposition": f'inline; filename="{name}.pdf"', "Cache-Control": "no-store"}
    return Response(status_code=200, content_type="application/pdf", body=body, headers=headers)


@app.get(
    "/me/work-confirmation",
    tags=["papers"],
    summary="The participant's own work confirmation as a PDF",
    description=WORK_CONFIRMATION,
    responses=PDF_ANSWER,
)
def my_work_confirmation(from_: From = None, to: To = None, lang: Lang = None):  # type: ignore[no-untyped-def]  # a PDF is no model
    body = work_confirmations.mine(current_caller(app), from_, to, lang, _verify_base())
    return _pdf(body, "work-confirmation")


@app.get(
    "/participants/<participant_id>/work-confirmation",
    tags=["papers"],
    summary="A participant's work confirmation as a PDF (their caseworker, admins; audited)",
    description=WORK_CONFIRMATION,
    responses=PDF_ANSWER,
)
def participant_work_confirmation(participant_id: str, from_: From = None, to: To = None, lang: Lang = None):  # type: ignore[no-untyped-def]
    body = work_confirmations.of_participant(current_caller(app), participant_id, from_, to, lang, _verify_base())
    return _pdf(body, f"work-confirmation-{participant_id}")


@app.get(
    "/verify/<code>",
    tags=["papers"],
    summary="Check a paper's verification code (no sign-in)",
    description=(
        "Answers whether a paper with this code was issued, its kind and issue date, and nothing "
        "about its holder; an unknown code is 404. Case, hyphens and spaces in the code do not "
        "matter. The code stays valid after its holder is erased; the record then no longer names them."
    ),
)
def verify(code: str) -> Verification:
    return work_confirmations.verify(code)


lambda_handler = lambda_entry(app, ROUTE_ROLES, parallel_reads=True)  # work confirmations
