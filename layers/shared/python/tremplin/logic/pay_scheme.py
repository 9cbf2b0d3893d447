"""The pay scheme: dated versions an admin adds (PRODUCT.md, Hours and pay).

While no version is stored, the scheme is PRODUCT.md's first version (FIRST_VERSION). Versions
are only ever appended: each starts on a Europe/Zurich date that is not in the past and is later
than the latest version's, and keeps every wage class of the version before it (classes are
added, never dropped). The first version stored brings the defaults along as the version before
it, so shifts before it stay paid by them."""

from __future__ import annotations

from typing import Any

from tremplin import clock, pay
from tremplin.data import pay_scheme as store
from tremplin.errors import Conflict, ValidationFailed
from tremplin.models.pay_scheme import FIRST_VERSION, PayScheme, PaySchemeVersion


def _in_force(stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return stored or [FIRST_VERSION]


def rules(stored: list[dict[str, Any]]) -> list[pay.PaySchemeVersion]:
    """The versions pay is computed by: the stored ones, or the first version while none is."""
    return [pay.PaySchemeVersion.from_json(v) for v in _in_force(stored)]


def rules_now() -> list[pay.PaySchemeVersion]:
    """The versions, read now (one GetItem)."""
    return rules(store.versions())


def current() -> PayScheme:
    stored, _ = store.read()
    return PayScheme(versions=[PaySchemeVersion.model_validate(v) for v in _in_force(stored)])


def add_version(body: PaySchemeVersion) -> PayScheme:
    """Appends `body`: one conditional write on the revision read, so two admins adding at once
    never lose one (the later write is refused: 409 concurrent_update, nothing changed)."""
    stored, revision = store.read()
    versions = _in_force(stored)
    latest = PaySchemeVersion.model_validate(versions[-1])
    today = clock.now().astimezone(clock.ZURICH).date()
    if body.valid_from < today:
        raise ValidationFailed(
            f"valid_from: {body.valid_from} is in the past; a version starts today ({today}) or later.",
            details=[{"field": "valid_from", "message": f"must be today ({today}) or later (Europe/Zurich)"}],
        )
    if body.valid_from <= latest.valid_from:
        raise Conflict(
            f"A version valid from {latest.valid_from} exists; a new version must start after it.",
            code="version_exists",
        )
    dropped = sorted(set(latest.minimum_wages) - set(body.minimum_wages))
    if dropped:
        raise ValidationFailed(
            "minimum_wages: wage classes are added, never dropped; missing: " + ", ".join(dropped) + ".",
            details=[{"field": f"minimum_wages.{c}", "message": "kept from the version before"} for c in dropped],
        )
    after = [*versions, body.model_dump(mode="json")]
    try:
        store.replace(after, revision)
    except store.LostRace:
        raise Conflict(
            "Another change to the pay scheme came first; nothing was changed. Read it again and retry.",
            code="concurrent_update",
        ) from None
    return PayScheme(versions=[PaySchemeVersion.model_validate(v) for v in after])
