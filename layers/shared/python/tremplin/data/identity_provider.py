"""Participants' sign-in accounts in the Cognito user pool (AWS only: the local stack
hands out tokens through /_local/token instead).

An account is bound to its participant by Cognito's `sub`, stored on the profile once the
invitation made it: every later call (e-mail change, erasure) names the account by `sub`, never
by an e-mail address, which may belong to someone else by then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from tremplin.data.dynamo import aws_client, error_code, prepare_handles
from tremplin.settings import get_settings

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp.client import CognitoIdentityProviderClient


class EmailInUse(Exception):
    """The address already signs in someone who is not this participant."""


def prepare() -> None:
    """The Cognito client, made now (at init) rather than at the first call."""
    prepare_handles("cognito-idp", table_too=False)


def _cognito() -> CognitoIdentityProviderClient:
    return aws_client("cognito-idp")  # type: ignore[no-any-return]


def _pool() -> str:
    return get_settings().user_pool_id


def enabled() -> bool:
    return bool(get_settings().user_pool_id)


def _attributes(user: dict[str, Any], key: str) -> dict[str, str]:
    return {a["Name"]: a["Value"] for a in user.get(key) or []}


def account(email: str) -> dict[str, str] | None:
    """The account signing in with `email`: its username, sub and participant id ("" for staff)."""
    try:
        user = _cognito().admin_get_user(UserPoolId=_pool(), Username=email)
    except ClientError as exc:
        if error_code(exc) == "UserNotFoundException":
            return None
        raise
    attributes = _attributes(dict(user), "UserAttributes")
    return {
        "username": user["Username"],
        "sub": attributes.get("sub", ""),
        "participant_id": attributes.get("custom:participant_id", ""),
    }


def has_totp(pool_id: str, username: str) -> bool:
    """Whether the account has an authenticator app (TOTP) set up and switched on: with MFA
    OPTIONAL, Cognito then asks for its code at every sign-in. The pool comes from the sign-in
    trigger's event (that function has no USER_POOL_ID: template.yaml)."""
    user = _cognito().admin_get_user(UserPoolId=pool_id, Username=username)
    return "SOFTWARE_TOKEN_MFA" in (user.get("UserMFASettingList") or [])


def _username(sub: str) -> str | None:
    """The account's username by its `sub` (None: there is none any more)."""
    found = _cognito().list_users(UserPoolId=_pool(), Filter=f'sub = "{sub}"', Limit=1)["Users"]
    return str(found[0]["Username"]) if found else None


def invite_participant(email: str, participant_id: str) -> str:
    """Creates the sign-in (Cognito e-mails the invitation) in the participant group; returns
    its `sub`. A retried invitation finds its own account; an account of anyone else is never
    touched (EmailInUse)."""
    try:
        created = _cognito().admin_create_user(
            UserPoolId=_pool(),
            Username=email,
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
                {"Name": "custom:participant_id", "Value": participant_id},
            ],
            DesiredDeliveryMediums=["EMAIL"],
        )["User"]
        username, sub = str(created["Username"]), _attributes(dict(created), "Attributes").get("sub", "")
    except ClientError as exc:
        if error_code(exc) != "UsernameExistsException":
            raise
        existing = account(email)
        if existing is None or existing["participant_id"] != participant_id:
            raise EmailInUse(email) from None
        username, sub = existing["username"], existing["sub"]
    _cognito().admin_add_user_to_group(UserPoolId=_pool(), Username=username, GroupName="participant")
    return sub


def change_email(sub: str, email: str) -> None:
    """The participant's new address becomes their sign-in (verified: the caseworker entered it)."""
    username = _username(sub)
    if username is None:
        return
    _cognito().admin_update_user_attributes(
        UserPoolId=_pool(),
        Username=username,
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
    )


def remove_participant(sub: str) -> None:
    """Signs an erased participant out everywhere (their refresh tokens stop working) and
    deletes their account; gone already is fine (a retry)."""
    username = _username(sub)
    if username is None:
        return
    try:
        _cognito().admin_user_global_sign_out(UserPoolId=_pool(), Username=username)
        _cognito().admin_delete_user(UserPoolId=_pool(), Username=username)
    except ClientError as exc:
        if error_code(exc) != "UserNotFoundException":
            raise
