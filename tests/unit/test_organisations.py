"""Partner organisations through the HTTP API (in process, moto)."""

from __future__ import annotations

import pytest

from tests.helpers import Api, all_items, org_body


def _create(api: Api, **overrides: object) -> dict:
    answer = api.call("POST", "/organisations", token=api.admin(), json_body=org_body(**overrides))
    assert answer.status == 201, answer.body
    return answer.body


def test_admin_creates_an_active_organisation_that_is_stored(api: Api, table_name: str) -> None:
    org = _create(api, kind="public", contact_email="Stadtgruen@Bern.CH")
    assert org["org_id"].startswith("org_")
    assert org["status"] == "active"
    assert org["contact_email"] == "stadtgruen@bern.ch"
    stored = [i for i in all_items(table_name) if i.get("org_id") == org["org_id"]]
    assert len(stored) == 1 and stored[0]["name"] == "Bäckerei Glauser"
    again = api.call("GET", f"/organisations/{org['org_id']}", token=api.admin())
    assert again.status == 200 and again.body == org


def test_malformed_json_is_a_400_and_nothing_is_written(api: Api, table_name: str) -> None:
    answer = api.call("POST", "/organisations", token=api.admin(), raw=b'{"name": "Acme",')
    assert answer.status == 400
    assert answer.body["error"]["code"] == "malformed_json"
    assert all_items(table_name) == []


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"name": ""}, {"name"}),
        ({"kind": "charity"}, {"kind"}),
        ({"contact_email": "not-an-address"}, {"contact_email"}),
        ({"address": {"street": "x", "postcode": "301", "city": "Bern"}}, {"address.postcode"}),
        ({"address": {"street": "x", "city": "Bern"}}, {"address.postcode"}),
        ({"unexpected": 1}, {"unexpected"}),
    ],
)
def test_invalid_fields_are_a_422_naming_them_and_nothing_is_written(
    api: Api, table_name: str, overrides: dict, fields: set[str]
) -> None:
    answer = api.call("POST", "/organisations", token=api.admin(), json_body=org_body(**overrides))
    assert answer.status == 422
    assert answer.body["error"]["code"] == "validation_failed"
    assert {d["field"] for d in answer.body["error"]["details"]} == fields
    assert all_items(table_name) == []


def test_missing_fields_are_all_named(api: Api) -> None:
    answer = api.call("POST", "/organisations", token=api.admin(), json_body={})
    assert answer.status == 422
    assert {d["field"] for d in answer.body["error"]["details"]} == {"name", "kind", "contact_email", "address"}


def test_no_token_or_a_bad_token_is_a_401_in_the_contract_format(api: Api, table_name: str) -> None:
    forged = Api().token("admin")  # signed by another issuer's key
    for token in (None, "not-a-jwt", forged):
        answer = api.call("POST", "/organisations", token=token, json_body=org_body())
        assert answer.status == 401
        assert answer.body["error"]["code"] == "unauthorized"
        assert answer.body["error"]["message"]
    assert all_items(table_name) == []


@pytest.mark.parametrize("role", ["participant", "employer", "caseworker"])
def test_only_admins_create_organisations(api: Api, table_name: str, role: str) -> None:
    token = api.token(role, org_id="org_x", participant_id="par_x")
    # The role is refused before the body is read: no hint about which fields are wrong.
    answer = api.call("POST", "/organisations", token=token, json_body={"name": ""})
    assert answer.status == 403
    assert answer.body["error"]["code"] == "forbidden"
    assert all_items(table_name) == []


@pytest.mark.parametrize("role", ["participant", "caseworker"])
def test_participants_and_caseworkers_do_not_list_organisations(api: Api, role: str) -> None:
    token = api.token(role, participant_id="par_x")
    assert api.call("GET", "/organisations", token=token).status == 403


