"""Writes the sample events in events/: API Gateway v2 events built by the local gateway
(the same shape AWS sends, with the claims its JWT authorizer passes on), SQS events,
DynamoDB stream events and Cognito's sign-in trigger events.

    python tools/sample_events.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "layers" / "shared" / "python")]

from local import template  # noqa: E402
from local.gateway import route_event  # noqa: E402
from tremplin import short_links  # noqa: E402
from tremplin.data import keys  # noqa: E402
from tremplin.models.pay_scheme import FIRST_VERSION  # noqa: E402

EVENTS = ROOT / "events"
HOST = "abc123.execute-api.eu-central-2.amazonaws.com"
ISSUER = "https://cognito-idp.eu-central-2.amazonaws.com/eu-central-2_example"
ORG = "org_0000000000010000000000000001"
PAR = "par_0000000000010000000000000001"
LEAVING = "par_0000000000010000000000000002"  # exit and erasure: PAR stays usable for the other events
JOB = "job_0000000000010000000000000001"
SHIFT = "shf_0000000000010000000000000001"
APP = f"app.{SHIFT}.{PAR}"
SMS_TOKEN = short_links.token(b"local-cursor-secret", "/applications", PAR)  # SMS (issue 20)
WEBHOOK_URL = "https://hr.example.ch/tremplin"  # an organisation's subscription
CHECK_IN_CODE = f"{SHIFT}.5924000.q1Vn3Jx0bT8cYw2Lk9Ps"  # shift, 5-minute step, signature (made by the route)
CALENDAR_FEED = f"{PAR}.Zm9yLXRoZS1zYW1wbGUtZXZlbnQtb25seQ.ics"  # the participant's feed and its secret
HOURS = {"started_at": "2027-05-03T08:05:00+02:00", "ended_at": "2027-05-03T12:00:00+02:00", "break_minutes": 15}


def claims(role: str, **extra: str) -> dict[str, str]:
    return {"sub": f"{role}-sample", "cognito:groups": f"[{role}]", "iss": ISSUER, "token_use": "id", **extra}


ADMIN = claims("admin")
CASEWORKER = claims("caseworker")
EMPLOYER = claims("employer", **{"custom:org_id": ORG})
PARTICIPANT = claims("participant", **{"custom:participant_id": PAR})

ORG_BODY = {
    "name": "Stadt Bern, Stadtgrün",
    "kind": "public",
    "contact_email": "stadtgruen@bern.ch",
    "address": {"street": "Monbijoustrasse 36", "postcode": "3011", "city": "Bern"},
}
PARTICIPANT_BODY = {
    "first_name": "Anna",
    "last_name": "Meier",
    "email": "anna.meier@example.ch",
    "phone": "+41791234567",
    "preferred_language": "de",
    "languages": ["de", "fr"],
    "skills": ["gardening"],
    "postcode": "3012",
    "weekly_hours_limit": 20,
    "case_reference": "SD-2026-0042",
}
SHIFT_BODY = {
    "starts_at": "2027-05-03T08:00:00+02:00",
    "ends_at": "2027-05-03T12:00:00+02:00",
    "break_minutes": 15,
    "slots": 3,
}
JOB_BODY = {
    "title": "Help in the city gardens",
    "description": "Planting and watering in the Rosengarten.",
    "category": "gardening",
    "location": {"street": "Alter Aargauerstalden 31b", "postcode": "3006", "city": "Bern"},
    "hourly_wage": "24.50",
    "requirements": {"skills": ["gardening"], "languages": ["de"]},
    "shifts": [SHIFT_BODY],
    "publish": True,
}

# Far ahead, so the sample stays a version that is not in the past.
# the step to a regular job (issue 19)
OFFER = "rof_0000000000010000000000000001"
REGULAR_OFFER_BODY = {
    "participant_id": PAR,
    "start_date": "2027-06-01",
    "contract": "permanent",
    "workload_percent": 80,
    "position_title": "Mitarbeiter Logistik",
    "message": "Wir würden Sie gern fest anstellen.",
}

PAY_SCHEME_VERSION = {
    **FIRST_VERSION,
    "valid_from": "2099-01-01",
    "minimum_wages": {"unskilled": "23.10", "skilled": "26.40"},
}

HTTP: dict[str, tuple[str, str, Any, dict[str, str] | None]] = {
    "docs/event-get-health.json": ("GET", "/health", None, None),
    "docs/event-get-openapi.json": ("GET", "/openapi.json", None, None),
    "docs/event-get-docs.json": ("GET", "/docs", None, None),
    "organisations/event-post-organisation.json": ("POST", "/organisations", ORG_BODY, ADMIN),
    "organisations/event-get-organisations.json": ("GET", "/organisations?limit=20", None, ADMIN),
    "organisations/event-get-organisation.json": ("GET", f"/organisations/{ORG}", None, EMPLOYER),
    "organisations/event-post-organisation-suspend.json": ("POST", f"/organisations/{ORG}/suspend", None, ADMIN),
    "organisations/event-post-organisation-activate.json": ("POST", f"/organisations/{ORG}/activate", None, ADMIN),
    "participants/event-post-participant.json": ("POST", "/participants", PARTICIPANT_BODY, CASEWORKER),
    "participants/event-get-participants.json": ("GET", "/participants?status=active&limit=20", None, CASEWORKER),
    "participants/event-get-participant.json": ("GET", f"/participants/{PAR}", None, CASEWORKER),
    "participants/event-patch-participant.json": (
        "PATCH",
        f"/participants/{PAR}",
        {"weekly_hours_limit": 16},
        CASEWORKER,
    ),
    "participants/event-get-participant-activity.json": ("GET", f"/participants/{PAR}/activity", None, CASEWORKER),
    "participants/event-post-participant-exit.json": (
        "POST",
        f"/participants/{LEAVING}/exit",
        {"outcome": "regular_employment", "date": "2026-11-20"},
        CASEWORKER,
    ),
    "participants/event-post-participant-suggestion.json": (
        "POST",
        f"/participants/{PAR}/suggestions",
        {"job_id": JOB, "note": "Close to where you live"},
        CASEWORKER,
    ),
    "participants/event-post-participant-erase.json": ("POST", f"/participants/{LEAVING}/erase", None, ADMIN),
    "participants/event-get-participant-audit.json": ("GET", f"/participants/{PAR}/audit", None, ADMIN),
    "participants/event-get-me.json": ("GET", "/me", None, PARTICIPANT),
    "participants/event-patch-me.json": (
        "PATCH",
        "/me",
        {"skills": ["gardening", "painting"], "availability": ["mon", "wed"]},
        PARTICIPANT,
    ),
    "participants/event-post-me-consent.json": ("POST", "/me/consent", {"version": "2026-01"}, PARTICIPANT),
    "participants/event-get-me-export.json": ("GET", "/me/export", None, PARTICIPANT),
    "notifications/event-get-me-notifications.json": ("GET", "/me/notifications?limit=20", None, PARTICIPANT),
    # SMS (issue 20): the short link of the sample participant's SMS, signed with the local key
    "notifications/event-get-me-link.json": ("GET", f"/me/links/{SMS_TOKEN}", None, PARTICIPANT),
    "jobs/event-post-job.json": ("POST", "/jobs", JOB_BODY, EMPLOYER),
    "jobs/event-get-jobs.json": ("GET", "/jobs?category=gardening&postcode=30&limit=20", None, PARTICIPANT),
    "jobs/event-get-job.json": ("GET", f"/jobs/{JOB}", None, PARTICIPANT),
    "jobs/event-patch-job.json": ("PATCH", f"/jobs/{JOB}", {"hourly_wage": "25.00"}, EMPLOYER),
    "jobs/event-post-job-publish.json": ("POST", f"/jobs/{JOB}/publish", None, EMPLOYER),
    "jobs/event-post-job-cancel.json": (
        "POST",
        f"/jobs/{JOB}/cancel",
        {"reason": "The event was called off"},
        EMPLOYER,
    ),
    "jobs/event-post-job-shift.json": ("POST", f"/jobs/{JOB}/shifts", SHIFT_BODY, EMPLOYER),
    "jobs/event-get-shift.json": ("GET", f"/shifts/{SHIFT}", None, PARTICIPANT),
    "jobs/event-post-shift-cancel.json": ("POST", f"/shifts/{SHIFT}/cancel", {"reason": "Rain"}, EMPLOYER),
    "applications/event-post-application.json": (
        "POST",
        f"/shifts/{SHIFT}/applications",
        {"message": "Gern!"},
        PARTICIPANT,
    ),
    "applications/event-get-shift-applications.json": ("GET", f"/shifts/{SHIFT}/applications", None, EMPLOYER),
    "applications/event-get-me-applications.json": ("GET", "/me/applications", None, PARTICIPANT),
    "applications/event-get-application.json": ("GET", f"/applications/{APP}", None, CASEWORKER),
    "applications/event-post-application-withdraw.json": ("POST", f"/applications/{APP}/withdraw", None, PARTICIPANT),
    "applications/event-post-application-confirm.json": ("POST", f"/applications/{APP}/confirm", None, PARTICIPANT),
    "applications/event-post-application-decline.json": ("POST", f"/applications/{APP}/decline", None, PARTICIPANT),
    "applications/event-post-application-accept.json": ("POST", f"/applications/{APP}/accept", None, EMPLOYER),
    "applications/event-post-application-reject.json": ("POST", f"/applications/{APP}/reject", None, EMPLOYER),
    "applications/event-post-application-no-show.json": ("POST", f"/applications/{APP}/no-show", None, EMPLOYER),
    "applications/event-post-application-cancel.json": (
        "POST",
        f"/applications/{APP}/cancel",
        {"reason": "Ill"},
        PARTICIPANT,
    ),
    "applications/event-post-application-hours.json": ("POST", f"/applications/{APP}/hours", HOURS, EMPLOYER),
    "applications/event-post-application-hours-approve.json": (
        "POST",
        f"/applications/{APP}/hours/approve",
        None,
        PARTICIPANT,
    ),
    "applications/event-post-application-hours-dispute.json": (
        "POST",
        f"/applications/{APP}/hours/dispute",
        {"reason": "The break was 15 minutes"},
        PARTICIPANT,
    ),
    "applications/event-post-application-hours-resolve.json": (
        "POST",
        f"/applications/{APP}/hours/resolve",
        HOURS,
        ADMIN,
    ),
    "applications/event-post-application-rating.json": ("POST", f"/applications/{APP}/rating", {"stars": 5}, EMPLOYER),
    "organisations/event-post-organisation-webhook-secret.json": (
        "POST",
        f"/organisations/{ORG}/webhook-secret",
        None,
        EMPLOYER,
    ),
    "organisations/event-put-organisation-webhook.json": (
        "PUT",
        f"/organisations/{ORG}/webhook",
        {"url": WEBHOOK_URL, "events": ["application.created", "hours.approved"]},
        EMPLOYER,
    ),
    "organisations/event-get-organisation-webhook-deliveries.json": (
        "GET",
        f"/organisations/{ORG}/webhook-deliveries",
        None,
        EMPLOYER,
    ),
    # favourites
    "organisations/event-get-organisation-favourites.json": ("GET", f"/organisations/{ORG}/favourites", None, EMPLOYER),
    "organisations/event-put-organisation-favourite.json": (
        "PUT",
        f"/organisations/{ORG}/favourites/{PAR}",
        None,
        EMPLOYER,
    ),
    "organisations/event-delete-organisation-favourite.json": (
        "DELETE",
        f"/organisations/{ORG}/favourites/{PAR}",
        None,
        EMPLOYER,
    ),
    "applications/event-post-shift-invitation.json": (
        "POST",
        f"/shifts/{SHIFT}/invitations",
        {"participant_id": PAR},
        EMPLOYER,
    ),
    "webhooks/event-get-dead-letters.json": ("GET", "/webhooks/dead-letters", None, ADMIN),
    "pay/event-get-pay-scheme.json": ("GET", "/pay-scheme", None, PARTICIPANT),
    "pay/event-post-pay-scheme-version.json": ("POST", "/pay-scheme/versions", PAY_SCHEME_VERSION, ADMIN),
    "pay/event-get-my-payslips.json": ("GET", "/me/payslips", None, PARTICIPANT),
    "pay/event-get-participant-payslips.json": ("GET", f"/participants/{PAR}/payslips", None, CASEWORKER),
    "pay/event-get-payslip.json": ("GET", f"/payslips/ps.2027-01.{PAR}", None, PARTICIPANT),
    "pay/event-get-payslip-pdf.json": ("GET", f"/payslips/ps.2027-01.{PAR}/pdf", None, PARTICIPANT),
    # Papers for the next step: work confirmations, their verification, references
    "pay/event-get-my-work-confirmation.json": ("GET", "/me/work-confirmation?from=2026-11-01", None, PARTICIPANT),
    "pay/event-get-participant-work-confirmation.json": (
        "GET",
        f"/participants/{PAR}/work-confirmation?from=2027-01-01&to=2027-06-30&lang=fr",
        None,
        CASEWORKER,
    ),
    "pay/event-get-verify.json": ("GET", "/verify/7KQ2-M9XD-4TZC-HW0P", None, None),
    "applications/event-put-application-reference.json": (
        "PUT",
        f"/applications/{APP}/reference",
        {"text": "Arbeitet ruhig, genau und hilft im Team mit."},
        EMPLOYER,
    ),
    "applications/event-post-application-reference-include.json": (
        "POST",
        f"/applications/{APP}/reference/include",
        None,
        PARTICIPANT,
    ),
    "applications/event-post-application-reference-exclude.json": (
        "POST",
        f"/applications/{APP}/reference/exclude",
        None,
        PARTICIPANT,
    ),
    # issue 19: contribution months, reliability record
    "participants/event-get-my-progress.json": ("GET", "/me/progress", None, PARTICIPANT),
    "participants/event-get-participant-progress.json": ("GET", f"/participants/{PAR}/progress", None, CASEWORKER),
    # calendar feed (issue 20)
    "participants/event-get-my-calendar.json": ("GET", "/me/calendar", None, PARTICIPANT),
    "participants/event-post-my-calendar.json": ("POST", "/me/calendar", None, PARTICIPANT),
    "participants/event-delete-my-calendar.json": ("DELETE", "/me/calendar", None, PARTICIPANT),
    "participants/event-get-calendar-feed.json": ("GET", f"/calendar/{CALENDAR_FEED}", None, None),
    "applications/event-post-application-excuse.json": (
        "POST",
        f"/applications/{APP}/excuse",
        {"reason": "illness"},
        CASEWORKER,
    ),
    # check-in at the site (issue 20)
    "applications/event-get-shift-check-in-code.json": ("GET", f"/shifts/{SHIFT}/check-in-code", None, EMPLOYER),
    "applications/event-post-check-in.json": (
        "POST",
        "/check-in",
        {"code": CHECK_IN_CODE},
        PARTICIPANT,
    ),
    "applications/event-post-application-check-in.json": (
        "POST",
        f"/applications/{APP}/check-in",
        {"event": "arrival"},
        EMPLOYER,
    ),
    # the step to a regular job (issue 19)
    "hiring/event-post-regular-offer.json": ("POST", "/regular-offers", REGULAR_OFFER_BODY, EMPLOYER),
    "hiring/event-get-regular-offers.json": ("GET", "/regular-offers", None, EMPLOYER),
    "hiring/event-get-my-regular-offers.json": ("GET", "/me/regular-offers", None, PARTICIPANT),
    "hiring/event-get-regular-offer.json": ("GET", f"/regular-offers/{OFFER}", None, PARTICIPANT),
    "hiring/event-post-regular-offer-accept.json": ("POST", f"/regular-offers/{OFFER}/accept", None, PARTICIPANT),
    "hiring/event-post-regular-offer-decline.json": ("POST", f"/regular-offers/{OFFER}/decline", None, PARTICIPANT),
    "hiring/event-post-regular-offer-withdraw.json": ("POST", f"/regular-offers/{OFFER}/withdraw", None, EMPLOYER),
    "reports/event-post-report.json": ("POST", "/reports", {"type": "programme", "period": "2026-10"}, ADMIN),
    "reports/event-get-reports.json": ("GET", "/reports?limit=20", None, CASEWORKER),
    "reports/event-get-report.json": ("GET", "/reports/rpt.earnings.2026-10", None, CASEWORKER),
}


# What a sample event starts from, for it to succeed on every call, not only once (bench.lambda_cpu
# makes it anew for each): when, around the sample shift ("before", "during", "after"), and what it
# follows: sample events sent first (each at its own time) or new data: "participant" (consenting;
# PAR), "leaving" (LEAVING), "organisation", "job" (published) or "draft" (a shift after the sample
# shift). Each also needs its own e-mail address to enrol, a later valid_from and a partner's
# signature made at the time. Events not listed succeed again on the same data.
FOLLOWS: dict[str, tuple[str, str]] = {  # events (event-<name>.json): when, what they follow
    "post-participant post-pay-scheme-version post-partner-event": ("before", ""),
    "post-application": ("before", "participant"),
    "post-application-accept post-application-reject post-application-withdraw": ("before", "post-application"),
    "post-application-confirm post-application-decline": ("before", "post-application-accept"),
    "post-application-cancel": ("before", "post-application-confirm"),
    "post-application-no-show post-application-check-in get-shift-check-in-code": (
        "during",
        "post-application-confirm",
    ),
    "post-application-excuse": ("during", "post-application-no-show"),
    "post-check-in": ("during", "get-shift-check-in-code"),
    "post-application-hours": ("after", "post-application-confirm"),
    "post-application-hours-approve post-application-hours-dispute": ("after", "post-application-hours"),
    "post-application-hours-resolve": ("after", "post-application-hours-dispute"),
    "post-application-rating put-application-reference": ("after", "post-application-hours-approve"),
    "put-organisation-favourite post-regular-offer": ("after", "post-application-hours-approve"),
    "post-application-reference-include": ("after", "put-application-reference"),
    "post-application-reference-exclude": ("after", "post-application-reference-include"),
    "delete-organisation-favourite": ("after", "put-organisation-favourite"),
    "post-shift-invitation": ("after", "put-organisation-favourite job"),
    "get-regular-offer post-regular-offer-accept": ("after", "post-regular-offer"),
    "post-regular-offer-decline post-regular-offer-withdraw": ("after", "post-regular-offer"),
    "post-participant-exit post-participant-erase": ("before", "leaving"),
    "post-organisation-suspend": ("before", "organisation"),
    "post-organisation-activate": ("before", "post-organisation-suspend"),
    "get-calendar-feed": ("before", "post-my-calendar"),
    "post-job-cancel post-shift-cancel": ("before", "job"),
    "post-job-publish": ("before", "draft"),
}
GIVES = {  # what the answer to a followed event gives the next: the sample value it replaces, and its field
    "get-shift-check-in-code": (CHECK_IN_CODE, "code"),
    "post-regular-offer": (OFFER, "offer_id"),
    "post-my-calendar": (CALENDAR_FEED, "url"),
}


def sqs_event(queue: str, *bodies: dict[str, Any]) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": f"059f36b4-87a3-44ab-83d2-66197583{i:04d}",
                "receiptHandle": f"AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a{i}",
                "body": json.dumps(body),
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": "1795597200000",
                    "SenderId": "AIDAIENQZJOLO23YVJ4VO",
                    "ApproximateFirstReceiveTimestamp": "1795597200010",
                },
                "messageAttributes": {},
                "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:eu-central-2:123456789012:tremplin-dev-{queue}",
                "awsRegion": "eu-central-2",
            }
            for i, body in enumerate(bodies)
        ]
    }


QUEUED: dict[str, dict[str, Any]] = {
    "webhook_consumer/event-sqs-partner-events.json": sqs_event(
        "WebhooksQueue",
        {
            "org_id": ORG,
            "webhook_id": "msg_2Lh3",
            "event": {"type": "job.cancel", "data": {"external_ref": "HR-4711", "reason": "Cancelled by partner"}},
        },
    ),
    "delivery_worker/event-sqs-deliveries.json": sqs_event(
        "DeliveriesQueue",
        {
            "event_id": "evt_0000000000010000000000000001",
            "org_id": ORG,
            "type": "application.created",
            "created_at": "2026-11-25T09:00:00+00:00",
            "data": {
                "application_id": APP,
                "shift_id": SHIFT,
                "job_id": JOB,
                "participant_id": PAR,
                "status": "applied",
            },
        },
    ),
    "report_worker/event-sqs-reports.json": sqs_event(
        "ReportsQueue", {"report_id": "rpt.programme.2026-10", "attempt": 1}
    ),
    "notifier/event-sqs-notifications.json": sqs_event(
        "NotificationsQueue",
        {
            "notification_id": "ntf_0000000000010000000000000001",
            "recipient": f"participant#{PAR}",
            "event_id": "evt_0000000000010000000000000001",
            "kind": "enrolled",
            "data": {},
            "about_participant": None,
            "created_at": "2026-11-25T09:00:00+00:00",
        },
    ),
}


APPLICATION_ITEM = {
    **keys.application(APP),
    "type": "application",
    "application_id": APP,
    "shift_id": SHIFT,
    "job_id": JOB,
    "org_id": ORG,
    "participant_id": PAR,
    "caseworker_id": "caseworker-sample",
    "status": "applied",
    "shift_starts_at": "2027-05-03T06:00:00+00:00",
    "shift_ends_at": "2027-05-03T10:00:00+00:00",
    "shift_break_minutes": 15,
    "hourly_wage": "24.50",
    "created_at": "2026-11-25T09:00:00+00:00",
    "updated_at": "2026-11-25T09:00:00+00:00",
}


STREAM_ARN = "arn:aws:dynamodb:eu-central-2:123456789012:table/tremplin-dev/stream/2026-11-25T00:00:00.000"


def stream_event(*changes: tuple[dict[str, Any] | None, dict[str, Any]]) -> dict[str, Any]:
    """DynamoDB stream records (NEW_AND_OLD_IMAGES) as Lambda's event source mapping hands them over."""
    from boto3.dynamodb.types import TypeSerializer

    def image(item: dict[str, Any]) -> dict[str, Any]:
        return {k: TypeSerializer().serialize(v) for k, v in item.items()}

    records = []
    for i, (old, new) in enumerate(changes):
        change: dict[str, Any] = {
            "ApproximateCreationDateTime": 1795597200,
            "Keys": image({"PK": new["PK"], "SK": new["SK"]}),
            "NewImage": image(new),
            "SequenceNumber": f"4000000000000000000{i:04d}",
            "SizeBytes": 512,
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        }
        if old:
            change["OldImage"] = image(old)
        records.append(
            {
                "eventID": f"c4ca4238a0b923820dcc509a6f75{i:04d}",
                "eventName": "MODIFY" if old else "INSERT",
                "eventVersion": "1.1",
                "eventSource": "aws:dynamodb",
                "awsRegion": "eu-central-2",
                "dynamodb": change,
                "eventSourceARN": STREAM_ARN,
            }
        )
    return {"Records": records}


