"""The DynamoDB calls of every request route, by operation, exactly: a call added (or a Query
turned into a Scan) fails here. Counted client-side (tests/aws_calls.py), so moto gives the
counts DynamoDB Local or DynamoDB would. The issue's targets: apply, accept and confirm make at
most 2 calls each; a page of GET /jobs is 1 Query, however many jobs there are (and 1 GetItem of
the organisations that made the participant a favourite)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import quote

from tests.aws_calls import AwsCalls
from tests.helpers import Answer, Api, create_org, job_body, participant_body, shift_body
from tests.route_walk import walk

BGI, GI, Q = "BatchGetItem", "GetItem", "Query"
TWI, UI, PI, BWI = "TransactWriteItems", "UpdateItem", "PutItem", "BatchWriteItem"
DI = "DeleteItem"

# Every route of the template, as tests/route_walk.py calls it (caseworker and admin reads and
# changes of participant data add their audit entries with one BatchWriteItem).
BY_ROUTE: dict[str, dict[str, int]] = {
    "GET /health": {},
    "GET /docs": {},
    "GET /openapi.json": {},
    "GET /webhooks/dead-letters": {},
    "POST /organisations": {PI: 1},
    "GET /organisations": {BGI: 1, Q: 1},
    "GET /organisations/{org_id}": {GI: 1},
    "POST /organisations/{org_id}/suspend": {UI: 1},
    "POST /organisations/{org_id}/activate": {UI: 1},
    "GET /pay-scheme": {GI: 1},
    "POST /pay-scheme/versions": {GI: 1, UI: 1},
    "GET /me/payslips": {BGI: 1, Q: 1},  # the profile: an erased participant's token reads nothing
    "GET /participants/{participant_id}/payslips": {BGI: 1, BWI: 1, Q: 1},
    "GET /payslips/{payslip_id}": {BGI: 1, GI: 1},
    "GET /payslips/{payslip_id}/pdf": {BGI: 1, BWI: 1, GI: 1},
    # issue 19: the profile, one keyed Query of the participant's applications in the window and
    # one BatchGetItem of them (a keys-only index), the audit entry of a staff read
    "GET /me/progress": {BGI: 2, Q: 1},
    "GET /participants/{participant_id}/progress": {BGI: 2, BWI: 1, Q: 1},
    # calendar feed (issue 20): the profile, then the feed item; the public feed is one Query
    "GET /me/calendar": {GI: 2},
    "POST /me/calendar": {GI: 1, PI: 1},
    "DELETE /me/calendar": {GI: 1, DI: 1},
    "GET /calendar/{feed}": {Q: 1},
    "POST /applications/{application_id}/excuse": {GI: 1, TWI: 1},  # an admin: no profile to read
    # the step to a regular job: the profile and the organisation, the participant's applications (a
    # page, whole items), the offer with the organisation's lock; answers read the offer and the profile
    "POST /regular-offers": {BGI: 2, Q: 1, TWI: 1},
    "GET /regular-offers": {BGI: 2, Q: 1},  # the page's items, then their profiles (names)
    "GET /me/regular-offers": {BGI: 2, Q: 1},
    "GET /regular-offers/{offer_id}": {BGI: 1},
    "POST /regular-offers/{offer_id}/accept": {BGI: 1, TWI: 1},
    "POST /regular-offers/{offer_id}/decline": {BGI: 1, TWI: 1},
    "POST /regular-offers/{offer_id}/withdraw": {BGI: 2, TWI: 1},
    "POST /organisations/{org_id}/webhook-secret": {GI: 2, PI: 1},
    "PUT /organisations/{org_id}/webhook": {GI: 1, PI: 1},
    "GET /organisations/{org_id}/webhook-deliveries": {GI: 1, Q: 1},
    "POST /webhooks/partners/{org_id}": {GI: 2, PI: 1},
    "POST /participants": {TWI: 1},
    "GET /participants": {BGI: 1, BWI: 1, Q: 1},
    "GET /participants/{participant_id}": {BWI: 1, GI: 1},
    "PATCH /participants/{participant_id}": {GI: 1, TWI: 1},  # the change and its audit entry at once
    "GET /participants/{participant_id}/activity": {BGI: 1, BWI: 1, GI: 1, Q: 3},
    "GET /participants/{participant_id}/audit": {GI: 1, Q: 1},
    "POST /participants/{participant_id}/suggestions": {GI: 2, TWI: 1},  # the suggestion and its audit
    "POST /participants/{participant_id}/exit": {GI: 1, TWI: 1},
    # Q: + the papers issued, + the offers of regular employment, + the calendar feed (issue 20)
    "POST /participants/{participant_id}/erase": {GI: 1, TWI: 1},  # the rest follows from the stream
    "POST /me/consent": {GI: 1, TWI: 1},
    "GET /me": {GI: 1},
    "PATCH /me": {GI: 1, TWI: 1},
    "GET /me/applications": {BGI: 2, Q: 1},
    "GET /me/notifications": {Q: 1},
    "GET /me/links/{token}": {},  # SMS (issue 20): the token is checked with the key, nothing is read
    "GET /me/export": {BGI: 2, GI: 1, Q: 5},  # BGI: the applications; what the items name, and the claim
    "POST /jobs": {GI: 2, TWI: 1},  # the organisation and the pay scheme (minimum wages) at once
    # the job; its shifts (for the answer) with the pay scheme when the wage or class changes; the change
    "PATCH /jobs/{job_id}": {BGI: 1, GI: 2, TWI: 1},
    "POST /jobs/{job_id}/shifts": {GI: 2, TWI: 1},  # the job and the pay scheme (the new date's minimum) at once
    "POST /jobs/{job_id}/publish": {BGI: 1, GI: 1, TWI: 1},  # answers with what it read, changed
    "POST /jobs/{job_id}/cancel": {BGI: 1, GI: 1, TWI: 1},
    "GET /jobs": {GI: 1, Q: 1},  # the organisations that made the participant a favourite
    "GET /jobs/{job_id}": {BGI: 1, GI: 1},
    "GET /shifts/{shift_id}": {GI: 2},
    "POST /shifts/{shift_id}/cancel": {GI: 1, UI: 1},  # the update returns the shift
    "POST /shifts/{shift_id}/applications": {BGI: 1, TWI: 1},
    "GET /shifts/{shift_id}/applications": {BGI: 3, Q: 1},
    "GET /applications/{application_id}": {BGI: 1, GI: 1},  # as the employer, with the applicant card
    "POST /applications/{application_id}/accept": {BGI: 1, TWI: 1},
    "POST /applications/{application_id}/confirm": {BGI: 1, UI: 1},
    "POST /applications/{application_id}/decline": {BGI: 1, TWI: 1},
    "POST /applications/{application_id}/reject": {GI: 1, UI: 1},
    "POST /applications/{application_id}/withdraw": {BGI: 1, UI: 1},
    "POST /applications/{application_id}/cancel": {BGI: 1, TWI: 1},
    "POST /applications/{application_id}/no-show": {GI: 1, TWI: 1},
    "POST /applications/{application_id}/hours": {GI: 1, UI: 1},
    "POST /applications/{application_id}/hours/approve": {BGI: 1, TWI: 1},  # app, profile, scheme at once
    "POST /applications/{application_id}/hours/dispute": {BGI: 1, UI: 1},
    "POST /applications/{application_id}/hours/resolve": {BGI: 1, GI: 1, TWI: 1},  # + profile and scheme
    "POST /applications/{application_id}/rating": {GI: 1, TWI: 1},
    "POST /reports": {UI: 1},
    # favourites: the record of working together and the profile at once; the mark on both sides
    "PUT /organisations/{org_id}/favourites/{participant_id}": {BGI: 1, TWI: 1},
    "GET /organisations/{org_id}/favourites": {BGI: 2, GI: 1, Q: 1},  # the org; the page's items; their profiles
    "DELETE /organisations/{org_id}/favourites/{participant_id}": {BGI: 1, TWI: 1},
    "POST /shifts/{shift_id}/invitations": {BGI: 1, TWI: 1},  # shift, favourite, schedule, profile at once
    "GET /reports": {Q: 1},
    "GET /reports/{report_id}": {GI: 1},
    "GET /reports/{report_id}/audit": {GI: 1, Q: 1},
    # Papers for the next step: the profile; the shifts of the period (a Query of the participant's
    # applications by start, their items), their jobs and organisations; the code and its note at once.
    "GET /me/work-confirmation": {BGI: 3, Q: 1, TWI: 1},
    "GET /participants/{participant_id}/work-confirmation": {BGI: 3, Q: 1, TWI: 1},  # TWI: the paper and its audit
    "GET /verify/{code}": {GI: 1},
    "PUT /applications/{application_id}/reference": {GI: 1, UI: 1},
    "POST /applications/{application_id}/reference/include": {BGI: 1, UI: 1},
    "POST /applications/{application_id}/reference/exclude": {BGI: 1, UI: 1},
    # check-in at the site (issue 20): the shift; the application with the profile, one conditional
    # write; the employer's: the application, one conditional write
    "GET /shifts/{shift_id}/check-in-code": {BGI: 1},
    "POST /check-in": {BGI: 1, UI: 1},
    "POST /applications/{application_id}/check-in": {GI: 1, UI: 1},
}


def test_every_route_makes_exactly_its_calls(aws: dict[str, Any]) -> None:
    walked = walk(Api())
    seen: dict[str, list[dict[str, int]]] = defaultdict(list)
    for call in walked.calls:
        if call.calls not in seen[call.route]:
            seen[call.route].append(call.calls)
    assert dict(seen) == {route: [calls] for route, calls in BY_ROUTE.items()}


# The lifecycle, request by request: the same calls for the first participant and the sixth.
LIFECYCLE = {
    "apply": {BGI: 1, TWI: 1},  # the shift and the profile; the application, its list entries
    "accept": {BGI: 1, TWI: 1},  # application, schedule, profile; offer + slot + schedule at once
    "confirm": {BGI: 1, UI: 1},  # the application and the profile; one conditional update
    "get as participant": {BGI: 1},
    "get as employer": {BGI: 1, GI: 1},
    "applicants": {BGI: 3, Q: 1},  # the shift, the page's applications, their profiles
    "decline": {BGI: 1, TWI: 1},
    "hours": {GI: 1, UI: 1},
    "approve": {BGI: 1, TWI: 1},  # the application, the profile and the pay scheme in one batch
}
TARGETS = {"apply": 2, "accept": 2, "confirm": 2}


def test_the_lifecycle_makes_the_same_few_calls_for_every_participant(api: Api) -> None:
    api.call("POST", "/_local/clock", json_body={"now": "2026-11-25T09:00:00+01:00"})
    employer = api.employer(create_org(api))
    main = job_body(shift_body("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00", slots=6), publish=True)
    other = job_body(shift_body("2026-12-02T08:00:00+01:00", "2026-12-02T12:00:00+01:00", slots=6), publish=True)
    shifts = [
        api.call("POST", "/jobs", token=employer, json_body=j).body["shifts"][0]["shift_id"] for j in [main, other]
    ]
    seen: dict[str, list[dict[str, int]]] = defaultdict(list)

    def step(name: str, method: str, path: str, token: str, body: Any = None) -> Answer:
        with AwsCalls() as counted:
            answer = api.call(method, path, token=token, json_body=body)
        assert answer.status in (200, 201), (name, answer.body)
        seen[name].append(counted.dynamodb())
        return answer

    people = []
    for n in range(6):
        body = participant_body(email=f"p{n}@example.ch", case_reference=f"SD-2026-{n:04d}")
        pid = api.call("POST", "/participants", token=api.token("caseworker", "cw-1"), json_body=body).body
        token = api.token("participant", f"p{n}", participant_id=pid["participant_id"])
        api.call("POST", "/me/consent", token=token, json_body={"version": "2026-01"})
        app = step("apply", "POST", f"/shifts/{shifts[0]}/applications", token, {"message": "Gern!"}).body
        step("accept", "POST", f"/applications/{app['application_id']}/accept", employer)
        step("confirm", "POST", f"/applications/{app['application_id']}/confirm", token)
        step("get as participant", "GET", f"/applications/{app['application_id']}", token)
        step("get as employer", "GET", f"/applications/{app['application_id']}", employer)
        step("applicants", "GET", f"/shifts/{shifts[0]}/applications", employer)
        second = api.call("POST", f"/shifts/{shifts[1]}/applications", token=token).body["application_id"]
        api.call("POST", f"/applications/{second}/accept", token=employer)
        step("decline", "POST", f"/applications/{second}/decline", token)
        people.append((app["application_id"], token))
    api.call("POST", "/_local/clock", json_body={"now": "2026-12-01T12:30:00+01:00"})
    hours = {"started_at": "2026-12-01T08:00:00+01:00", "ended_at": "2026-12-01T12:00:00+01:00", "break_minutes": 30}
    for app_id, token in people:
        step("hours", "POST", f"/applications/{app_id}/hours", employer, hours)
        step("approve", "POST", f"/applications/{app_id}/hours/approve", token)

    assert {name: [calls] for name, calls in LIFECYCLE.items()} == {
        name: [c for i, c in enumerate(calls) if c not in calls[:i]] for name, calls in seen.items()
    }
    assert all(len(seen[name]) == 6 for name in LIFECYCLE)
    assert {name: sum(LIFECYCLE[name].values()) for name in TARGETS} == TARGETS


def test_every_page_of_jobs_is_one_query(api: Api) -> None:
    api.call("POST", "/_local/clock", json_body={"now": "2026-11-25T09:00:00+01:00"})
    employer = api.employer(create_org(api))
    for day in range(1, 10):
        start, end = f"2026-12-{day:02d}T08:00:00+01:00", f"2026-12-{day:02d}T12:00:00+01:00"
        body = job_body(shift_body(start, end), shift_body(start.replace("T08", "T13"), end.replace("T12", "T17")))
        assert api.call("POST", "/jobs", token=employer, json_body=body | {"publish": True}).status == 201
    me = api.token("participant", participant_id="par_browse")
    for query in ("limit=4", "limit=4&category=gardening&postcode=30"):
        pages, cursor = [], ""
        while True:
            with AwsCalls() as counted:
                page = api.call("GET", f"/jobs?{query}{cursor}", token=me).body
            pages.append(counted.dynamodb())
            if not page.get("next_cursor"):
                break
            cursor = f"&cursor={quote(page['next_cursor'])}"
        assert len(pages) >= 4
        assert pages == [{GI: 1, Q: 1}] * len(pages)  # and who made the participant a favourite (favourites)


def test_only_the_webhook_secret_routes_call_kms_once_and_a_partners_next_events_not_at_all(
    aws: dict[str, Any],
) -> None:
    """Making a webhook secret encrypts it (1 Encrypt, no Decrypt, also when the old one is kept
    as the previous); a partner's event signed with the current secret opens that one only
    (1 Decrypt); the next ones open none within minutes (the cache: test_webhook_secrets.py)."""
    walked = walk(Api())
    kms: dict[str, list[dict[str, int]]] = defaultdict(list)
    for call in walked.calls:
        made = {k: v for k, v in call.other_calls.items() if k.startswith("kms.")}
        if made not in kms[call.route]:
            kms[call.route].append(made)
    assert {route: calls for route, calls in kms.items() if any(calls)} == {
        "POST /organisations/{org_id}/webhook-secret": [{"kms.Encrypt": 1}],
        "POST /webhooks/partners/{org_id}": [{"kms.Decrypt": 1}],
    }
