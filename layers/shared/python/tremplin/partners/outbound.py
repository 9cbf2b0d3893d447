"""Outbound deliveries to partners' subscribed URLs, signed the Standard Webhooks way and
retried with growing delays for about a day.

No partner can hold up another: every attempt keeps to a deadline (partners.http), anything
an endpoint does is a failed attempt, and the retry sweep gives each organisation its own lane,
one attempt at a time, taking the lanes in turns over a few workers, so a slow endpoint holds
one worker at most while the others' deliveries go out.
"""

from __future__ import annotations

import json
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aws_lambda_powertools import Logger
from standardwebhooks import Webhook

from tremplin import clock
from tremplin.data import webhooks as store
from tremplin.errors import field_error
from tremplin.identity import Caller
from tremplin.models import Page
from tremplin.models.webhooks import Delivery, OutboundEvent, Subscription, SubscriptionRequest
from tremplin.partners import http
from tremplin.partners.secrets import UnusableSecret, own_org, signing_secret

# Waits before each retry: about a day in all, then the delivery is parked as failed.
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=15),
]

# The delivery worker makes each event's first attempt, up to 10 messages a batch (BatchSize)
# within its 30 s timeout: 10 attempts of 2.5 s leave it room. A slower partner gets the
# retries' full deadline (partners.http.DEADLINE_S) from the sweep a minute later.
FIRST_ATTEMPT_DEADLINE_S = 2.5

# The retry sweep, run by the schedules function (60 s timeout): it starts no attempt that
# could end after SWEEP_BUDGET_S; what it leaves is still due at the next sweep.
SWEEP_BUDGET_S = 45.0
SWEEP_WORKERS = 8  # attempts under way at once, each for a different organisation
SWEEP_PER_ORG = 100  # deliveries of one organisation taken per sweep (the rest wait their turn)
SWEEP_MAX = 2000  # deliveries held in one sweep

logger = Logger(child=True)


def _now() -> str:
    return clock.iso(clock.now())


def subscribe(caller: Caller, org_id: str, body: SubscriptionRequest) -> Subscription:
    own_org(caller, org_id)
    try:
        http.check_target(body.url)
    except http.UnsafeTarget as exc:
        raise field_error("url", str(exc)) from None
    sub = Subscription(org_id=org_id, url=body.url, events=sorted(set(body.events)), updated_at=_now())
    store.put_subscription(sub.model_dump(mode="json"))
    return sub


def message(org_id: str, event: OutboundEvent, data: dict[str, Any], event_id: str, at: str) -> dict[str, Any]:
    """An event for the organisation's subscription, as queued for the delivery worker (by the
    stream consumer). `event_id` is deterministic (the change it comes from), so a repeat is
    recognised by the delivery worker and never sent twice."""
    return {"event_id": event_id, "org_id": org_id, "type": event.value, "data": data, "created_at": at}


def deliver(message: dict[str, Any]) -> str:
    """The first attempt of an event's delivery, recorded with its outcome. Recorded only after
    it: should this worker die before, SQS gives the message back and the attempt is made then
    (at worst the partner gets the event twice under one webhook-id, which Standard Webhooks
    receivers deduplicate); a message whose delivery is recorded is a duplicate."""
    sub, held, recorded = store.outbound_context(message["org_id"], message["created_at"], message["event_id"])
    if not sub or message["type"] not in sub["events"]:
        return "not subscribed"
    if recorded:
        return "duplicate"
    payload = json.dumps({"type": message["type"], "timestamp": message["created_at"], "data": message["data"]})
    delivery = {
        "delivery_id": message["event_id"],
        "org_id": message["org_id"],
        "event_type": message["type"],
        "url": sub["url"],
        "payload": payload,
        "status": "pending",
        "attempts": [],
        "created_at": message["created_at"],
    }
    return _attempt(delivery, held or {}, FIRST_ATTEMPT_DEADLINE_S)


def _sign(delivery_id: str, payload: str, secret: str) -> dict[str, str]:
    sent_at = datetime.now(UTC)  # receivers check the signature's time against their real clock
    return {
        "webhook-id": delivery_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": Webhook(secret).sign(delivery_id, sent_at, payload),
    }


def _attempt(delivery: dict[str, Any], held: dict[str, Any], deadline_s: float | None = None) -> str:
    """One POST of the delivery, signed with the organisation's current secret in `held` (its
    secret item), within `deadline_s` (the client's own deadline by default)."""
    now = clock.now()
    delivery_id, payload, url, seen = (
        str(delivery["delivery_id"]),
        str(delivery["payload"]),
        str(delivery["url"]),
        len(delivery["attempts"]),
    )
    status_code: int | None = None
    error: str | None = None
    try:
        secret = signing_secret(str(delivery["org_id"]), held)  # KMS, or its cache (secret_box)
    except UnusableSecret:  # not sent, and said so; the ciphertext is never logged
        secret, error = None, "the webhook secret does not decrypt for this organisation"
    else:
        error = None if secret else "the organisation has no webhook secret"
    if secret:
        try:
            headers = _sign(delivery_id, payload, secret)
        except Exception as exc:  # a stored secret the library cannot use: not sent, and said so
            error = f"the webhook secret cannot sign ({type(exc).__name__})"
        else:
            status_code, error = http.post(url, payload, headers, deadline_s)
    attempt = (
        {"at": clock.iso(now)}
        | ({"status_code": status_code} if status_code else {})
        | ({"error": error} if error else {})
    )
    delivery = {**delivery, "attempts": [*delivery["attempts"], attempt]}
    if status_code is not None and 200 <= status_code < 300:
        delivery |= {"status": "delivered", "next_attempt_at": None}
    elif seen >= len(RETRY_DELAYS):
        delivery |= {"status": "failed", "next_attempt_at": None}
    else:
        delivery |= {"next_attempt_at": clock.iso(now + RETRY_DELAYS[seen])}
    store.save_delivery(delivery, seen)
    return str(delivery["status"])


