"""The stream consumer: carries out what follows each committed change (tremplin.events).

An adapter, like the HTTP functions: it reads DynamoDB stream records and calls the domain
and the queues. A record whose effects fail is reported as a batch item failure; Lambda
retries from it (bisecting the batch on error) and, after the event source mapping's last
retry, sends it to the on-failure destination. Every effect is safe to repeat: notes and
partner events carry the change's deterministic id, cascades and invitations look at the
state before acting.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from tremplin import events
from tremplin.data import dynamo, identity_provider, queues
from tremplin.data import participants as participant_store
from tremplin.logic import applications, calendar, jobs, participants, reports
from tremplin.partners import outbound
from tremplin.settings import get_settings

logger = Logger()
metrics = Metrics()
# Traces the AWS calls only, as tremplin.api's tracer does (why: there).
tracer = Tracer(patch_modules=("botocore",))

# A metric per business event (CloudWatch, namespace POWERTOOLS_METRICS_NAMESPACE).
BUSINESS_METRICS = {
    "applied": "ApplicationCreated",
    "offered": "OfferMade",
    "confirmed": "OfferConfirmed",
    "completed": "ShiftCompleted",
}


def carry_out(effects: events.Effects, outbox: queues.Outbox, order: str = "") -> dict[str, int]:
    """Every effect of one change; raises if any failed (the record is then retried whole).
    Its notes and partner events go into `outbox`, sent with the batch's (stream_consumer).
    `order` is the change's place in the stream: notes of one second keep the changes' order."""
    settings = get_settings()
    for note in effects.notes:
        outbox.add(settings.notifications_queue_url, _queued(effects, note, order))
    for event in effects.partner_events:
        message = outbound.message(event.org_id, event.type, event.data, _partner_event_id(effects, event), effects.at)
        outbox.add(settings.deliveries_queue_url, message)
    if identity_provider.enabled():  # first: a cascade that fails below must not keep an erased account alive
        _sign_in(effects)
    cancelled = (
        applications.cancel_for_shift(effects.cancel_shift_applications) if effects.cancel_shift_applications else 0
    )
    released = applications.release_participant(effects.erased) if effects.erased else 0
    if effects.erased:  # the rest of their data, and the statements that named them
        participants.finish_erasure(effects.erased)
        reports.regenerate_statements_of(effects.erased)
    if effects.organisation_active:
        jobs.on_organisation_status(*effects.organisation_active)
    refreshed = reports.refresh_for_outcome(*effects.outcome) if effects.outcome else 0
    if effects.calendar:  # calendar feed (issue 20)
        calendar.refresh(effects.calendar, effects.at)
    if effects.calendar_job:
        calendar.refresh_job(effects.calendar_job, effects.at)
    return {
        "notes": len(effects.notes),
        "partner_events": len(effects.partner_events),
        "cascaded": cancelled + released,
        "reports": refreshed,
    }


def _sign_in(effects: events.Effects) -> None:
    """The participant's Cognito account follows their profile, bound by `sub`."""
    if effects.invite and _not_erased(effects.invite[1]):
        email, participant_id = effects.invite
        try:
            participant_store.bind_identity(participant_id, identity_provider.invite_participant(email, participant_id))
        except identity_provider.EmailInUse:  # enrolment refuses such addresses; one taken since
            logger.error("no sign-in: the address signs in another account", extra={"participant_id": participant_id})
    if effects.change_sign_in:
        identity_provider.change_email(*effects.change_sign_in)
    if effects.remove_sign_in:
        participant_id, sub, email = effects.remove_sign_in
        if not sub and email:  # invited before accounts were bound: only an account that is theirs
            own = identity_provider.account(email)
            sub = own["sub"] if own and own["participant_id"] == participant_id else ""
        if sub:
            identity_provider.remove_participant(sub)


def _not_erased(participant_id: str) -> bool:
    """An invitation retried after the participant was erased meanwhile must not be sent."""
    profile = participant_store.get(participant_id)
    return profile is not None and profile.get("status") != "erased"


def _queued(effects: events.Effects, note: events.Note, order: str) -> dict[str, Any]:
    return {
        "notification_id": note_id(effects.id, note.recipient, note.kind),
        "order": order,
        "event_id": effects.id,
        "recipient": note.recipient,
        "kind": note.kind,
        "data": note.data,
        "about_participant": note.about_participant,
        "created_at": effects.at,
    }


def note_id(event_id: str, recipient: str, kind: str) -> str:
    """One note per change, recipient and kind: its id is made of them."""
    return "ntf_" + hashlib.sha256(f"{event_id}|{recipient}|{kind}".encode()).hexdigest()[:32]


def _partner_event_id(effects: events.Effects, event: events.PartnerEvent) -> str:
    # One change yields at most one partner event; its id is the change's, as a partner sees it.
    return effects.id if len(effects.partner_events) == 1 else f"{effects.id}_{event.type.value}"


def handle(record: DynamoDBRecord, outbox: queues.Outbox) -> dict[str, int] | None:
    dynamo.begin_call()
    change = record.dynamodb
    old = change.old_image if change else None
    new = change.new_image if change else None
    effects = events.follow(old or None, new or None)
    if effects is None:
        return None
    sequence = (change.sequence_number or "") if change else ""
    done = carry_out(effects, outbox, sequence.zfill(40) if sequence else "")
    if new and new.get("type") == "application" and (old or {}).get("status") != new.get("status"):
        name = BUSINESS_METRICS.get(str(new.get("status")))
        if name:
            metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
    return done


def stream_consumer() -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
    processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
    dynamo.prepare_handles("sqs", "cognito-idp")  # at init, at a whole vCPU; Cognito: sign-ins follow profiles
    # Changes are followed in the stream's order: once a record fails, the ones after it in the
    # batch are not run but failed too, so Lambda hands them over again after it, in order
    # (run now, their effects would go out before the failed one's and a replay drop the latter's).
    # The records' queue messages go out together at the end, ten a request (data.queues.Outbox);
    # a record whose message was not sent is failed then, with every record after it.
    batch: dict[str, Any] = {"failed": False, "place": 0, "outbox": queues.Outbox()}

    def record_handler(record: DynamoDBRecord) -> None:
        outbox: queues.Outbox = batch["outbox"]
        if batch["failed"]:
            raise RuntimeError("an earlier record of this batch failed; following in order")
        try:
            done = handle(record, outbox)
        except Exception:
            batch["failed"] = True
            outbox.drop()
            raise
        outbox.keep(batch["place"])
        batch["place"] += 1
        if done:
            logger.info(
                "change followed", extra={"sequence": record.dynamodb and record.dynamodb.sequence_number, **done}
            )

    @metrics.log_metrics
    @logger.inject_lambda_context(clear_state=True)
    @tracer.capture_lambda_handler  # its response: the failed sequence numbers, nothing personal
    def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        batch.update(failed=False, place=0, outbox=queues.Outbox())
        response = process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )
        unsent = batch["outbox"].send()
        if unsent is None:
            return dict(response)
        sequences = [r["dynamodb"]["SequenceNumber"] for r in event["Records"]]
        failed = {f["itemIdentifier"] for f in response["batchItemFailures"]} | set(sequences[unsent:])
        return {"batchItemFailures": [{"itemIdentifier": s} for s in sequences if s in failed]}

    return lambda_handler
