"""The participant's private calendar feed of their confirmed shifts (issue 20).

The participant turns it on (or renews it) and gets a secret URL, `/calendar/<participant>.<secret>.ics`;
only the SHA-256 of the secret is stored, so the URL is shown once and a renewal makes the old
one answer 404. The stream consumer keeps, per application that was ever confirmed, the shift as
the feed shows it (`refresh`), so the public feed is one Query of the participant's partition.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from tremplin import access, calendar_ics, clock
from tremplin.data import applications as app_store
from tremplin.data import calendar as store
from tremplin.data import jobs as job_store
from tremplin.data import participants as participant_store
from tremplin.errors import NotFound
from tremplin.identity import Caller
from tremplin.models.applications import ApplicationStatus
from tremplin.models.calendar import CalendarFeed

SUFFIX = ".ics"
# Shifts that ended longer ago than this are left out of the feed: clients keep what they saw.
KEPT_FOR = timedelta(days=90)
# The participant left the programme (erasure): their feed is gone, their shifts are not kept.
LEFT_PROGRAMME = "programme"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _own(caller: Caller) -> dict[str, Any]:
    participant_id = caller.participant_id or ""
    profile = participant_store.get(participant_id)
    if not access.acts_as_participant(profile, caller):
        raise NotFound(f"Participant {participant_id} was not found.")
    return profile


def status(caller: Caller) -> CalendarFeed:
    feed = store.get_feed(_own(caller)["participant_id"])
    return CalendarFeed(enabled=feed is not None, turned_on_at=(feed or {}).get("turned_on_at"))


def turn_on(caller: Caller, base_url: str) -> CalendarFeed:
    """Turns the feed on, or renews its URL: a new secret replaces the old one."""
    profile = _own(caller)
    participant_id = profile["participant_id"]
    secret = secrets.token_urlsafe(32)
    at = clock.iso(clock.now())
    store.turn_on(participant_id, _hash(secret), profile.get("preferred_language") or "de", at)
    url = f"{base_url.rstrip('/')}/calendar/{participant_id}.{secret}{SUFFIX}"
    return CalendarFeed(enabled=True, turned_on_at=at, url=url)


def turn_off(caller: Caller) -> CalendarFeed:
    store.turn_off(_own(caller)["participant_id"])
    return CalendarFeed(enabled=False)


def _not_found() -> NotFound:
    return NotFound("No calendar has this address.")


def feed(name: str) -> bytes:
    """The feed named `<participant>.<secret>.ics`; 404 for anything else, an unknown or renewed
    secret, or a feed turned off (one Query)."""
    token = name.removesuffix(SUFFIX)
    participant_id, _, secret = token.rpartition(".")
    if name == token or not participant_id or not secret:
        raise _not_found()
    found, shifts = store.read(participant_id)
    if found is None or not hmac.compare_digest(str(found["secret_sha256"]), _hash(secret)):
        raise _not_found()
    since = clock.iso(clock.now() - KEPT_FOR)
    shown = [
        s | {"sequence": int(s.get("sequence") or 1) - 1}  # stored from 1 (ADD); RFC 5545 starts at 0
        for s in shifts
        if s["ends_at"] >= since
    ]
    return calendar_ics.feed(shown, found.get("language"))


# ---------------------------------------------------------------- kept by the stream consumer


def _shown_status(app: dict[str, Any]) -> str | None:
    """How the feed shows an application: a shift once confirmed stays (cancelled if it was);
    None: never confirmed, or its participant left the programme."""
    if not app.get("confirmed_at") or app.get("cancelled_by") == LEFT_PROGRAMME:
        return None
    return "cancelled" if app["status"] == ApplicationStatus.CANCELLED else "confirmed"


def refresh(app: dict[str, Any], at: str) -> bool:
    """Keeps the application's shift in the participant's calendar as it now is (one BatchGet of
    its job and organisation, one conditional Update); False when nothing changed."""
    shown = _shown_status(app)
    if shown is None:
        return False
    job, org = store.job_and_org(str(app["job_id"]), str(app["org_id"]))
    entry = {
        "participant_id": app["participant_id"],
        "application_id": app["application_id"],
        "title": job.get("title") or "",
        "org_name": org.get("name") or "",
        "location": job.get("location") or {},
        "starts_at": app["shift_starts_at"],
        "ends_at": app["shift_ends_at"],
        "status": shown,
    }
    digest = hashlib.sha256(json.dumps(entry, sort_keys=True, default=str).encode()).hexdigest()
    return store.keep_shift(entry | {"modified_at": _instant(at)}, digest)


def refresh_job(job_id: str, at: str) -> int:
    """An edited job: the events of its confirmed shifts take its new title and address (one
    Query per shift of the job, then `refresh` per once-confirmed application)."""
    job = job_store.get_job(job_id) or {}
    changed = 0
    for shift_id in job.get("shift_ids") or ():
        for app in app_store.all_for_shift(str(shift_id)):
            changed += refresh(app, at) if app.get("confirmed_at") else 0
    return changed


def _instant(at: str) -> str:
    return clock.iso(datetime.fromisoformat(at))


def forget(participant_id: str) -> None:
    """An erased participant's feed and kept shifts go."""
    store.forget(participant_id)