# ---------------------------------------------------------------- the retry sweep


@dataclass
class _Lane:
    """One organisation's due deliveries in a sweep, tried one after the other."""

    org_id: str
    waiting: deque[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=deque)
    secrets: dict[str, Any] | None = None


def retry_due(budget_s: float | None = None) -> int:
    """The schedule's sweep: deliveries whose next attempt is due are tried again; returns how
    many were tried. Each is handled on its own (one that cannot be handled is logged and
    recorded as a failed attempt, so it follows the retry schedule to its end), the
    organisations take turns, and no attempt starts that could end after `budget_s`."""
    stop_starting = time.monotonic() + (SWEEP_BUDGET_S if budget_s is None else budget_s) - http.DEADLINE_S
    now = _now()
    lanes: dict[str, _Lane] = {}
    for held, (key, delivery) in enumerate(store.due_deliveries(now, per_org=SWEEP_PER_ORG)):
        if held >= SWEEP_MAX:
            break
        org_id = str(delivery.get("org_id") or key["PK"])
        lanes.setdefault(org_id, _Lane(org_id)).waiting.append((key, delivery))
    turns = deque(lanes.values())  # oldest due first, then round and round
    tried = 0
    with ThreadPoolExecutor(max_workers=SWEEP_WORKERS, thread_name_prefix="retry-due") as pool:
        running: dict[Future[int], _Lane] = {}
        while turns or running:
            while turns and len(running) < SWEEP_WORKERS and time.monotonic() < stop_starting:
                lane = turns.popleft()
                running[pool.submit(_retry_next, lane, now)] = lane
            if not running:
                break  # out of time: what is left stays due
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                lane = running.pop(future)
                tried += future.result()
                if lane.waiting:
                    turns.append(lane)
    return tried


def _retry_next(lane: _Lane, now: str) -> int:
    """The lane's next due delivery, tried once; 1 if it was handled, 0 if it moved on since the
    sweep read it. An endpoint that was slow to fail gets no more of this lane's deliveries in
    this sweep: they stay due, and the other lanes keep the workers."""
    key, delivery = lane.waiting.popleft()
    if delivery.get("status") != "pending" or str(delivery.get("next_attempt_at") or "~") > now:
        return 0
    started = time.monotonic()
    try:
        if lane.secrets is None:
            lane.secrets = store.get_secrets(lane.org_id) or {}
        outcome = _attempt(delivery, lane.secrets)
    except Exception as exc:
        logger.exception(
            "a due delivery could not be handled; recorded as a failed attempt",
            extra={"org_id": lane.org_id, "delivery_id": delivery.get("delivery_id")},
        )
        _record_unhandled(key, delivery, exc)
        return 1
    if outcome != "delivered" and time.monotonic() - started >= http.DEADLINE_S / 2:
        url = delivery.get("url")
        left = deque(w for w in lane.waiting if w[1].get("url") != url)
        if len(left) < len(lane.waiting):
            logger.warning(
                "an endpoint was slow to fail; its other due deliveries wait for the next sweep",
                extra={"org_id": lane.org_id, "waiting": len(lane.waiting) - len(left)},
            )
        lane.waiting = left
    return 1


def _record_unhandled(key: dict[str, Any], delivery: dict[str, Any], exc: Exception) -> None:
    """A delivery the sweep failed to handle counts a failed attempt, with only its key written,
    so a delivery that always fails to be handled is parked as failed like any other."""
    attempts = delivery.get("attempts")
    seen = len(attempts) if isinstance(attempts, list) else 0
    now = clock.now()
    attempt = {"at": clock.iso(now), "error": f"not sent: the delivery could not be handled ({type(exc).__name__})"}
    next_attempt_at = clock.iso(now + RETRY_DELAYS[seen]) if seen < len(RETRY_DELAYS) else None
    try:
        store.note_failed_handling(key, attempt, next_attempt_at)
    except Exception:
        logger.exception("a failed delivery could not be recorded; left due", extra={"org_id": key.get("PK")})


def list_deliveries(caller: Caller, org_id: str, limit: int, cursor: str | None) -> Page[Delivery]:
    own_org(caller, org_id)
    items, nxt = store.deliveries(org_id, limit, cursor)
    return Page(items=[Delivery.model_validate(i) for i in items], next_cursor=nxt)
