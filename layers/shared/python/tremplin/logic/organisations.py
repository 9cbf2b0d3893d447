"""Partner organisations: companies and city departments that post jobs."""

from __future__ import annotations

from tremplin import access, clock
from tremplin.access import Slice
from tremplin.data import organisations as store
from tremplin.errors import NotFound
from tremplin.identity import Caller
from tremplin.ids import new_id
from tremplin.models import Page
from tremplin.models.organisations import Organisation, OrganisationCreate, OrganisationStatus


def _not_found(org_id: str) -> NotFound:
    return NotFound(f"Organisation {org_id} was not found.")


def create(body: OrganisationCreate) -> Organisation:
    at = clock.iso(clock.now())
    org = Organisation(
        org_id=new_id("org"), status=OrganisationStatus.ACTIVE, created_at=at, updated_at=at, **body.model_dump()
    )
    store.insert(org.model_dump(mode="json"))
    return org


def get_visible(caller: Caller, org_id: str) -> Organisation:
    """An organisation the caller may see; anything else is a 404, as if it did not exist."""
    if not access.may_see_organisation(caller, org_id):
        raise _not_found(org_id)
    item = store.get(org_id)
    if item is None:
        raise _not_found(org_id)
    return Organisation.model_validate(item)


def list_visible(caller: Caller, limit: int, cursor: str | None) -> Page[Organisation]:
    if access.organisations_slice(caller) is Slice.ORGANISATION:
        own = store.get(caller.org_id or "")
        return Page(items=[Organisation.model_validate(own)] if own else [])
    items, next_cursor = store.list_all(limit, cursor)
    return Page(items=[Organisation.model_validate(i) for i in items], next_cursor=next_cursor)


def set_status(org_id: str, status: OrganisationStatus) -> Organisation:
    item = store.set_status(org_id, status.value, clock.iso(clock.now()))
    if item is None:
        raise _not_found(org_id)
    # Its jobs leave (or come back to) browsing as what follows from the change (tremplin.events).
    return Organisation.model_validate(item)
