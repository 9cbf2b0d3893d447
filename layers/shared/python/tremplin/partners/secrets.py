"""Organisations' webhook secrets: shown once, when made, never logged or answered again.
The previous secret stays valid for a day after a rotation.

The table holds their ciphertexts only (tremplin.data.secret_box: KMS, bound to the
organisation): rotating encrypts the new secret and keeps the old one's ciphertext as it is;
verifying an inbound event and signing a delivery decrypt. An item written before the secrets
were encrypted still holds them in plain text, and is read as such until the one-off migration
(`encrypt_plaintext_secrets`, tools/encrypt_webhook_secrets.py) or the next rotation replaces it.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from aws_lambda_powertools import Logger

from tremplin import access, clock
from tremplin.data import organisations as org_store
from tremplin.data import secret_box
from tremplin.data import webhooks as store
from tremplin.data.secret_box import UnusableSecret
from tremplin.errors import NotFound
from tremplin.identity import Caller
from tremplin.models.webhooks import SecretAnswer

__all__ = ["UnusableSecret", "own_org", "rotate_secret", "signing_secret", "valid_secrets"]

PREVIOUS_SECRET_VALIDITY = timedelta(hours=24)

logger = Logger(child=True)


def own_org(caller: Caller, org_id: str) -> dict[str, Any]:
    """Admins reach every organisation, employers their own; anything else is a 404."""
    org = org_store.get(org_id) if access.may_see_organisation(caller, org_id) else None
    if org is None:
        raise NotFound(f"Organisation {org_id} was not found.")
    return org


def rotate_secret(caller: Caller, org_id: str) -> SecretAnswer:
    """A new secret, encrypted for the organisation; the old one's ciphertext becomes the previous
    one as it is (nothing is decrypted here: this function may only encrypt)."""
    own_org(caller, org_id)
    now = clock.now()
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
    previous = _current_ciphertext(org_id, store.get_secrets(org_id) or {})
    until = clock.iso(now + PREVIOUS_SECRET_VALIDITY) if previous else None
    store.put_secret(org_id, secret_box.seal(org_id, secret), clock.iso(now), previous, until)
    return SecretAnswer(secret=secret, previous_valid_until=until)


def valid_secrets(org_id: str) -> Iterator[str]:
    """The secrets an inbound event may be signed with, each decrypted only when asked for: the
    current one, then the previous one until it expires. One whose ciphertext does not open for
    this organisation (copied from another, tampered with) is left out: its signatures fail."""
    held = store.get_secrets(org_id) or {}
    which = ["current"]
    if str(held.get("previous_until", "")) > clock.iso(clock.now()):
        which.append("previous")
    for name in which:
        try:
            secret = _secret(org_id, held, name)
        except UnusableSecret:
            logger.warning("a stored webhook secret does not open for its organisation", extra={"org_id": org_id})
            continue
        if secret:
            yield secret


def signing_secret(org_id: str, held: dict[str, Any]) -> str | None:
    """The current secret of the organisation's secret item `held` (store.get_secrets), None if it
    has none; UnusableSecret if its ciphertext does not open for this organisation."""
    return _secret(org_id, held, "current")


def _secret(org_id: str, held: dict[str, Any], which: str) -> str | None:
    sealed = held.get(f"{which}_ciphertext")
    if sealed is not None:
        return secret_box.open_sealed(org_id, sealed)
    plain = held.get(which)  # written before the secrets were encrypted (README: migration notes)
    return str(plain) if plain else None


def _current_ciphertext(org_id: str, held: dict[str, Any]) -> bytes | None:
    sealed = held.get("current_ciphertext")
    if sealed is not None:
        return bytes(sealed)
    plain = held.get("current")
    return secret_box.seal(org_id, str(plain)) if plain else None


def encrypt_plaintext_secrets() -> dict[str, int]:
    """The one-off migration: every organisation's secret item still held in plain text is
    replaced by its ciphertexts (a previous secret only while it is valid). Safe to run again and
    while the stack serves: an item rotated meanwhile is left as the rotation wrote it."""
    counts = {"encrypted": 0, "already_encrypted": 0, "nothing_to_encrypt": 0, "rotated_meanwhile": 0}
    now = clock.iso(clock.now())
    cursor: str | None = None
    while True:
        orgs, cursor = org_store.list_all(200, cursor)
        for org in orgs:
            org_id = str(org["org_id"])
            held = store.get_secrets(org_id) or {}
            if "current_ciphertext" in held:
                counts["already_encrypted"] += 1
                continue
            if not held.get("current"):
                counts["nothing_to_encrypt"] += 1
                continue
            keep_previous = bool(held.get("previous")) and str(held.get("previous_until", "")) > now
            previous = secret_box.seal(org_id, str(held["previous"])) if keep_previous else None
            replaced = store.replace_plaintext_secret(
                org_id,
                str(held["current"]),
                secret_box.seal(org_id, str(held["current"])),
                str(held.get("created_at") or now),
                previous,
                str(held["previous_until"]) if keep_previous else None,
            )
            counts["encrypted" if replaced else "rotated_meanwhile"] += 1
        if not cursor:
            return counts
