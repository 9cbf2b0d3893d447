"""Every route x every role, against API.md's roles column (written out here, independently of
the functions' own role tables): a role not listed gets 403 before anything is read, and
no request without a token gets past the authorizer."""

from __future__ import annotations

from typing import Any

import pytest

from local import template
from tests.helpers import Api

P, E, C, A = "participant", "employer", "caseworker", "admin"
ALL = {P, E, C, A}
PUBLIC: set[str] = set()

# API.md, route by route. Where this project opens a route wider than API.md says, the
# comment says why.
API_MD: dict[str, set[str]] = {
    "GET /health": PUBLIC,
    "GET /openapi.json": PUBLIC,
    "GET /docs": PUBLIC,
    "POST /organisations": {A},
    "GET /organisations": {A, E},
    "GET /organisations/{org_id}": {A, E},
    "POST /organisations/{org_id}/suspend": {A},
    "POST /organisations/{org_id}/activate": {A},
    "POST /organisations/{org_id}/webhook-secret": {A, E},
    "PUT /organisations/{org_id}/webhook": {A, E},
    "GET /organisations/{org_id}/webhook-deliveries": {A, E},
    "POST /webhooks/partners/{org_id}": PUBLIC,  # signed instead
    "GET /webhooks/dead-letters": {A},  # "admins can list what is parked there"
    "POST /participants": {C, A},
    "GET /participants": {C, A},
    "GET /participants/{participant_id}": {C, A},
    "PATCH /participants/{participant_id}": {C, A},
    "GET /participants/{participant_id}/activity": {C, A},
    "POST /participants/{participant_id}/suggestions": {C},
    "POST /participants/{participant_id}/exit": {C, A},
    "POST /participants/{participant_id}/erase": {A},
    "GET /participants/{participant_id}/audit": {A},
    "GET /me": {P},
    "PATCH /me": {P},
    "POST /me/consent": {P},
    "GET /me/applications": {P},
    "GET /me/payslips": {P},
    "GET /participants/{participant_id}/payslips": {C, A},
    "GET /payslips/{payslip_id}": {P, C, A},
    "GET /payslips/{payslip_id}/pdf": {P, C, A},
    # issue 19
    "GET /me/progress": {P},
    "GET /participants/{participant_id}/progress": {C, A},
    # calendar feed (issue 20): the feed itself is read by its secret URL, without a token
    "GET /me/calendar": {P},
    "POST /me/calendar": {P},
    "DELETE /me/calendar": {P},
    "GET /calendar/{feed}": PUBLIC,
    "POST /applications/{application_id}/excuse": {C, A},
    "GET /me/notifications": ALL,  # every role has an inbox (PRODUCT.md, Notifications)
    "GET /me/links/{token}": {P},  # SMS (issue 20): the short link of a participant's own SMS
    "GET /me/export": {P},
    "POST /jobs": {E},
    "GET /jobs": {P, E, A, C},  # caseworkers browse to suggest jobs
    "GET /jobs/{job_id}": ALL,
    "PATCH /jobs/{job_id}": {E},
    "POST /jobs/{job_id}/publish": {E},
    "POST /jobs/{job_id}/cancel": {E},
    "POST /jobs/{job_id}/shifts": {E},
    "GET /shifts/{shift_id}": ALL,
    "POST /shifts/{shift_id}/cancel": {E},
    "POST /shifts/{shift_id}/applications": {P},
    "GET /shifts/{shift_id}/applications": {E},
    "GET /applications/{application_id}": ALL,
    "POST /applications/{application_id}/withdraw": {P},
    "POST /applications/{application_id}/confirm": {P},
    "POST /applications/{application_id}/decline": {P},
    "POST /applications/{application_id}/accept": {E},
    "POST /applications/{application_id}/reject": {E},
    "POST /applications/{application_id}/no-show": {E},
    "POST /applications/{application_id}/cancel": {P, E},
    "POST /applications/{application_id}/hours": {E},
    "POST /applications/{application_id}/hours/approve": {P},
    "POST /applications/{application_id}/hours/dispute": {P},
    "POST /applications/{application_id}/hours/resolve": {A},
    "POST /applications/{application_id}/rating": {P, E},
    "GET /pay-scheme": ALL,
    "POST /pay-scheme/versions": {A},
    "POST /reports": {A, E},
    "GET /reports": {A, C, E},
    "GET /reports/{report_id}": {A, C, E},
    "GET /reports/{report_id}/audit": {A},
    # Papers for the next step
    "GET /me/work-confirmation": {P},
    "GET /participants/{participant_id}/work-confirmation": {C, A},
    "GET /verify/{code}": PUBLIC,
    "PUT /applications/{application_id}/reference": {E},
    "POST /applications/{application_id}/reference/include": {P},
    "POST /applications/{application_id}/reference/exclude": {P},
    # the step to a regular job (issue 19; API.md is silent: the roles)
    "POST /regular-offers": {E},
    "GET /regular-offers": {E, C, A},
    "GET /me/regular-offers": {P},
    "GET /regular-offers/{offer_id}": ALL,
    "POST /regular-offers/{offer_id}/accept": {P},
    "POST /regular-offers/{offer_id}/decline": {P},
    "POST /regular-offers/{offer_id}/withdraw": {E},
    # favourites (issue 19)
    "GET /organisations/{org_id}/favourites": {A, E},
    "PUT /organisations/{org_id}/favourites/{participant_id}": {A, E},
    "DELETE /organisations/{org_id}/favourites/{participant_id}": {A, E},
    "POST /shifts/{shift_id}/invitations": {E},
    # check-in at the site (issue 20)
    "GET /shifts/{shift_id}/check-in-code": {E},
    "POST /check-in": {P},
    "POST /applications/{application_id}/check-in": {E},
}


