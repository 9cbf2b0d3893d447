"""HTTP routes of reports (API.md: /reports)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from tremplin.api import Cursor, Limit, current_caller, install_error_handlers, lambda_entry, roles
from tremplin.identity import Role
from tremplin.logic import reports
from tremplin.models import Page
from tremplin.models.reports import Report, ReportLinkAudit, ReportRequest

app = APIGatewayHttpResolver(enable_validation=True)
install_error_handlers(app)

READERS = roles(Role.ADMIN, Role.CASEWORKER, Role.EMPLOYER)
ROUTE_ROLES = {
    "POST /reports": roles(Role.ADMIN, Role.EMPLOYER),
    "GET /reports": READERS,
    "GET /reports/{report_id}": READERS,
    "GET /reports/{report_id}/audit": roles(Role.ADMIN),
}
TAGS = ["reports"]


@app.post(
    "/reports",
    status_code=202,
    tags=TAGS,
    summary="Ask for a report (admin; employer: own employer report); 202, generated from a queue",
)
def request_report(body: ReportRequest) -> Report:
    return reports.request(current_caller(app), body)


@app.get("/reports", tags=TAGS, summary="Reports the caller may read, newest first")
def list_reports(limit: Limit = 50, cursor: Cursor = None) -> Page[Report]:
    return reports.list_visible(current_caller(app), limit, cursor)


@app.get("/reports/<report_id>", tags=TAGS, summary="A report with short-lived links to its files")
def get_report(report_id: str) -> Report:
    return reports.get(current_caller(app), report_id)


@app.get("/reports/<report_id>/audit", tags=TAGS, summary="Who was handed links to the report's files (admin)")
def report_audit(report_id: str, limit: Limit = 50, cursor: Cursor = None) -> Page[ReportLinkAudit]:
    return reports.link_audit(current_caller(app), report_id, limit, cursor)


lambda_handler = lambda_entry(app, ROUTE_ROLES, clients=("sqs", "s3"))  # the queue, the files
