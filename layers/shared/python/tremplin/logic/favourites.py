"""Favourites: an organisation marks participants it worked with (at least one completed
application) to book them again: invitations (tremplin.logic.invitations) and jobs published to
favourites first (tremplin.logic.jobs). Employers see them as applicant cards, never case data;
a participant the organisation never worked with answers 404, as if they did not exist.
"""

from __future__ import annotations

from typing import Any

from tremplin import access, clock
from tremplin.data import favourites as store
from tremplin.data import organisations as org_store
from tremplin.errors import NotFound
from tremplin.identity import Caller
from tremplin.logic.applications import card
from tremplin.models import Page
from tremplin.models.favourites import Favourite


def _org_not_found(org_id: str) -> NotFound:
    return NotFound(f"Organisation {org_id} was not found.")


def _participant_not_found(participant_id: str) -> NotFound:
    return NotFound(f"Participant {participant_id} was not found.")


def _check_org(caller: Caller, org_id: str) -> None:
    if not access.may_manage_favourites(caller, org_id):
        raise _org_not_found(org_id)


def _favourite(org_id: str, participant_id: str, relation: dict[str, Any], profile: dict[str, Any] | None) -> Favourite:
    return Favourite(
        org_id=org_id,
        participant_id=participant_id,
        favourite=bool(relation.get("favourite")),
        favourited_at=relation.get("favourited_at"),
        applicant=card(participant_id, profile or {}),
    )


def _known(org_id: str, participant_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The organisation's record of working with the participant and their profile (one
    BatchGetItem); 404 if it never did, or the participant was erased."""
    relation, profile = store.relation_and_profile(org_id, participant_id)
    if relation is None or profile is None or profile.get("status") == "erased":
        raise _participant_not_found(participant_id)
    return relation, profile


def mark(caller: Caller, org_id: str, participant_id: str) -> Favourite:
    """Idempotent: a favourite marked again stays as it was."""
    _check_org(caller, org_id)
    relation, profile = _known(org_id, participant_id)
    if not relation.get("favourite"):
        at = clock.iso(clock.now())
        if not store.mark(org_id, participant_id, at):
            raise _participant_not_found(participant_id)
        relation = relation | {"favourite": True, "favourited_at": at}
    return _favourite(org_id, participant_id, relation, profile)


def unmark(caller: Caller, org_id: str, participant_id: str) -> Favourite:
    """Idempotent: removing one that is not a favourite (but worked with) answers the same."""
    _check_org(caller, org_id)
    relation, profile = _known(org_id, participant_id)
    if relation.get("favourite") and not store.unmark(org_id, participant_id):
        raise _participant_not_found(participant_id)
    return _favourite(org_id, participant_id, {}, profile)


def list_for(caller: Caller, org_id: str, limit: int, cursor: str | None) -> Page[Favourite]:
    """The organisation's favourites, newest first, as applicant cards (erased ones left out)."""
    _check_org(caller, org_id)
    if org_store.get(org_id) is None:  # a list of an organisation that does not exist is no empty list
        raise _org_not_found(org_id)
    marked, nxt = store.list_page(org_id, limit, cursor)
    profiles = store.profiles([p for p, _ in marked]) if marked else []
    items = [
        Favourite(org_id=org_id, participant_id=p, favourite=True, favourited_at=at, applicant=card(p, profile))
        for (p, at), profile in zip(marked, profiles, strict=True)
        if profile is not None and profile.get("status") != "erased"
    ]
    return Page(items=items, next_cursor=nxt)
