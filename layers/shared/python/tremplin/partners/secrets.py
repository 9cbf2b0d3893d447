"""Organisations' webhook secrets: shown once, when made, never logged or answered again.
The previous secret stays valid for a day after a rotation."""

from __future__ import annotations

import base64
import secrets
from datetime import timedelta
from typing import Any

from tremplin import access, clock
from tremplin.data import organisations as org_store
from tremplin.data import webhooks as store
from tremplin.errors import NotFound
from tremplin.identity import Caller
from tremplin.models.webhooks import SecretAnswer

PREVIOUS_SECRET_VALIDITY = timedelta(hours=24)


def own_org(caller: Caller, org_id: str) -> dict[str, Any]:
    """Admins reach every organisation, employers their own; anything else is a 404."""
    org = org_store.get(org_id) if access.may_see_organisation(caller, org_id) else None
    if org is None:
        raise NotFound(f"Organisation {org_id} was not found.")
    return org


def rotate_secret(caller: Caller, org_id: str) -> SecretAnswer:
    own_org(caller, org_id)
    now = clock.now()
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
    old = store.get_secrets(org_id)
    until = clock.iso(now + PREVIOUS_SECRET_VALIDITY) if old else None
    store.put_secret(org_id, secret, clock.iso(now), old["current"] if old else None, until)
    return SecretAnswer(secret=secret, previous_valid_until=until)


def valid_secrets(org_id: str) -> list[str]:
    held = store.get_secrets(org_id) or {}
    valid = [held["current"]] if held.get("current") else []
    if held.get("previous") and str(held.get("previous_until", "")) > clock.iso(clock.now()):
        valid.append(held["previous"])
    return valid
