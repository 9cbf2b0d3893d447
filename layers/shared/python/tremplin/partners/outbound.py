"""Outbound deliveries to partners' subscribed URLs, signed the Standard Webhooks way and
retried with growing delays for about a day."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from standardwebhooks import Webhook

from tremplin import clock
from tremplin.data import webhooks as store
from tremplin.errors import field_error
from tremplin.identity import Caller
from tremplin.models import Page
from tremplin.models.webhooks import Delivery, OutboundEvent, Subscription, SubscriptionRequest
from tremplin.partners import http
from tremplin.partners.secrets import own_org
from tremplin.settings import get_settings

# Waits before each retry: about a day in all, then the delivery is parked as failed.
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=15),
]


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


def emit(org_id: str, event: OutboundEvent, data: dict[str, Any], event_id: str, at: str) -> None:
    """Queues an event for the organisation's subscription. `event_id` is deterministic (the change
    it comes from), so a repeat is recognised by the delivery worker and never sent twice."""
    message = {"event_id": event_id, "org_id": org_id, "type": event.value, "data": data, "created_at": at}
    store.enqueue(get_settings().deliveries_queue_url, message)


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
    return _attempt(delivery, held or {})


def _attempt(delivery: dict[str, Any], held: dict[str, Any]) -> str:
    """One POST of the delivery, signed with the organisation's current secret in `held`."""
    now = clock.now()
    if held.get("current"):
        sent_at = datetime.now(UTC)  # receivers check the signature's time against their real clock
        headers = {
            "webhook-id": delivery["delivery_id"],
            "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": Webhook(held["current"]).sign(delivery["delivery_id"], sent_at, delivery["payload"]),
        }
        status_code, error = http.post(delivery["url"], delivery["payload"], headers)
    else:
        status_code, error = None, "the organisation has no webhook secret"
    seen = len(delivery["attempts"])
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


def retry_due() -> int:
    """The schedule's sweep: deliveries whose next attempt is due are tried again."""
    now = _now()
    done = 0
    for delivery in store.due_deliveries(now):
        if delivery["status"] == "pending" and delivery.get("next_attempt_at", "~") <= now:
            _attempt(delivery, store.get_secrets(delivery["org_id"]) or {})
            done += 1
    return done


def list_deliveries(caller: Caller, org_id: str, limit: int, cursor: str | None) -> Page[Delivery]:
    own_org(caller, org_id)
    items, nxt = store.deliveries(org_id, limit, cursor)
    return Page(items=[Delivery.model_validate(i) for i in items], next_cursor=nxt)
