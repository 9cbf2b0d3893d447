"""Caseworkers and admins sign in with an authenticator app (TOTP). The sign-in trigger (moto's
Cognito behind it) keeps the staff group in the token of an account with TOTP set up and takes it
out of any other staff token, also when the account cannot be read; the API answers a token so
marked, or an access token, with nothing but its refusal."""

from __future__ import annotations

import copy
from typing import Any

import boto3
import pytest

from tests.helpers import Api, sample_event, shared_host

PASSWORD = "Correct-Horse-42"  # a test account's


@pytest.fixture
def pool(aws: dict[str, Any]) -> dict[str, str]:
    cognito = boto3.client("cognito-idp")
    pool_id = str(
        cognito.create_user_pool(PoolName="tremplin", UsernameAttributes=["email"], MfaConfiguration="OPTIONAL")[
            "UserPool"
        ]["Id"]
    )
    for group in ("participant", "employer", "caseworker", "admin"):
        cognito.create_group(UserPoolId=pool_id, GroupName=group)
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    return {"pool_id": pool_id, "client_id": str(client_id)}


def _account(pool: dict[str, str], email: str, group: str) -> str:
    cognito = boto3.client("cognito-idp")
    username = str(
        cognito.admin_create_user(
            UserPoolId=pool["pool_id"],
            Username=email,
            UserAttributes=[{"Name": "email", "Value": email}],
            MessageAction="SUPPRESS",
        )["User"]["Username"]
    )
    cognito.admin_set_user_password(UserPoolId=pool["pool_id"], Username=username, Password=PASSWORD, Permanent=True)
    cognito.admin_add_user_to_group(UserPoolId=pool["pool_id"], Username=username, GroupName=group)
    return username


def _set_up_totp(pool: dict[str, str], email: str) -> None:
    """What the web app's set-up screen does with the access token of a sign-in without TOTP."""
    cognito = boto3.client("cognito-idp")
    signed_in = cognito.admin_initiate_auth(
        UserPoolId=pool["pool_id"],
        ClientId=pool["client_id"],
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
    )
    access = signed_in["AuthenticationResult"]["AccessToken"]
    assert cognito.associate_software_token(AccessToken=access)["SecretCode"]
    assert cognito.verify_software_token(AccessToken=access, UserCode="123456")["Status"] == "SUCCESS"
    cognito.set_user_mfa_preference(
        AccessToken=access, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )


def _issue(pool_id: str, username: str, groups: list[str], trigger: str = "TokenGeneration_HostedAuth") -> Any:
    """The trigger's answer to Cognito's event for this account."""
    event = sample_event("staff_sign_in/event-token-generation-caseworker.json")
    event.update(userPoolId=pool_id, userName=username, triggerSource=trigger)
    event["request"]["groupConfiguration"]["groupsToOverride"] = groups
    sent = copy.deepcopy(event)
    answer = shared_host().invoke("StaffSignInFunction", event)
    assert answer["request"] == sent["request"]
    return answer["response"]["claimsOverrideDetails"]


@pytest.mark.parametrize("group", ["caseworker", "admin"])
def test_staff_with_an_authenticator_app_keep_their_group(pool: dict[str, str], group: str) -> None:
    username = _account(pool, "beraterin@bern.ch", group)
    _set_up_totp(pool, "beraterin@bern.ch")
    for trigger in ("TokenGeneration_HostedAuth", "TokenGeneration_RefreshTokens"):
        assert _issue(pool["pool_id"], username, [group], trigger) is None  # the token as Cognito made it


@pytest.mark.parametrize("group", ["caseworker", "admin"])
def test_staff_without_an_authenticator_app_lose_their_group_and_are_told_to_set_one_up(
    pool: dict[str, str], group: str
) -> None:
    username = _account(pool, "beraterin@bern.ch", group)
    for trigger in ("TokenGeneration_HostedAuth", "TokenGeneration_RefreshTokens"):
        override = _issue(pool["pool_id"], username, [group], trigger)
        assert override["groupOverrideDetails"]["groupsToOverride"] == []
        assert override["claimsToAddOrOverride"] == {"tremplin:mfa_setup_required": "true"}


