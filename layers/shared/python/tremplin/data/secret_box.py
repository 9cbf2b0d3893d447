"""Organisations' webhook secrets sealed with the customer-managed KMS key (template.yaml
WebhookSecretsKey): the table holds only their ciphertext. Each is encrypted with the encryption
context {purpose: webhook-secret, org_id}, so a ciphertext opens for its own organisation only (a
copy in another organisation's item is refused) and IAM lets a function use the key for this
purpose only. The organisations function (rotation) may encrypt; the webhooks function, the
delivery worker and the retry sweep may decrypt.

An opened secret is kept in the container for OPEN_CACHE_S, keyed by organisation and ciphertext,
so a batch of deliveries makes one Decrypt per organisation. Neither a secret nor a ciphertext is
ever logged or put in an error message.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from botocore.exceptions import ClientError

from tremplin.data.dynamo import UNANSWERED, aws_client, error_code
from tremplin.errors import ServiceUnavailable
from tremplin.settings import get_settings

PURPOSE = "webhook-secret"
OPEN_CACHE_S = 300.0
OPEN_CACHE_MAX = 512  # organisations' secrets held at once; the cache is emptied beyond

# KMS's answers for a ciphertext that is not this organisation's under this key: tampered,
# copied from another organisation (another encryption context) or made under another key.
_NOT_THIS_ORGANISATIONS = {"InvalidCiphertextException", "IncorrectKeyException"}
UNREADABLE_MESSAGE = "The webhook secret could not be read just now; please try again."
UNSTORED_MESSAGE = "The webhook secret could not be made just now; nothing was changed. Please try again."

_opened: dict[tuple[str, bytes], tuple[str, float]] = {}
_opened_lock = threading.Lock()


class UnusableSecret(Exception):
    """The stored ciphertext does not open as this organisation's webhook secret."""


def _kms() -> Any:  # no type stubs for KMS in the project's dev dependencies
    return aws_client("kms")


def context(org_id: str) -> dict[str, str]:
    return {"purpose": PURPOSE, "org_id": org_id}


def seal(org_id: str, secret: str) -> bytes:
    """The secret's ciphertext, bound to the organisation (kms:Encrypt: the rotating function)."""
    key = get_settings().webhook_secrets_key_arn
    if not key:
        raise RuntimeError("WEBHOOK_SECRETS_KEY_ARN is not set: webhook secrets cannot be stored")
    try:
        answer = _kms().encrypt(KeyId=key, Plaintext=secret.encode(), EncryptionContext=context(org_id))
    except (ClientError, *UNANSWERED) as exc:
        raise ServiceUnavailable(UNSTORED_MESSAGE) from exc
    return bytes(answer["CiphertextBlob"])


def open_sealed(org_id: str, sealed: Any) -> str:
    """The organisation's secret from its ciphertext (bytes, or DynamoDB's Binary), from the
    cache when opened within OPEN_CACHE_S. UnusableSecret if it is not this organisation's;
    ServiceUnavailable if KMS cannot answer now."""
    blob = bytes(sealed)
    now = time.monotonic()
    with _opened_lock:
        held = _opened.get((org_id, blob))
    if held and held[1] > now:
        return held[0]
    key = get_settings().webhook_secrets_key_arn
    try:
        # KeyId where the function is given it: KMS then uses that key only (IAM allows no other).
        answer = _kms().decrypt(
            CiphertextBlob=blob, EncryptionContext=context(org_id), **({"KeyId": key} if key else {})
        )
    except ClientError as exc:
        if error_code(exc) in _NOT_THIS_ORGANISATIONS:
            raise UnusableSecret(f"the stored webhook secret of {org_id} does not open") from None
        raise ServiceUnavailable(UNREADABLE_MESSAGE) from exc
    except UNANSWERED as exc:
        raise ServiceUnavailable(UNREADABLE_MESSAGE) from exc
    secret = bytes(answer["Plaintext"]).decode()
    with _opened_lock:
        if len(_opened) >= OPEN_CACHE_MAX:
            _opened.clear()
        _opened[(org_id, blob)] = (secret, now + OPEN_CACHE_S)
    return secret


def forget() -> None:
    """Drops every opened secret (tests switch keys)."""
    with _opened_lock:
        _opened.clear()
