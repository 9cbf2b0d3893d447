"""Scheduled work, fired by EventBridge Scheduler (Europe/Zurich) with {"job": "<name>"}:
expiring offers, approving unanswered hours, shift reminders, last month's reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from tremplin import clock
from tremplin.logic import applications, reports
from tremplin.partners import outbound

logger = Logger()

JOBS: dict[str, Callable[[], int]] = {
    "expire-offers": applications.expire_offers,
    "auto-approve-hours": applications.auto_approve_hours,
    "shift-reminders": applications.send_reminders,
    "monthly-reports": lambda: len(reports.monthly(clock.now())),
    "retry-deliveries": outbound.retry_due,
}


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    job = str(event.get("job", ""))
    if job not in JOBS:
        raise ValueError(f"unknown scheduled job {job!r}; known: {', '.join(sorted(JOBS))}")
    handled = JOBS[job]()
    logger.info("scheduled job done", extra={"job": job, "handled": handled})
    return {"job": job, "handled": handled}
