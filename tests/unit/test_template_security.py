"""template.yaml's security settings that no code path exercises: sign-in, the API's edge, the
public webhook's ceiling, how long report files and their access logs are kept."""

from __future__ import annotations

from typing import Any

from local import template


def _props(logical_id: str) -> dict[str, Any]:
    props: dict[str, Any] = template.load()["Resources"][logical_id]["Properties"]
    return props


# ---------------------------------------------------------------- sign-in


def test_the_user_pool_offers_totp_and_nothing_weaker() -> None:
    pool = _props("UserPool")
    assert pool["MfaConfiguration"] in ("OPTIONAL", "ON")
    assert pool["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]  # no SMS: no SIM swap, no SNS spend


def test_the_app_client_tells_no_one_who_has_an_account_and_cannot_rewrite_who_they_are() -> None:
    (client,) = template.resources("AWS::Cognito::UserPoolClient").values()
    props = client["Properties"]
    assert props["PreventUserExistenceErrors"] == "ENABLED"
    written = props["WriteAttributes"]
    assert written, "an empty list is every standard attribute to Cognito"
    assert "email" not in written and not any(a.startswith("custom:") for a in written)


def test_a_refresh_token_lasts_at_most_twelve_hours() -> None:
    props = _props("UserPoolClient")
    hours = {"minutes": 1 / 60, "hours": 1, "days": 24}[props["TokenValidityUnits"]["RefreshToken"]]
    assert 0 < props["RefreshTokenValidity"] * hours <= 12
