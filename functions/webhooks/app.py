"""Partner systems' inbound events (Standard Webhooks) and the admins' view of the parked ones."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from tremplin.api import PUBLIC, install_error_handlers, lambda_entry, roles
from tremplin.identity import Role
from tremplin.models.webhooks import MAX_INBOUND_BYTES, Accepted, DeadLetter
from tremplin.partners import inbound

app = APIGatewayHttpResolver(enable_validation=True)
install_error_handlers(app)

ROUTE_ROLES = {
    "POST /webhooks/partners/{org_id}": PUBLIC,  # signed instead of a token
    "GET /webhooks/dead-letters": roles(Role.ADMIN),
}


@app.post(
    "/webhooks/partners/<org_id>",
    status_code=202,
    tags=["partners"],
    summary="A partner's signed event: job.upsert, job.cancel or hours.submit (202 once queued)",
)
def receive(org_id: str) -> Accepted:
    event = app.current_event
    return inbound.receive(org_id, event.decoded_body or "", dict(event.headers))


@app.get("/webhooks/dead-letters", tags=["partners"], summary="Inbound events parked after 5 failed attempts (admin)")
def dead_letters() -> list[DeadLetter]:
    return inbound.dead_letters()


# KMS opens the secrets, SQS takes the events; the receipt is read alongside the secrets.
lambda_handler = lambda_entry(
    app, ROUTE_ROLES, max_body_bytes=MAX_INBOUND_BYTES, clients=("kms", "sqs"), parallel_reads=True
)
