"""Sign-in accounts bound to the person (moto's Cognito): enrolment never borrows another
user's account, the account is named by its `sub`, an e-mail change reaches Cognito, erasure
deletes the participant's own account and no other, and an erased or foreign token acts on
nothing."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from tests.helpers import Api, drain, participant_body

CASEWORKER = "cw-1"


@pytest.fixture
def pool(api: Api, aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> str:
    from tremplin.data import reset

    cognito = boto3.client("cognito-idp")
    pool_id = str(cognito.create_user_pool(PoolName="tremplin", UsernameAttributes=["email"])["UserPool"]["Id"])
    for group in ("participant", "caseworker", "admin"):
        cognito.create_group(UserPoolId=pool_id, GroupName=group)
    monkeypatch.setenv("USER_POOL_ID", pool_id)
    reset()
    return pool_id


def _user(pool: str, email: str) -> dict[str, Any] | None:
    found = boto3.client("cognito-idp").list_users(UserPoolId=pool, Filter=f'email = "{email}"')["Users"]
    if not found:
        return None
    return {a["Name"]: a["Value"] for a in found[0]["Attributes"]} | {"Username": found[0]["Username"]}


def _staff(pool: str, email: str) -> str:
    cognito = boto3.client("cognito-idp")
    user = cognito.admin_create_user(
        UserPoolId=pool, Username=email, UserAttributes=[{"Name": "email", "Value": email}], MessageAction="SUPPRESS"
    )["User"]
    cognito.admin_add_user_to_group(UserPoolId=pool, Username=user["Username"], GroupName="admin")
    return str(user["Username"])


def _groups(pool: str, username: str) -> list[str]:
    answer = boto3.client("cognito-idp").admin_list_groups_for_user(UserPoolId=pool, Username=username)
    return sorted(g["GroupName"] for g in answer["Groups"])


def _enrol(api: Api, email: str) -> Any:
    body = participant_body(email=email)
    return api.call("POST", "/participants", token=api.token("caseworker", CASEWORKER), json_body=body)


def _profile(aws: dict[str, Any], participant_id: str) -> dict[str, Any]:
    table = boto3.resource("dynamodb").Table(aws["Table"])
    return dict(table.get_item(Key={"PK": f"PART#{participant_id}", "SK": "PROFILE"})["Item"])


def test_an_address_that_signs_in_someone_else_is_refused(api: Api, aws: dict[str, Any], pool: str) -> None:
    admin = _staff(pool, "chef@bern.ch")
    refused = _enrol(api, "chef@bern.ch")
    assert refused.status == 409 and refused.error_code == "email_in_use"
    drain(aws)
    assert _groups(pool, admin) == ["admin"]  # never made a participant
    enrolled = _enrol(api, "anna@example.ch")
    moved = api.call(
        "PATCH",
        f"/participants/{enrolled.body['participant_id']}",
        token=api.token("caseworker", CASEWORKER),
        json_body={"email": "chef@bern.ch"},
    )
    assert moved.status == 409 and moved.error_code == "email_in_use"


def test_the_account_is_bound_by_sub_and_follows_the_address(api: Api, aws: dict[str, Any], pool: str) -> None:
    participant_id = _enrol(api, "anna@example.ch").body["participant_id"]
    drain(aws)
    account = _user(pool, "anna@example.ch")
    assert account is not None and _profile(aws, participant_id)["identity_sub"] == account["sub"]
    assert account["custom:participant_id"] == participant_id
    assert _groups(pool, account["Username"]) == ["participant"]

    cw = api.token("caseworker", CASEWORKER)
    patch = {"email": "anna.neu@example.ch"}
    assert api.call("PATCH", f"/participants/{participant_id}", token=cw, json_body=patch).status == 200
    drain(aws)
    assert _user(pool, "anna@example.ch") is None
    assert (_user(pool, "anna.neu@example.ch") or {}).get("sub") == account["sub"]

    # The old address now belongs to a member of staff; erasing Anna leaves that account alone.
    staff = _staff(pool, "anna@example.ch")
    assert api.call("POST", f"/participants/{participant_id}/erase", token=api.admin()).status == 200
    drain(aws)
    assert _user(pool, "anna.neu@example.ch") is None
    assert _groups(pool, staff) == ["admin"]


def test_an_erased_or_foreign_token_acts_on_nothing(api: Api, aws: dict[str, Any], pool: str) -> None:
    participant_id = _enrol(api, "anna@example.ch").body["participant_id"]
    drain(aws)
    sub = _profile(aws, participant_id)["identity_sub"]
    own = api.token("participant", sub, participant_id=participant_id)
    foreign = api.token("participant", "someone-else", participant_id=participant_id)
    assert api.call("GET", "/me", token=own).status == 200
    assert api.call("GET", "/me", token=foreign).status == 404  # the claim alone names nobody
    assert api.call("POST", "/me/consent", token=foreign, json_body={"version": "2026-01"}).status == 404
    assert api.call("POST", f"/participants/{participant_id}/erase", token=api.admin()).status == 200
    drain(aws)
    assert api.call("GET", "/me", token=own).status == 404
    assert api.call("GET", "/me/payslips", token=own).body["items"] == []
    assert api.call("GET", "/me/applications", token=own).body["items"] == []
