"""Verification codes of issued papers: unguessable, and typable from a printed page.

80 random bits (secrets) in Crockford's base32, 16 characters in four groups of four
("7KQ2-M9XD-4TZC-HW0P"): no I, L, O or U to misread, and what a reader types is forgiven the
way Crockford says: any case, hyphens and spaces left out or added, I and L read as 1, O as 0.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BITS = 80
_LENGTH = BITS // 5
_GROUP = 4
_MISREAD = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_code() -> str:
    number = secrets.randbits(BITS)
    chars = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(_LENGTH)))
    return "-".join(chars[i : i + _GROUP] for i in range(0, _LENGTH, _GROUP))


def canonical(typed: str) -> str | None:
    """The code as issued, from what a reader typed; None when it cannot be one."""
    chars = "".join(typed.split()).replace("-", "").upper().translate(_MISREAD)
    if len(chars) != _LENGTH or any(c not in ALPHABET for c in chars):
        return None
    return "-".join(chars[i : i + _GROUP] for i in range(0, _LENGTH, _GROUP))
