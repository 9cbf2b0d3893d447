"""The sample events in events/ (also for `sam local invoke`) run through their functions."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.helpers import sample_event, shared_host

EXPECTED = {
    ("DocsFunction", "docs/event-get-health.json"): 200,
    ("DocsFunction", "docs/event-get-openapi.json"): 200,
    ("DocsFunction", "docs/event-get-docs.json"): 200,
    ("OrganisationsFunction", "organisations/event-post-organisation.json"): 201,
    ("OrganisationsFunction", "organisations/event-get-organisations.json"): 200,
    # The sample employer's organisation does not exist in an empty table.
    ("OrganisationsFunction", "organisations/event-get-organisation.json"): 404,
    ("OrganisationsFunction", "organisations/event-post-organisation-suspend.json"): 404,
    ("OrganisationsFunction", "organisations/event-post-organisation-activate.json"): 404,
    ("ParticipantsFunction", "participants/event-post-participant.json"): 201,
    ("ParticipantsFunction", "participants/event-get-participants.json"): 200,
    # The sample participant does not exist in an empty table.
    ("ParticipantsFunction", "participants/event-get-participant.json"): 404,
    ("ParticipantsFunction", "participants/event-patch-participant.json"): 404,
    ("ParticipantsFunction", "participants/event-get-participant-activity.json"): 404,
    ("ParticipantsFunction", "participants/event-post-participant-exit.json"): 404,
    ("ParticipantsFunction", "participants/event-post-participant-erase.json"): 404,
    ("ParticipantsFunction", "participants/event-get-participant-audit.json"): 404,
    ("ParticipantsFunction", "participants/event-get-me.json"): 404,
    ("ParticipantsFunction", "participants/event-patch-me.json"): 404,
    ("ParticipantsFunction", "participants/event-post-me-consent.json"): 404,
    ("ParticipantsFunction", "participants/event-get-me-export.json"): 404,
    ("ParticipantsFunction", "participants/event-post-participant-suggestion.json"): 404,
    ("NotificationsFunction", "notifications/event-get-me-notifications.json"): 200,
    ("NotificationsFunction", "notifications/event-get-me-link.json"): 200,  # SMS (issue 20)
    # The sample employer's organisation does not exist: nothing to post for.
    ("JobsFunction", "jobs/event-post-job.json"): 404,
    ("JobsFunction", "jobs/event-get-jobs.json"): 200,
    ("JobsFunction", "jobs/event-get-job.json"): 404,
    ("JobsFunction", "jobs/event-patch-job.json"): 404,
    ("JobsFunction", "jobs/event-post-job-publish.json"): 404,
    ("JobsFunction", "jobs/event-post-job-cancel.json"): 404,
    ("JobsFunction", "jobs/event-post-job-shift.json"): 404,
    ("JobsFunction", "jobs/event-get-shift.json"): 404,
    ("JobsFunction", "jobs/event-post-shift-cancel.json"): 404,
    # The sample participant has no profile: nothing to apply with.
    ("ApplicationsFunction", "applications/event-post-application.json"): 404,
    ("ApplicationsFunction", "applications/event-get-shift-applications.json"): 404,
    ("ApplicationsFunction", "applications/event-get-me-applications.json"): 200,
    **{
        ("ApplicationsFunction", f"applications/event-post-application-{verb}.json"): 404
        for verb in (
            "withdraw",
            "confirm",
            "decline",
            "accept",
            "reject",
            "no-show",
            "cancel",
            "hours",
            "hours-approve",
            "hours-dispute",
            "hours-resolve",
            "rating",
        )
    },
    ("ApplicationsFunction", "applications/event-get-application.json"): 404,
    ("OrganisationsFunction", "organisations/event-post-organisation-webhook-secret.json"): 404,
    ("OrganisationsFunction", "organisations/event-put-organisation-webhook.json"): 404,
    ("OrganisationsFunction", "organisations/event-get-organisation-webhook-deliveries.json"): 404,
    ("WebhooksFunction", "webhooks/event-get-dead-letters.json"): 200,
    # A stale timestamp and an organisation without a secret: refused.
    ("WebhooksFunction", "webhooks/event-post-partner-event.json"): 401,
    ("PayFunction", "pay/event-get-pay-scheme.json"): 200,
    ("PayFunction", "pay/event-post-pay-scheme-version.json"): 201,
    ("PayFunction", "pay/event-get-my-payslips.json"): 200,  # an empty list in an empty table
    ("PayFunction", "pay/event-get-participant-payslips.json"): 404,
    ("PayFunction", "pay/event-get-payslip.json"): 404,
    ("PayFunction", "pay/event-get-payslip-pdf.json"): 404,
    # Papers for the next step: nobody enrolled, nothing issued, no application in an empty table.
    ("PayFunction", "pay/event-get-my-work-confirmation.json"): 404,
    ("PayFunction", "pay/event-get-participant-work-confirmation.json"): 404,
    ("PayFunction", "pay/event-get-verify.json"): 404,
    ("ApplicationsFunction", "applications/event-put-application-reference.json"): 404,
    ("ApplicationsFunction", "applications/event-post-application-reference-include.json"): 404,
    ("ApplicationsFunction", "applications/event-post-application-reference-exclude.json"): 404,
    # issue 19: no such participant or application in an empty table
    ("ParticipantsFunction", "participants/event-get-my-progress.json"): 404,
    ("ParticipantsFunction", "participants/event-get-participant-progress.json"): 404,
    # calendar feed (issue 20): the sample participant is not enrolled; no feed has the sample's secret
    ("ParticipantsFunction", "participants/event-get-my-calendar.json"): 404,
    ("ParticipantsFunction", "participants/event-post-my-calendar.json"): 404,
    ("ParticipantsFunction", "participants/event-delete-my-calendar.json"): 404,
    ("ParticipantsFunction", "participants/event-get-calendar-feed.json"): 404,
    ("ApplicationsFunction", "applications/event-post-application-excuse.json"): 404,
    # the step to a regular job: nobody the sample organisation worked with, no offer
    ("HiringFunction", "hiring/event-post-regular-offer.json"): 404,
    ("HiringFunction", "hiring/event-get-regular-offers.json"): 200,
    ("HiringFunction", "hiring/event-get-my-regular-offers.json"): 200,
    ("HiringFunction", "hiring/event-get-regular-offer.json"): 404,
    ("HiringFunction", "hiring/event-post-regular-offer-accept.json"): 404,
    ("HiringFunction", "hiring/event-post-regular-offer-decline.json"): 404,
    ("HiringFunction", "hiring/event-post-regular-offer-withdraw.json"): 404,
    ("ReportsFunction", "reports/event-post-report.json"): 202,
    ("ReportsFunction", "reports/event-get-reports.json"): 200,
    ("ReportsFunction", "reports/event-get-report.json"): 404,
    # favourites: the sample organisation and participant do not exist in an empty table
    ("OrganisationsFunction", "organisations/event-get-organisation-favourites.json"): 404,
    ("OrganisationsFunction", "organisations/event-put-organisation-favourite.json"): 404,
    ("OrganisationsFunction", "organisations/event-delete-organisation-favourite.json"): 404,
    ("ApplicationsFunction", "applications/event-post-shift-invitation.json"): 404,
    # check-in at the site (issue 20): no such shift or application; the sample code is not signed
    # with the local key (check_in_code_invalid, before anything is read)
    ("ApplicationsFunction", "applications/event-get-shift-check-in-code.json"): 404,
    ("ApplicationsFunction", "applications/event-post-check-in.json"): 409,
    ("ApplicationsFunction", "applications/event-post-application-check-in.json"): 404,
}

# In an empty table nothing is due; the monthly run still asks for earnings and programme reports.
SCHEDULE_HANDLED = {
    "expire-offers": 0,
    "auto-approve-hours": 0,
    "shift-reminders": 0,
    "retry-deliveries": 0,
    "monthly-reports": 2,
    "payroll": 0,
}
SCHEDULE_EVENTS = {("SchedulesFunction", f"schedules/event-schedule-{job}.json") for job in SCHEDULE_HANDLED}

# A report that was never asked for is skipped (superseded), not failed.
SQS_EVENTS = {
    ("NotifierFunction", "notifier/event-sqs-notifications.json"),
    ("ReportWorkerFunction", "report_worker/event-sqs-reports.json"),
    # No subscription: nothing to deliver.
    ("DeliveryWorkerFunction", "delivery_worker/event-sqs-deliveries.json"),
}
# Changes of the table, as its stream hands them to the changes consumer.
STREAM_EVENTS = {
    ("ChangesFunction", "changes/event-stream-application-created.json"),
    ("ChangesFunction", "changes/event-stream-offer-made.json"),
}
# Cognito's sign-in trigger. The sample pool does not exist here: a caseworker's account cannot be
# read, so the token loses its staff group (fail closed); a participant's is not looked up.
SIGN_IN_EVENTS = {
    ("StaffSignInFunction", "staff_sign_in/event-token-generation-caseworker.json"): {
        "claimsToAddOrOverride": {"tremplin:mfa_check_failed": "true"},
        "groupOverrideDetails": {"groupsToOverride": [], "iamRolesToOverride": [], "preferredRole": None},
    },
    ("StaffSignInFunction", "staff_sign_in/event-token-generation-participant-refresh.json"): None,
}
# Cancelling a job that does not exist fails: the message comes back (and is parked after 5 tries).
FAILING_SQS_EVENTS = {("WebhookConsumerFunction", "webhook_consumer/event-sqs-partner-events.json")}


@pytest.mark.parametrize(("function", "event_file"), sorted(EXPECTED))
def test_sample_event(aws: dict[str, Any], function: str, event_file: str) -> None:
    result = shared_host().invoke(function, sample_event(event_file))
    assert result["statusCode"] == EXPECTED[(function, event_file)], result["body"]


@pytest.mark.parametrize(("function", "event_file"), sorted(SQS_EVENTS))
def test_sample_queue_event_is_processed_without_failures(aws: dict[str, Any], function: str, event_file: str) -> None:
    assert shared_host().invoke(function, sample_event(event_file)) == {"batchItemFailures": []}


@pytest.mark.parametrize(("function", "event_file"), sorted(STREAM_EVENTS))
def test_sample_stream_event_queues_what_follows_the_change(
    aws: dict[str, Any], function: str, event_file: str
) -> None:
    import boto3

    assert shared_host().invoke(function, sample_event(event_file)) == {"batchItemFailures": []}
    queued = boto3.client("sqs").get_queue_attributes(
        QueueUrl=aws["NotificationsQueue"], AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]["ApproximateNumberOfMessages"]
    assert int(queued) == 1  # the employer told of the application, or the participant of the offer


@pytest.mark.parametrize(("function", "event_file"), sorted(SIGN_IN_EVENTS))
def test_sample_sign_in_event_gets_the_triggers_answer(aws: dict[str, Any], function: str, event_file: str) -> None:
    answer = shared_host().invoke(function, sample_event(event_file))
    assert answer["response"]["claimsOverrideDetails"] == SIGN_IN_EVENTS[(function, event_file)]


def test_every_sample_event_is_exercised() -> None:
    from tests.helpers import EVENTS

    on_disk = {str(p.relative_to(EVENTS)) for p in EVENTS.rglob("event-*.json")}
    expected = (
        EXPECTED.keys() | SQS_EVENTS | FAILING_SQS_EVENTS | SCHEDULE_EVENTS | STREAM_EVENTS | SIGN_IN_EVENTS.keys()
    )
    assert on_disk == {f for _, f in expected}


def test_what_the_bench_makes_each_event_start_from_names_sample_events() -> None:
    """bench.lambda_cpu sends the events an event follows first: a name no event has would only
    show as that event left out of the bench."""
    from tests.helpers import EVENTS
    from tools.sample_events import FOLLOWS, GIVES

    names = {p.name.removeprefix("event-").removesuffix(".json") for p in EVENTS.rglob("event-*.json")}
    data = {"", "participant", "leaving", "organisation", "job", "draft"}
    for events, (when, follows) in FOLLOWS.items():
        assert when in {"before", "during", "after"}, events
        assert set(events.split()) <= names, events
        assert set(follows.split()) <= names | data, follows
    assert GIVES.keys() <= names


@pytest.mark.parametrize(("function", "event_file"), sorted(FAILING_SQS_EVENTS))
def test_sample_queue_event_that_cannot_succeed_fails_its_batch(
    aws: dict[str, Any], function: str, event_file: str
) -> None:
    from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

    # A batch whose every record failed is returned whole, as Lambda expects.
    with pytest.raises(BatchProcessingError):
        shared_host().invoke(function, sample_event(event_file))


@pytest.mark.parametrize(("function", "event_file"), sorted(SCHEDULE_EVENTS))
def test_sample_schedule_event_runs_its_job(aws: dict[str, Any], function: str, event_file: str) -> None:
    event = sample_event(event_file)
    assert shared_host().invoke(function, event) == {"job": event["job"], "handled": SCHEDULE_HANDLED[event["job"]]}


def test_openapi_lists_every_route_of_the_template(aws: dict[str, Any]) -> None:
    from local import template

    result = shared_host().invoke("DocsFunction", sample_event("docs/event-get-openapi.json"))
    paths = json.loads(result["body"])["paths"]
    documented = {(m.upper(), p) for p, ops in paths.items() for m in ops}
    expected = {(r.method, r.path) for r in template.routes() if r.path != "/docs"}
    assert documented == expected