def test_every_route_of_the_template_is_in_the_matrix() -> None:
    assert {r.route_key for r in template.routes()} == set(API_MD)


def _call(api: Api, route: template.Route, token: str | None) -> Any:
    path = route.path.replace("{", "").replace("}", "")  # ids that exist nowhere: org_id, job_id...
    body: dict[str, Any] | None = None if route.method == "GET" else {}
    return api.call(route.method, path, token=token, json_body=body)


@pytest.mark.parametrize("route", [r for r in template.routes() if API_MD[r.route_key]], ids=lambda r: r.route_key)
def test_roles_not_listed_get_403_and_no_token_gets_401(api: Api, route: template.Route) -> None:
    for role in sorted(ALL - API_MD[route.route_key]):
        answer = _call(api, route, api.token(role, org_id="org_x", participant_id="par_x"))
        assert answer.status == 403, (role, answer.body)
        assert answer.body["error"]["code"] == "forbidden"
    assert _call(api, route, None).status == 401


@pytest.mark.parametrize("route", [r for r in template.routes() if API_MD[r.route_key]], ids=lambda r: r.route_key)
def test_listed_roles_never_get_a_2xx_for_something_that_does_not_exist(api: Api, route: template.Route) -> None:
    lists = {
        "GET /organisations",
        "GET /participants",
        "GET /jobs",
        "GET /reports",
        "GET /me/applications",
        "GET /me/payslips",
        "GET /me/regular-offers",
        "GET /me/notifications",
        "GET /webhooks/dead-letters",
    }
    for role in sorted(API_MD[route.route_key]):
        answer = _call(api, route, api.token(role, org_id="org_x", participant_id="par_x"))
        if route.route_key == "GET /regular-offers" and role == C:  # a caseworker names a participant
            assert answer.status == 422, answer.body
        elif route.route_key == "GET /regular-offers":
            assert answer.status == 200 and answer.body["items"] == [], (role, answer.body)
        elif route.route_key == "GET /pay-scheme":  # one resource that always exists (the defaults at least)
            assert answer.status == 200 and answer.body["versions"], (role, answer.body)
        elif route.route_key in lists:
            assert answer.status == 200, (role, answer.body)  # a list of nothing the caller may not see
            items = answer.body if isinstance(answer.body, list) else answer.body["items"]
            assert items == [], (role, answer.body)
        else:
            assert answer.status in {400, 404, 409, 422}, (role, route.route_key, answer.status, answer.body)
