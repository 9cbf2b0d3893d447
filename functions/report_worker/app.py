"""Generates the reports asked for (from the reports queue), one message per report.

A transient error (throttling, a 5xx) fails the record, which comes back; at its last receive
(the queue's maxReceiveCount, tremplin.logic.report_generation.RECEIVES) the report is shown failed too.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from tremplin.consumers import sqs_consumer
from tremplin.logic import report_generation as reports

# How often each message of the batch has been received: (report_id, attempt) -> count.
_receives: dict[tuple[str, int], int] = {}


def _message(body: dict[str, Any]) -> tuple[str, int]:
    return str(body["report_id"]), int(body["attempt"])


def generate(message: dict[str, Any]) -> str:
    wanted, attempt = _message(message)
    return reports.generate(wanted, attempt, last_try=_receives.get((wanted, attempt), 1) >= reports.RECEIVES)


_consume = sqs_consumer(generate, clients=("s3",))  # the report's files


def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    _receives.clear()
    for record in event.get("Records", []):
        try:
            key = _message(json.loads(record["body"]))
        except (KeyError, TypeError, ValueError):
            continue  # the consumer fails this record itself
        _receives[key] = int((record.get("attributes") or {}).get("ApproximateReceiveCount", 1))
    return _consume(event, context)
