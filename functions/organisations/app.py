"""HTTP routes of partner organisations (API.md: /organisations)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from tremplin.api import Cursor, Limit, current_caller, install_error_handlers, lambda_entry, roles
from tremplin.identity import Role
from tremplin.logic import favourites, organisations
from tremplin.models import Page
from tremplin.models.favourites import Favourite
from tremplin.models.organisations import Organisation, OrganisationCreate, OrganisationStatus
from tremplin.models.webhooks import Delivery, SecretAnswer, Subscription, SubscriptionRequest
from tremplin.partners import outbound, secrets

app = APIGatewayHttpResolver(enable_validation=True)
install_error_handlers(app)

ROUTE_ROLES = {
    "POST /organisations": roles(Role.ADMIN),
    "GET /organisations": roles(Role.ADMIN, Role.EMPLOYER),
    "GET /organisations/{org_id}": roles(Role.ADMIN, Role.EMPLOYER),
    "POST /organisations/{org_id}/suspend": roles(Role.ADMIN),
    "POST /organisations/{org_id}/activate": roles(Role.ADMIN),
    "POST /organisations/{org_id}/webhook-secret": roles(Role.ADMIN, Role.EMPLOYER),
    "PUT /organisations/{org_id}/webhook": roles(Role.ADMIN, Role.EMPLOYER),
    "GET /organisations/{org_id}/webhook-deliveries": roles(Role.ADMIN, Role.EMPLOYER),
    # favourites
    "GET /organisations/{org_id}/favourites": roles(Role.ADMIN, Role.EMPLOYER),
    "PUT /organisations/{org_id}/favourites/{participant_id}": roles(Role.ADMIN, Role.EMPLOYER),
    "DELETE /organisations/{org_id}/favourites/{participant_id}": roles(Role.ADMIN, Role.EMPLOYER),
}


@app.post("/organisations", status_code=201, tags=["organisations"], summary="Create a partner organisation (admin)")
def create_organisation(body: OrganisationCreate) -> Organisation:
    return organisations.create(body)


@app.get("/organisations", tags=["organisations"], summary="List organisations (admin: all; employer: its own)")
def list_organisations(limit: Limit = 50, cursor: Cursor = None) -> Page[Organisation]:
    return organisations.list_visible(current_caller(app), limit, cursor)


@app.get("/organisations/<org_id>", tags=["organisations"], summary="Get an organisation (admin; employer: own)")
def get_organisation(org_id: str) -> Organisation:
    return organisations.get_visible(current_caller(app), org_id)


@app.post("/organisations/<org_id>/suspend", tags=["organisations"], summary="Suspend an organisation (admin)")
def suspend_organisation(org_id: str) -> Organisation:
    return organisations.set_status(org_id, OrganisationStatus.SUSPENDED)


@app.post("/organisations/<org_id>/activate", tags=["organisations"], summary="Activate an organisation (admin)")
def activate_organisation(org_id: str) -> Organisation:
    return organisations.set_status(org_id, OrganisationStatus.ACTIVE)


@app.post(
    "/organisations/<org_id>/webhook-secret",
    status_code=201,
    tags=["partners"],
    summary="Make a new webhook secret, shown once; the previous one stays valid 24 h",
)
def rotate_webhook_secret(org_id: str) -> SecretAnswer:
    return secrets.rotate_secret(current_caller(app), org_id)


@app.put("/organisations/<org_id>/webhook", tags=["partners"], summary="Subscribe a URL to outbound events")
def subscribe_webhook(org_id: str, body: SubscriptionRequest) -> Subscription:
    return outbound.subscribe(current_caller(app), org_id, body)


@app.get(
    "/organisations/<org_id>/webhook-deliveries", tags=["partners"], summary="Outbound deliveries and their attempts"
)
def webhook_deliveries(org_id: str, limit: Limit = 50, cursor: Cursor = None) -> Page[Delivery]:
    return outbound.list_deliveries(current_caller(app), org_id, limit, cursor)


# ---------------------------------------------------------------- favourites


@app.get(
    "/organisations/<org_id>/favourites",
    tags=["favourites"],
    summary="The organisation's favourites, as applicant cards",
)
def list_favourites(org_id: str, limit: Limit = 50, cursor: Cursor = None) -> Page[Favourite]:
    return favourites.list_for(current_caller(app), org_id, limit, cursor)


@app.put(
    "/organisations/<org_id>/favourites/<participant_id>",
    tags=["favourites"],
    summary="Mark a participant the organisation worked with as a favourite (idempotent)",
    description="404 for a participant the organisation never completed a shift with, as for one that does not exist.",
)
def mark_favourite(org_id: str, participant_id: str) -> Favourite:
    return favourites.mark(current_caller(app), org_id, participant_id)


@app.delete(
    "/organisations/<org_id>/favourites/<participant_id>",
    tags=["favourites"],
    summary="No longer a favourite (idempotent); answers the participant with favourite false",
)
def unmark_favourite(org_id: str, participant_id: str) -> Favourite:
    return favourites.unmark(current_caller(app), org_id, participant_id)


lambda_handler = lambda_entry(app, ROUTE_ROLES, clients=("kms",))  # webhook secrets
