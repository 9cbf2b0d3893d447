"""Caseworkers and admins sign in with an authenticator app (TOTP): Cognito's Pre Token
Generation trigger (V1 event, every feature plan) on every token it issues, sign-in and refresh.

The pool's MFA is OPTIONAL, so Cognito asks for the code at every sign-in of an account that has
TOTP set up (no device is remembered: the pool has no DeviceConfiguration). A staff token is
therefore given only to an account with TOTP set up; any other staff account's token loses its
staff groups and says why in a claim the API answers with 403 `mfa_required`, and the web app
with its set-up screen. When the set-up cannot be read, the token loses its staff groups all the
same (fail closed).
"""

from __future__ import annotations

import copy
from typing import Any

from aws_lambda_powertools import Logger

from tremplin.data import identity_provider
from tremplin.identity import MFA_CHECK_FAILED_CLAIM, MFA_SETUP_REQUIRED_CLAIM, STAFF_ROLES

logger = Logger(child=True)


def prepare() -> None:
    """Cognito waits at most 5 s for the trigger: its client is made at init, at a whole vCPU
    (the first sign-in after a cold start took 1.6 s at 128 MB without, bench.lambda_cpu)."""
    identity_provider.prepare()


def token_claims(event: dict[str, Any]) -> dict[str, Any]:
    """The trigger's answer: the event, with its response set when the user is staff without TOTP."""
    configuration = (event.get("request") or {}).get("groupConfiguration") or {}
    groups = [str(g) for g in configuration.get("groupsToOverride") or []]
    if not any(g in STAFF_ROLES for g in groups):
        return event  # participants and employers: the token as Cognito made it
    try:
        if identity_provider.has_totp(str(event["userPoolId"]), str(event["userName"])):
            return event
        claim = MFA_SETUP_REQUIRED_CLAIM
    except Exception:  # whatever went wrong: no staff group without a known second factor
        logger.exception("MFA settings unreadable: staff groups removed", extra={"username": event.get("userName")})
        claim = MFA_CHECK_FAILED_CLAIM
    answer = copy.deepcopy(event)
    answer["response"] = {
        "claimsOverrideDetails": {
            "claimsToAddOrOverride": {claim: "true"},
            "groupOverrideDetails": {
                **configuration,
                "groupsToOverride": [g for g in groups if g not in STAFF_ROLES],
            },
        }
    }
    return answer
