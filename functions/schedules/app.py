"""Scheduled work, fired by EventBridge Scheduler (Europe/Zurich) with {"job": "<name>"}:
expiring offers, approving unanswered hours, shift reminders, last month's reports, payroll."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext

from tremplin import clock
from tremplin.logic import applications, payslips, prepare, reports
from tremplin.partners import outbound

logger = Logger()
tracer = Tracer(patch_modules=("botocore",))  # the AWS calls only, as tremplin.api's tracer does

prepare("sqs", "s3", "kms")  # reports and notices are queued, report files stored, deliveries signed

MARGIN_S = 10.0  # left of the invocation when a sweep stops starting new work

JOBS: dict[str, Callable[[float], int]] = {
    "expire-offers": lambda _: applications.expire_offers(),
    "auto-approve-hours": lambda _: applications.auto_approve_hours(),
    "shift-reminders": lambda _: applications.send_reminders(),
    "monthly-reports": lambda _: len(reports.monthly(clock.now())),
    "payroll": lambda _: payslips.run_payroll(clock.now()),
    # Deliveries can wait on slow partners: the sweep stops starting attempts with time to spare.
    "retry-deliveries": lambda budget_s: outbound.retry_due(budget_s=budget_s),
}


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    job = str(event.get("job", ""))
    if job not in JOBS:
        raise ValueError(f"unknown scheduled job {job!r}; known: {', '.join(sorted(JOBS))}")
    handled = JOBS[job](max(1.0, context.get_remaining_time_in_millis() / 1000 - MARGIN_S))
    logger.info("scheduled job done", extra={"job": job, "handled": handled})
    return {"job": job, "handled": handled}
