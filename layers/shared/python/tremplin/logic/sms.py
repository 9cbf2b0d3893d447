"""The SMS beside a participant's note (issue 20): for the notes that cannot wait
(tremplin.sms_texts.KINDS), to a valid number whose owner consented to SMS in their profile and
did not reply STOP, while the month's SMS are under the cap (SmsMonthlyLimit). Otherwise the
note goes by e-mail as every other note does; it is in the inbox either way.

At most one SMS per note: the note is marked before the Publish (tremplin.data.sms.claim), so a
notifier that dies between the two loses that SMS rather than risking a second, paid one.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit, single_metric

from tremplin import clock, short_links, sms_texts
from tremplin.data import notifications as notification_store
from tremplin.data import sms as store
from tremplin.data.pagination import signing_key
from tremplin.errors import NotFound
from tremplin.events import participant_inbox
from tremplin.identity import Caller
from tremplin.models.participants import ShortLink
from tremplin.settings import get_settings

logger = Logger(child=True)


def _short(iso: Any) -> str:
    """An instant as Zurich wall-clock time, as short as an SMS wants it: "28.11. 08:00"."""
    try:
        moment = datetime.fromisoformat(str(iso)) if iso else None
    except ValueError:
        return ""
    if moment is None:
        return ""
    if moment.tzinfo is None:  # the platform writes UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(clock.ZURICH).strftime("%d.%m. %H:%M")


def facts(note: dict[str, Any], context: notification_store.Context) -> sms_texts.Facts:
    data = note.get("data") or {}
    job = context.job or {}
    place = job.get("location") or {}
    street = str(place.get("street") or "")
    town = " ".join(str(place.get(k) or "") for k in ("postcode", "city")).strip()
    return sms_texts.Facts(
        title=str(job.get("title") or ""),
        start=_short(data.get("starts_at")),
        deadline=_short(data.get("offer_expires_at")),
        address=", ".join(p for p in (street, town) if p),
        street=street,
    )


def text(note: dict[str, Any], context: notification_store.Context) -> str | None:
    """The SMS this note would send its participant; None when it goes by no SMS."""
    profile = context.participant or {}
    participant_id = str(profile.get("participant_id") or "")
    if note["kind"] not in sms_texts.KINDS or note["recipient"] != participant_inbox(participant_id):
        return None
    link = short_links.url(
        get_settings().web_url, signing_key(), sms_texts.SCREEN_OF_KIND[note["kind"]], participant_id
    )
    return sms_texts.render(note["kind"], profile.get("preferred_language"), facts(note, context), link)


def wanted_by(profile: dict[str, Any]) -> str | None:
    """The number to text, when its owner consented to SMS."""
    phone = profile.get("phone")
    return str(phone) if phone and profile.get("sms_consent") else None


def send(stored: dict[str, Any], context: notification_store.Context) -> bool:
    """Sends the note's SMS unless an earlier delivery did; True when it went (or had gone) by SMS.
    A failed Publish gives back its claim and raises: the queue delivers the note again."""
    phone = wanted_by(context.participant or {})
    cap = get_settings().sms_monthly_limit
    if not phone or cap <= 0:
        return False
    if stored.get("sms_sent_at"):
        return True
    message = text(stored, context)
    if message is None or store.opted_out(phone):
        return False
    now = clock.now()
    month = now.strftime("%Y-%m")  # UTC, as AWS bills
    claim = store.claim(stored, month, cap, clock.iso(now))
    if claim is store.Claim.CAP_REACHED:
        _cap_reached(month, cap)
        return False
    if claim is store.Claim.ALREADY_SENT:
        return True
    try:
        store.publish(phone, message)
    except Exception:
        store.release(stored, month)
        raise
    return True


def _cap_reached(month: str, cap: int) -> None:
    logger.warning("SMS cap reached; the note goes by e-mail", extra={"month": month, "cap": cap})
    namespace = os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "Tremplin")
    with single_metric(name="SmsCapReached", unit=MetricUnit.Count, value=1, namespace=namespace) as metric:
        metric.add_dimension(name="service", value="notifier")


def open_link(caller: Caller, token: str) -> ShortLink:
    """The screen an SMS's link leads to; a token not made for this participant is not found."""
    screen = short_links.screen_of(signing_key(), token, caller.participant_id or "")
    if screen is None:
        raise NotFound("This link was not found.")
    return ShortLink(path=screen)