def test_an_employer_sees_only_its_own_organisation(api: Api) -> None:
    own = _create(api, name="Own AG")
    other = _create(api, name="Other AG")
    token = api.employer(own["org_id"])
    assert api.call("GET", f"/organisations/{own['org_id']}", token=token).body["name"] == "Own AG"
    hidden = api.call("GET", f"/organisations/{other['org_id']}", token=token)
    missing = api.call("GET", "/organisations/org_doesnotexist", token=token)
    assert hidden.status == missing.status == 404
    assert hidden.body["error"]["code"] == missing.body["error"]["code"] == "not_found"
    listed = api.call("GET", "/organisations", token=token).body
    assert [o["org_id"] for o in listed["items"]] == [own["org_id"]]
    assert listed["next_cursor"] is None


def test_employers_cannot_suspend_even_their_own_organisation(api: Api, table_name: str) -> None:
    own = _create(api)
    answer = api.call("POST", f"/organisations/{own['org_id']}/suspend", token=api.employer(own["org_id"]))
    assert answer.status == 403
    assert api.call("GET", f"/organisations/{own['org_id']}", token=api.admin()).body["status"] == "active"


def test_admin_suspends_and_activates(api: Api) -> None:
    org = _create(api)
    suspended = api.call("POST", f"/organisations/{org['org_id']}/suspend", token=api.admin())
    assert suspended.status == 200 and suspended.body["status"] == "suspended"
    assert api.call("GET", f"/organisations/{org['org_id']}", token=api.admin()).body["status"] == "suspended"
    activated = api.call("POST", f"/organisations/{org['org_id']}/activate", token=api.admin())
    assert activated.body["status"] == "active"


def test_suspending_an_unknown_organisation_is_a_404_and_creates_nothing(api: Api, table_name: str) -> None:
    answer = api.call("POST", "/organisations/org_nope/suspend", token=api.admin())
    assert answer.status == 404
    assert all_items(table_name) == []


def test_list_pages_through_every_organisation_once(api: Api) -> None:
    created = {_create(api, name=f"Org {i}")["org_id"] for i in range(5)}
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        path = "/organisations?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = api.call("GET", path, token=api.admin()).body
        seen.extend(o["org_id"] for o in page["items"])
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(created)
    assert pages == 3


@pytest.mark.parametrize("cursor", ["garbage", "eyJQSyI6ICJPUkcjeCJ9", "A" * 64])
def test_a_forged_cursor_is_a_400(api: Api, cursor: str) -> None:
    _create(api)
    answer = api.call("GET", f"/organisations?cursor={cursor}", token=api.admin())
    assert answer.status == 400
    assert answer.body["error"]["code"] == "invalid_cursor"


def test_a_tampered_cursor_is_a_400(api: Api) -> None:
    for i in range(3):
        _create(api, name=f"Org {i}")
    cursor = api.call("GET", "/organisations?limit=1", token=api.admin()).body["next_cursor"]
    tampered = cursor[:-2] + ("AA" if cursor[-2:] != "AA" else "BB")
    assert api.call("GET", f"/organisations?cursor={tampered}", token=api.admin()).status == 400


@pytest.mark.parametrize("limit", ["0", "201", "ten"])
def test_limit_out_of_range_is_a_422(api: Api, limit: str) -> None:
    answer = api.call("GET", f"/organisations?limit={limit}", token=api.admin())
    assert answer.status == 422
    assert answer.body["error"]["details"][0]["field"] == "query.limit"


def test_an_oversized_body_is_a_413_and_nothing_is_written(api: Api, table_name: str) -> None:
    answer = api.call("POST", "/organisations", token=api.admin(), json_body=org_body(name="x" * 70_000))
    assert answer.status == 413
    assert answer.body["error"]["code"] == "payload_too_large"
    assert all_items(table_name) == []


def test_an_unknown_route_is_a_404_in_the_contract_format(api: Api) -> None:
    answer = api.call("GET", "/nowhere", token=api.admin())
    assert answer.status == 404
    assert answer.body["error"]["code"] == "not_found"
