"""Participants' sign-in accounts in the Cognito user pool (AWS only: the local stack
hands out tokens through /_local/token instead)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from tremplin.data.dynamo import aws_client, error_code
from tremplin.settings import get_settings

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp.client import CognitoIdentityProviderClient


def _cognito() -> CognitoIdentityProviderClient:
    return aws_client("cognito-idp")  # type: ignore[no-any-return]


def enabled() -> bool:
    return bool(get_settings().user_pool_id)


def invite_participant(email: str, participant_id: str) -> None:
    """Creates the sign-in (Cognito e-mails the invitation) in the participant group."""
    pool = get_settings().user_pool_id
    try:
        _cognito().admin_create_user(
            UserPoolId=pool,
            Username=email,
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
                {"Name": "custom:participant_id", "Value": participant_id},
            ],
            DesiredDeliveryMediums=["EMAIL"],
        )
    except ClientError as exc:
        if error_code(exc) != "UsernameExistsException":  # a retried enrolment
            raise
    _cognito().admin_add_user_to_group(UserPoolId=pool, Username=email, GroupName="participant")


def remove_participant(email: str) -> None:
    """Deletes the sign-in of an erased participant."""
    try:
        _cognito().admin_delete_user(UserPoolId=get_settings().user_pool_id, Username=email)
    except ClientError as exc:
        if error_code(exc) != "UserNotFoundException":
            raise
