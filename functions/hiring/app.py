"""HTTP routes of the step to a regular job: offers of regular employment (README "The step to
regular work")."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.params import Query

from tremplin.api import Cursor, Limit, current_caller, install_error_handlers, lambda_entry, roles
from tremplin.identity import Role
from tremplin.logic import regular_offers
from tremplin.models import Page
from tremplin.models.regular_offers import RegularOffer, RegularOfferCreate

app = APIGatewayHttpResolver(enable_validation=True)
install_error_handlers(app)

PARTICIPANT = roles(Role.PARTICIPANT)
ROUTE_ROLES = {
    "POST /regular-offers": roles(Role.EMPLOYER),
    "GET /regular-offers": roles(Role.EMPLOYER, Role.CASEWORKER, Role.ADMIN),
    "GET /me/regular-offers": PARTICIPANT,
    "GET /regular-offers/{offer_id}": roles(Role.PARTICIPANT, Role.EMPLOYER, Role.CASEWORKER, Role.ADMIN),
    "POST /regular-offers/{offer_id}/accept": PARTICIPANT,
    "POST /regular-offers/{offer_id}/decline": PARTICIPANT,
    "POST /regular-offers/{offer_id}/withdraw": roles(Role.EMPLOYER),
}

ANSWER_CONFLICTS = (
    "409 offer_withdrawn: the employer withdrew the offer; 409 offer_already_answered: it was accepted or "
    "declined (details name its status); 409 concurrent_update: it changed at the same moment. Repeating "
    "the answer already given answers 200 with the offer as it is, nothing changed."
)


@app.post(
    "/regular-offers",
    status_code=201,
    tags=["hiring"],
    summary="Offer a regular job to a participant the organisation worked with (employer)",
    description=(
        "The participant must have completed at least one shift for the caller's organisation and still be in "
        "the programme; otherwise 404, as if they did not exist. start_date is today or later (Europe/Zurich; "
        "else 422). One open offer per organisation and participant: 409 open_offer_exists. The participant and "
        "their caseworker are told. Nothing here is needed to hire directly: there is no fee and no lock-in."
    ),
)
def make_offer(body: RegularOfferCreate) -> RegularOffer:
    return regular_offers.make(current_caller(app), body)


@app.get(
    "/regular-offers",
    tags=["hiring"],
    summary="Offers of regular employment, newest first (employer: own organisation's; admin: all)",
    description=(
        "participant_id narrows the list to one participant's offers; caseworkers must name one of their own "
        "caseload (another answers 404, none 422). Employers see their own organisation's offers only."
    ),
)
def list_offers(
    participant_id: Annotated[str | None, Query(description="Only this participant's offers")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[RegularOffer]:
    return regular_offers.list_visible(current_caller(app), participant_id, limit, cursor)


@app.get("/me/regular-offers", tags=["hiring"], summary="The participant's own offers of regular employment")
def my_offers(limit: Limit = 50, cursor: Cursor = None) -> Page[RegularOffer]:
    return regular_offers.mine(current_caller(app), limit, cursor)


@app.get(
    "/regular-offers/<offer_id>",
    tags=["hiring"],
    summary="One offer (the participant, the employer that made it, the participant's caseworker, admins)",
)
def get_offer(offer_id: str) -> RegularOffer:
    return regular_offers.get(current_caller(app), offer_id)


@app.post(
    "/regular-offers/<offer_id>/accept",
    tags=["hiring"],
    summary="Accept an open offer (participant): records the exit to regular employment on the start date",
    description=(
        "In one transaction with the acceptance, the participant's exit is recorded with outcome "
        "regular_employment dated on the offer's start date, as POST /participants/{id}/exit records it. "
        "409 participant_exited: the participant has already left the programme. " + ANSWER_CONFLICTS
    ),
)
def accept_offer(offer_id: str) -> RegularOffer:
    return regular_offers.accept(current_caller(app), offer_id)


@app.post(
    "/regular-offers/<offer_id>/decline",
    tags=["hiring"],
    summary="Decline an open offer (participant); the employer and the caseworker are told",
    description=ANSWER_CONFLICTS,
)
def decline_offer(offer_id: str) -> RegularOffer:
    return regular_offers.decline(current_caller(app), offer_id)


@app.post(
    "/regular-offers/<offer_id>/withdraw",
    tags=["hiring"],
    summary="Withdraw an open offer (employer, own organisation's); the participant is told",
    description=(
        "409 offer_already_answered: the participant accepted or declined it. Withdrawing a withdrawn offer "
        "answers 200 with the offer as it is."
    ),
)
def withdraw_offer(offer_id: str) -> RegularOffer:
    return regular_offers.withdraw(current_caller(app), offer_id)


lambda_handler = lambda_entry(app, ROUTE_ROLES)
