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
