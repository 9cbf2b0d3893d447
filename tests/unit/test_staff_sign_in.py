"""Caseworkers and admins sign in with an authenticator app (TOTP). The API answers a token
that the sign-in trigger marked for it, or an access token, with nothing but its refusal."""

from __future__ import annotations

import pytest

from tests.helpers import Api

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
