"""The pay scheme (PAYSCHEME / PAYSCHEME, keys.py): one item holding every version, oldest
first, and `revision`, the number of writes it has had. Adding a version is one conditional
write on the revision that was read, so of two admins adding at once one is refused, never lost."""

from __future__ import annotations

from typing import Any

from tremplin.data import keys
from tremplin.data.dynamo import TransactionRefused, strip_keys, table, translated_errors, update_request, write_one


class LostRace(Exception):
    """The scheme changed between the read and the write."""


def read() -> tuple[list[dict[str, Any]], int]:
    """The stored versions (oldest first) and the revision they are at; ([], 0) when none is stored."""
    with translated_errors():
        item = table().get_item(Key=keys.pay_scheme(), ConsistentRead=True).get("Item")
    if not item:
        return [], 0
    stored = strip_keys(item)
    return list(stored.get("versions") or []), int(stored.get("revision", 0))


def versions() -> list[dict[str, Any]]:
    """The stored versions, oldest first (empty when none is stored yet)."""
    return read()[0]


def replace(versions: list[dict[str, Any]], read_revision: int) -> None:
    """Stores `versions` as the whole scheme, provided it is still at `read_revision` (0: none
    stored). Raises LostRace if another write came first."""
    condition = "attribute_not_exists(PK)" if read_revision == 0 else "#rev = :rev"
    change = update_request(
        keys.pay_scheme(),
        set_={"type": "pay_scheme", "versions": versions, "revision": read_revision + 1},
        condition=condition,
        names={"#rev": "revision"} if read_revision else None,
        values={":rev": read_revision} if read_revision else None,
    )
    try:
        write_one(change)
    except TransactionRefused as refused:
        raise LostRace from refused
