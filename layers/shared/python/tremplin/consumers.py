"""What every queue consumer shares: partial batch failures (only the failed messages come
back, and are parked in the dead-letter queue after maxReceiveCount) and structured logs."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from tremplin import models
from tremplin.data import parallel
from tremplin.data.dynamo import begin_call, prepare_handles

logger = Logger()
# Traces the AWS calls only, as tremplin.api's tracer does (why: there).
tracer = Tracer(patch_modules=("botocore",))


def sqs_consumer(
    handle: Callable[[dict[str, Any]], object],
    clients: tuple[str, ...] = (),
    parallel_reads: bool = False,
) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
    """A Lambda handler that runs `handle` on each message's JSON body. `clients`: the AWS services
    `handle` calls besides the table and SQS; `parallel_reads`: `handle` reads in parallel
    (tremplin.data.parallel), threads made at init."""
    processor = BatchProcessor(event_type=EventType.SQS)
    prepare_handles("sqs", *clients)  # at init, at a whole vCPU (tremplin.data.dynamo.prepare_handles)
    models.build_all()  # likewise (tremplin.models.Model)
    if parallel_reads:
        parallel.prepare()

    def record_handler(record: SQSRecord) -> None:
        begin_call()  # each record is a call of its own: its own write id
        outcome = handle(json.loads(record.body))
        logger.info("message processed", extra={"message_id": record.message_id, "outcome": outcome})

    @logger.inject_lambda_context(clear_state=True)
    @tracer.capture_lambda_handler  # its response: the failed message ids, nothing personal
    def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        return dict(
            process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
        )

    return lambda_handler
