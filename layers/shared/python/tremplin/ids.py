"""Opaque, time-ordered identifiers."""

from __future__ import annotations

import secrets
import time


def new_id(prefix: str) -> str:
    # 12 hex digits of milliseconds keep ids roughly sortable; 16 random hex digits keep them unguessable.
    return f"{prefix}_{int(time.time() * 1000):012x}{secrets.token_hex(8)}"
