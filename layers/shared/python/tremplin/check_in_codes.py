"""Check-in codes: what the QR code on the employer's screen carries (issue 20).

A code is `<shift id>.<step>.<signature>`: the step is the 5-minute period it was made in, the
signature an HMAC-SHA256 of both under the check-in key (Secrets Manager, like the cursor key).
A code names a shift and a time, never a person; a new one every step, so a photo of the screen
sent home stops working within minutes. The previous step's code is still accepted (a phone
scanning just as the screen turns over). Codes are made and accepted only from 15 minutes before
the shift's start until 2 hours after its end (people leave late and scan late); pure rules here,
the key and the writes live in tremplin.data.check_in. No location is asked for or stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta
from enum import StrEnum

from tremplin import clock
from tremplin.errors import Conflict

STEP = timedelta(minutes=5)
GRACE_STEPS = 1  # how many earlier codes still pass
OPENS_BEFORE = timedelta(minutes=15)
CLOSES_AFTER = timedelta(hours=2)
# A participant's scan this soon after their arrival is the same arrival again (a second scan at
# the door, a reloaded page), not their departure.
SAME_ARRIVAL = timedelta(minutes=15)
_SIGNATURE_BYTES = 12


class WindowState(StrEnum):
    NOT_OPEN = "not_open"
    OPEN = "open"
    CLOSED = "closed"


def step_of(at: datetime) -> int:
    return int(at.timestamp() // STEP.total_seconds())


def step_ends(step: int) -> datetime:
    return datetime.fromtimestamp((step + 1) * STEP.total_seconds(), tz=clock.ZURICH)


def _signature(key: bytes, shift_id: str, step: int) -> str:
    digest = hmac.new(key, f"check-in|{shift_id}|{step}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:_SIGNATURE_BYTES]).decode().rstrip("=")


def make(key: bytes, shift_id: str, at: datetime) -> str:
    step = step_of(at)
    return f"{shift_id}.{step}.{_signature(key, shift_id, step)}"


def invalid() -> Conflict:
    return Conflict("This check-in code is not valid. Scan the code on the screen.", code="check_in_code_invalid")


def read(key: bytes, code: str, now: datetime) -> str:
    """The shift a genuine, current code names; 409 check_in_code_invalid for anything forged,
    changed or malformed, 409 check_in_code_expired for a genuine one older than the grace."""
    parts = code.split(".")
    if len(parts) != 3 or not parts[1].isdigit():
        raise invalid()
    shift_id, step = parts[0], int(parts[1])
    if not hmac.compare_digest(parts[2].encode(), _signature(key, shift_id, step).encode()):
        raise invalid()
    current = step_of(now)
    if step > current:  # signed by us for a time still to come: never handed out
        raise invalid()
    if step < current - GRACE_STEPS:
        raise Conflict("This check-in code has expired. Scan the new one.", code="check_in_code_expired")
    return shift_id


def window(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    return starts_at - OPENS_BEFORE, ends_at + CLOSES_AFTER


def state(starts_at: datetime, ends_at: datetime, now: datetime) -> WindowState:
    opens, closes = window(starts_at, ends_at)
    if now < opens:
        return WindowState.NOT_OPEN
    return WindowState.OPEN if now <= closes else WindowState.CLOSED


def require_open(starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    """409 check_in_not_open before the window, check_in_closed after it."""
    found = state(starts_at, ends_at, now)
    if found is WindowState.NOT_OPEN:
        raise Conflict("Check-in opens 15 minutes before the shift starts.", code="check_in_not_open")
    if found is WindowState.CLOSED:
        raise Conflict("Check-in for this shift is over.", code="check_in_closed")


def qr_svg_uri(url: str) -> str:
    """The QR code of `url` as an SVG image in a data: URI (the web app's CSP allows data:
    images). Made here with segno (pure Python, no
    dependencies) rather than in the browser: the web app stays free of third-party scripts, and
    the code is drawn where it is signed."""
    import segno

    return str(segno.make_qr(url, error="m").svg_data_uri(scale=6, border=4, dark="#000", light="#fff"))
