"""HTTP routes of jobs and shifts (API.md: /jobs, /shifts)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.params import Query

from tremplin import clock
from tremplin.api import Cursor, Limit, current_caller, install_error_handlers, lambda_entry, roles
from tremplin.identity import Role
from tremplin.logic import jobs
from tremplin.models import Page
from tremplin.models.common import Instant
from tremplin.models.jobs import (
    CancelRequest,
    Category,
    Job,
    JobCreate,
    JobSummary,
    JobUpdate,
    Shift,
    ShiftCancelRequest,
    ShiftCreate,
)

app = APIGatewayHttpResolver(enable_validation=True)
install_error_handlers(app)

EMPLOYER = roles(Role.EMPLOYER)
ROUTE_ROLES = {
    "POST /jobs": EMPLOYER,
    # Caseworkers browse like participants, to suggest jobs.
    "GET /jobs": roles(Role.PARTICIPANT, Role.CASEWORKER, Role.EMPLOYER, Role.ADMIN),
    "GET /jobs/{job_id}": roles(*Role),
    "PATCH /jobs/{job_id}": EMPLOYER,
    "POST /jobs/{job_id}/publish": EMPLOYER,
    "POST /jobs/{job_id}/cancel": EMPLOYER,
    "POST /jobs/{job_id}/shifts": EMPLOYER,
    "GET /shifts/{shift_id}": roles(*Role),
    "POST /shifts/{shift_id}/cancel": EMPLOYER,
}
TAGS = ["jobs"]


@app.post("/jobs", status_code=201, tags=TAGS, summary="Post a job with its shifts, as draft or published (employer)")
def create_job(body: JobCreate) -> Job:
    return jobs.create(current_caller(app), body)


@app.get(
    "/jobs",
    tags=TAGS,
    summary="Participants and caseworkers: open jobs with an open future shift (filters); employers: own; admins: all",
)
def list_jobs(
    category: Annotated[Category | None, Query()] = None,
    from_: Annotated[Instant | None, Query(alias="from", description="shifts starting at or after")] = None,
    to: Annotated[Instant | None, Query(description="shifts starting at or before")] = None,
    postcode: Annotated[str | None, Query(pattern=r"^[0-9]{1,4}$", description="postcode prefix")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[JobSummary] | Page[Job]:
    search = jobs.JobSearch(
        after=clock.iso(from_) if from_ else None,
        until=clock.iso(to) if to else None,
        category=category.value if category else None,
        postcode=postcode,
    )
    return jobs.list_for(current_caller(app), search, limit, cursor)


@app.get("/jobs/<job_id>", tags=TAGS, summary="A job with its shifts")
def get_job(job_id: str) -> Job:
    return jobs.get(current_caller(app), job_id)


@app.patch("/jobs/<job_id>", tags=TAGS, summary="Change a job's description, place, wage or requirements (employer)")
def update_job(job_id: str, body: JobUpdate) -> Job:
    return jobs.update(current_caller(app), job_id, body)


@app.post("/jobs/<job_id>/publish", tags=TAGS, summary="Publish a draft job (employer)")
def publish_job(job_id: str) -> Job:
    return jobs.publish(current_caller(app), job_id)


@app.post("/jobs/<job_id>/cancel", tags=TAGS, summary="Cancel a job and its open shifts (employer)")
def cancel_job(job_id: str, body: CancelRequest) -> Job:
    return jobs.cancel(current_caller(app), job_id, body.reason)


@app.post("/jobs/<job_id>/shifts", status_code=201, tags=TAGS, summary="Add a shift to a job (employer)")
def add_shift(job_id: str, body: ShiftCreate) -> Shift:
    return jobs.add_shift(current_caller(app), job_id, body)


@app.get("/shifts/<shift_id>", tags=TAGS, summary="A shift")
def get_shift(shift_id: str) -> Shift:
    return jobs.get_shift(current_caller(app), shift_id)


@app.post("/shifts/<shift_id>/cancel", tags=TAGS, summary="Cancel a shift (employer)")
def cancel_shift(shift_id: str, body: ShiftCancelRequest | None = None) -> Shift:
    return jobs.cancel_shift(current_caller(app), shift_id, body.reason if body else None)


lambda_handler = lambda_entry(app, ROUTE_ROLES, parallel_reads=True)  # the pay scheme alongside
