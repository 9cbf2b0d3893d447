"""The in-app inbox of every user (API.md: GET /me/notifications)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from tremplin.api import Cursor, Limit, current_caller, install_error_handlers, lambda_entry, roles
from tremplin.identity import Role
from tremplin.logic import notifications
from tremplin.models import Page
from tremplin.models.participants import Notification

app = APIGatewayHttpResolver(enable_validation=True)
install_error_handlers(app)

ROUTE_ROLES = {"GET /me/notifications": roles(*Role)}


@app.get("/me/notifications", tags=["me"], summary="The caller's inbox, newest first")
def list_notifications(limit: Limit = 50, cursor: Cursor = None) -> Page[Notification]:
    return notifications.inbox(current_caller(app), limit, cursor)


lambda_handler = lambda_entry(app, ROUTE_ROLES)