def test_only_the_staff_group_goes_when_the_account_has_others(pool: dict[str, str]) -> None:
    username = _account(pool, "beraterin@bern.ch", "caseworker")
    override = _issue(pool["pool_id"], username, ["participant", "caseworker"])
    assert override["groupOverrideDetails"]["groupsToOverride"] == ["participant"]
    assert override["claimsToAddOrOverride"] == {"tremplin:mfa_setup_required": "true"}


def test_an_admin_who_switches_a_users_totp_off_takes_the_group_from_their_next_token(pool: dict[str, str]) -> None:
    username = _account(pool, "chef@bern.ch", "admin")
    _set_up_totp(pool, "chef@bern.ch")
    assert _issue(pool["pool_id"], username, ["admin"]) is None
    boto3.client("cognito-idp").admin_set_user_mfa_preference(
        UserPoolId=pool["pool_id"], Username=username, SoftwareTokenMfaSettings={"Enabled": False}
    )
    refreshed = _issue(pool["pool_id"], username, ["admin"], "TokenGeneration_RefreshTokens")
    assert refreshed["groupOverrideDetails"]["groupsToOverride"] == []


@pytest.mark.parametrize("group", ["participant", "employer"])
def test_participants_and_employers_need_no_authenticator_app_and_cost_no_lookup(
    pool: dict[str, str], group: str
) -> None:
    username = _account(pool, "anna@example.ch", group)
    assert _issue(pool["pool_id"], username, [group]) is None
    # Not even looked up: a pool that does not exist changes nothing for them.
    assert _issue("eu-central-2_missing", username, [group]) is None


@pytest.mark.parametrize(
    "where",
    ["no such account", "no such pool"],
)
def test_when_the_account_cannot_be_read_the_staff_group_goes_all_the_same(pool: dict[str, str], where: str) -> None:
    username = _account(pool, "beraterin@bern.ch", "caseworker")
    _set_up_totp(pool, "beraterin@bern.ch")
    pool_id, name = (pool["pool_id"], "someone-else") if where == "no such account" else ("eu-central-2_gone", username)
    override = _issue(pool_id, name, ["caseworker"])
    assert override["groupOverrideDetails"]["groupsToOverride"] == []
    assert override["claimsToAddOrOverride"] == {"tremplin:mfa_check_failed": "true"}


# ---------------------------------------------------------------- the API


@pytest.mark.parametrize(
    ("claim", "groups"),
    [
        ("tremplin:mfa_setup_required", []),  # as the trigger issues it
        ("tremplin:mfa_setup_required", ["caseworker"]),  # the mark counts whatever the groups say
        ("tremplin:mfa_check_failed", []),
        ("tremplin:mfa_check_failed", ["participant"]),
    ],
)
def test_the_api_answers_a_token_marked_for_mfa_with_mfa_required(api: Api, claim: str, groups: list[str]) -> None:
    assert api.call("GET", "/participants", token=api.token("caseworker", "cw-1")).status == 200
    marked = api.token("caseworker", "cw-1", extra={claim: "true", "cognito:groups": groups})
    for method, path in (("GET", "/participants"), ("GET", "/organisations"), ("GET", "/me/notifications")):
        answer = api.call(method, path, token=marked)
        assert (answer.status, answer.error_code) == (403, "mfa_required"), (method, path)
        assert answer.body["error"]["message"] and answer.body["error"]["details"] == []
    assert api.call("GET", "/health").status == 200  # public routes read no token


def test_the_api_takes_id_tokens_only(api: Api) -> None:
    """An access token carries none of the trigger's marks (V1 adds claims to the ID token only)."""
    access = api.token("admin", "admin-1", extra={"token_use": "access"})
    answer = api.call("GET", "/organisations", token=access)
    assert (answer.status, answer.error_code) == (401, "unauthorized")
    assert api.call("GET", "/organisations", token=api.token("admin", "admin-1")).status == 200
