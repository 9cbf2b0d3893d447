"""Generates the reports asked for (from the reports queue), one message per report."""

from __future__ import annotations

from typing import Any

from tremplin.consumers import sqs_consumer
from tremplin.logic import reports


def generate(message: dict[str, Any]) -> str:
    return reports.generate(str(message["report_id"]), int(message["attempt"]))


lambda_handler = sqs_consumer(generate)
