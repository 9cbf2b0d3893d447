"""The participant's calendar feed as RFC 5545 text, built with icalendar. Pure.

Times are written in UTC (`DTSTART:20261128T070000Z`): an exact instant that every client shows
in the device's zone, with no VTIMEZONE of Europe/Zurich to get wrong. Each shift is one VEVENT
whose UID is derived from its application, so a changed shift replaces the event a client holds;
SEQUENCE counts the changes and DTSTAMP/LAST-MODIFIED is the time of the last one. A cancelled
shift stays in the feed with STATUS:CANCELLED and its title prefixed: Apple Calendar and Outlook
strike such events through, Google Calendar hides them; an event that merely disappeared would
leave the participant wondering whether the feed failed. Nothing names assistance or a case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from icalendar import Calendar, Event, vText

from tremplin.messages import calendar_words

PRODID = "-//Tremplin//Shift calendar//EN"
UID_DOMAIN = "shifts.tremplin"


def uid(application_id: str) -> str:
    """One stable UID per application that does not spell out its ids."""
    return hashlib.sha256(application_id.encode()).hexdigest()[:32] + "@" + UID_DOMAIN


def _address(location: dict[str, Any]) -> str:
    street, place = (
        location.get("street") or "",
        " ".join(p for p in (location.get("postcode") or "", location.get("city") or "") if p),
    )
    return ", ".join(p for p in (street, place) if p)


def _event(entry: dict[str, Any], words: dict[str, str]) -> Event:
    cancelled = entry.get("status") == "cancelled"
    title = " \u2013 ".join(p for p in (entry.get("title"), entry.get("org_name")) if p)
    event = Event()
    event.add("uid", uid(entry["application_id"]))
    event.add("summary", f"{words['cancelled']}: {title}" if cancelled else title)
    event.add("dtstart", datetime.fromisoformat(entry["starts_at"]))
    event.add("dtend", datetime.fromisoformat(entry["ends_at"]))
    modified = datetime.fromisoformat(entry["modified_at"])
    event.add("dtstamp", modified)
    event.add("last-modified", modified)
    event.add("sequence", int(entry.get("sequence") or 0))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    address = _address(entry.get("location") or {})
    if address:
        event.add("location", vText(address))
    if entry.get("org_name"):
        event.add("description", entry["org_name"])
    return event


def feed(entries: Iterable[dict[str, Any]], language: str | None) -> bytes:
    """The whole feed: a VCALENDAR of the shifts, earliest first."""
    words = calendar_words(language)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", words["name"])
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})  # RFC 7986
    calendar.add("x-published-ttl", "PT1H")  # the same, for Outlook
    for entry in sorted(entries, key=lambda e: (e["starts_at"], e["application_id"])):
        calendar.add_component(_event(entry, words))
    return bytes(calendar.to_ical())