STREAMED: dict[str, dict[str, Any]] = {
    "changes/event-stream-application-created.json": stream_event((None, APPLICATION_ITEM)),
    "changes/event-stream-offer-made.json": stream_event(
        (
            APPLICATION_ITEM,
            APPLICATION_ITEM
            | {
                "status": "offered",
                "offer_expires_at": "2026-11-26T09:00:00+00:00",
                "updated_at": "2026-11-25T09:30:00+00:00",
            },
        )
    ),
}


SCHEDULED: dict[str, dict[str, Any]] = {
    f"schedules/event-schedule-{s.payload['job']}.json": dict(s.payload) for s in template.schedules()
}


def token_generation_event(trigger: str, groups: list[str], **attributes: str) -> dict[str, Any]:
    """Cognito's Pre Token Generation trigger event (V1), as the user pool sends it."""
    sub = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
    return {
        "version": "1",
        "triggerSource": trigger,
        "region": "eu-central-2",
        "userPoolId": "eu-central-2_example",
        "userName": sub,
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "example-client-id"},
        "request": {
            "userAttributes": {"sub": sub, "email_verified": "true", "cognito:user_status": "CONFIRMED", **attributes},
            "groupConfiguration": {"groupsToOverride": groups, "iamRolesToOverride": [], "preferredRole": None},
        },
        "response": {"claimsOverrideDetails": None},
    }


