"""The local token issuer and the authorizer that checks its tokens, standing in for
Cognito and API Gateway's JWT authorizer. Same claims, same checks (signature,
issuer, audience, expiry); the claims reach handlers the way HTTP APIs pass them."""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

import jwt

ISSUER = "https://tremplin.local/issuer"
AUDIENCE = "tremplin-local"
LIFETIME_S = 12 * 3600


class LocalIssuer:
    def __init__(self, key_file: Path | None = None):
        # A key kept on disk keeps tokens valid across restarts of the local stack.
        if key_file is not None and key_file.exists():
            self._key = key_file.read_text().strip()
        else:
            self._key = secrets.token_urlsafe(32)
            if key_file is not None:
                key_file.parent.mkdir(parents=True, exist_ok=True)
                key_file.write_text(self._key)

    def issue(
        self,
        role: str,
        sub: str,
        org_id: str | None = None,
        participant_id: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> str:
        """A token as Cognito issues it after the sign-in trigger (functions/staff_sign_in): a
        caseworker's or admin's counts as signed in with an authenticator app, since the local
        stack has no Cognito sign-in to ask for one. `extra` (tests only) adds or replaces claims."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": sub,
            "cognito:groups": [role],
            "iss": ISSUER,
            "aud": AUDIENCE,
            "client_id": AUDIENCE,
            "token_use": "id",
            "iat": now,
            "exp": now + LIFETIME_S,
        }
        if org_id:
            claims["custom:org_id"] = org_id
        if participant_id:
            claims["custom:participant_id"] = participant_id
        claims.update(extra or {})
        return jwt.encode(claims, self._key, algorithm="HS256")

    def verify(self, authorization: str | None) -> dict[str, str] | None:
        """The claims as API Gateway's JWT authorizer passes them, or None when refused."""
        if not authorization or not authorization.lower().startswith("bearer "):
            return None
        try:
            claims = jwt.decode(
                authorization[7:].strip(), self._key, algorithms=["HS256"], audience=AUDIENCE, issuer=ISSUER
            )
        except jwt.PyJWTError:
            return None
        # HTTP APIs hand claims over as strings; lists become "[a b]".
        return {k: f"[{' '.join(map(str, v))}]" if isinstance(v, list) else str(v) for k, v in claims.items()}
