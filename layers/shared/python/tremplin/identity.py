"""The caller, as the API's JWT authorizer saw them.

Handlers never verify tokens: API Gateway's authorizer (Cognito in AWS, the local
issuer in the local stack) already did, and the claims it passes on are trusted.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from tremplin.errors import Forbidden, Unauthorized


class Role(StrEnum):
    PARTICIPANT = "participant"
    EMPLOYER = "employer"
    CASEWORKER = "caseworker"
    ADMIN = "admin"


STAFF_ROLES = frozenset({Role.CASEWORKER, Role.ADMIN})

# Claims the sign-in trigger (tremplin.logic.staff_sign_in) adds to the ID token of a caseworker or
# admin whose account has no authenticator app (TOTP) set up, or whose set-up it could not read:
# the token then carries no staff group either, and the API answers 403 `mfa_required`.
MFA_SETUP_REQUIRED_CLAIM = "tremplin:mfa_setup_required"
MFA_CHECK_FAILED_CLAIM = "tremplin:mfa_check_failed"


class Caller(BaseModel, frozen=True):
    sub: str
    role: Role
    org_id: str | None = None
    participant_id: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


def _groups(raw: Any) -> list[str]:
    # HTTP API JWT authorizers pass list claims as the string "[a b]"; Cognito ID tokens as a list.
    if isinstance(raw, list):
        return [str(g) for g in raw]
    if isinstance(raw, str):
        return [g for g in raw.strip("[]").replace(",", " ").split() if g]
    return []


def caller_from_event(event: dict[str, Any]) -> Caller:
    claims = ((event.get("requestContext") or {}).get("authorizer") or {}).get("jwt", {}).get("claims")
    if not claims or not claims.get("sub"):
        raise Unauthorized("A valid bearer token is required.")
    # Only the ID token: the trigger's marks (claimsToAddOrOverride, V1) go into the ID token alone,
    # so an access token (which API Gateway's authorizer accepts by its client_id) says nothing of
    # a missing second factor. The web app sends the ID token; Cognito's tokens always say which.
    if claims.get("token_use") != "id":
        raise Unauthorized("The API takes the ID token of a sign-in, not an access token.")
    if MFA_SETUP_REQUIRED_CLAIM in claims:
        raise Forbidden(
            "Caseworkers and admins sign in with an authenticator app: set one up, then sign in again.",
            code="mfa_required",
        )
    if MFA_CHECK_FAILED_CLAIM in claims:
        raise Forbidden(
            "Your authenticator app could not be checked at sign-in: please sign in again.", code="mfa_required"
        )
    roles = [g for g in _groups(claims.get("cognito:groups")) if g in Role.__members__.values()]
    if len(roles) != 1:
        raise Forbidden("The token must carry exactly one role.")
    role = Role(roles[0])
    caller = Caller(
        sub=str(claims["sub"]),
        role=role,
        org_id=claims.get("custom:org_id") or None,
        participant_id=claims.get("custom:participant_id") or None,
    )
    if role is Role.EMPLOYER and not caller.org_id:
        raise Forbidden("An employer token must name its organisation.")
    if role is Role.PARTICIPANT and not caller.participant_id:
        raise Forbidden("A participant token must name its participant.")
    return caller