SIGN_INS: dict[str, dict[str, Any]] = {
    "staff_sign_in/event-token-generation-caseworker.json": token_generation_event(
        "TokenGeneration_HostedAuth", ["caseworker"], email="beraterin@bern.ch"
    ),
    "staff_sign_in/event-token-generation-participant-refresh.json": token_generation_event(
        "TokenGeneration_RefreshTokens",
        ["participant"],
        email="anna.meier@example.ch",
        **{"custom:participant_id": PAR},
    ),
}


def http_event(method: str, target: str, body: Any, authorizer_claims: dict[str, str] | None) -> dict[str, Any]:
    routes = template.routes()
    headers = {"host": HOST, "content-type": "application/json", "user-agent": "Mozilla/5.0"}
    event = route_event(routes, method, target, headers, json.dumps(body).encode() if body is not None else b"")
    assert event is not None, f"no route for {method} {target}"
    event["requestContext"].update(
        domainName=HOST,
        apiId="abc123",
        requestId="c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
        time="25/Nov/2026:09:00:00 +0000",
        timeEpoch=1795597200000,
    )
    if authorizer_claims:
        event["requestContext"]["authorizer"] = {"jwt": {"claims": authorizer_claims, "scopes": None}}
    return event


def signed_partner_event() -> dict[str, Any]:
    """A partner's signed event, with a sample secret: `sam local invoke` shows a 401 for an
    organisation that holds another secret (and for a timestamp more than 5 minutes old)."""
    body = {"type": "job.cancel", "data": {"external_ref": "HR-4711"}}
    event = http_event("POST", f"/webhooks/partners/{ORG}", body, None)
    event["headers"] |= {
        "webhook-id": "msg_2Lh3",
        "webhook-timestamp": "1795597200",
        "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    }
    return event


def main() -> int:
    _write("webhooks/event-post-partner-event.json", signed_partner_event())
    for name, (method, target, body, who) in HTTP.items():
        _write(name, http_event(method, target, body, who))
    for name, event in {**QUEUED, **STREAMED, **SCHEDULED, **SIGN_INS}.items():
        _write(name, event)
    return 0


def _write(name: str, event: dict[str, Any]) -> None:
    path = EVENTS / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(event, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
