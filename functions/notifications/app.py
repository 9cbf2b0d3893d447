"""The in-app inbox of every user (API.md: GET /me/notifications), and where a participant's
SMS link leads (GET /me/links/{token}, issue 20)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from tremplin.api import Cursor, Limit, current_caller, install_error_handlers, lambda_entry, roles
from tremplin.identity import Role
from tremplin.logic import notifications, sms
from tremplin.models import Page
from tremplin.models.participants import Notification, ShortLink

app = APIGatewayHttpResolver(enable_validation=True)
install_error_handlers(app)

ROUTE_ROLES = {
    "GET /me/notifications": roles(*Role),
    "GET /me/links/{token}": roles(Role.PARTICIPANT),  # SMS (issue 20)
}


@app.get("/me/notifications", tags=["me"], summary="The caller's inbox, newest first")
def list_notifications(limit: Limit = 50, cursor: Cursor = None) -> Page[Notification]:
    return notifications.inbox(current_caller(app), limit, cursor)


# ---------------------------------------------------------------- SMS (issue 20)


@app.get("/me/links/<token>", tags=["me"], summary="Where the short link of the caller's SMS leads")
def open_link(token: str) -> ShortLink:
    return sms.open_link(current_caller(app), token)


lambda_handler = lambda_entry(app, ROUTE_ROLES)
