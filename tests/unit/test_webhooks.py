"""Partner webhooks: signed inbound events that act exactly once, signed outbound deliveries."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import botocore.retries.standard
import pytest
from botocore.exceptions import ClientError, ReadTimeoutError
from standardwebhooks import Webhook

from tests.helpers import (
    Api,
    PartnerReceiver,
    all_items,
    create_org,
    drain,
    job_body,
    participant_body,
    send_partner_event,
    shift_body,
)

NOW = "2026-11-25T09:00:00+01:00"


class Partner:
    def __init__(self, api: Api, aws: dict[str, Any]):
        self.api, self.aws = api, aws
        api.call("POST", "/_local/clock", json_body={"now": NOW})
        self.org = create_org(api)
        self.employer = api.employer(self.org)
        answer = api.call("POST", f"/organisations/{self.org}/webhook-secret", token=self.employer)
        assert answer.status == 201, answer.body
        self.secret = answer.body["secret"]

    def send(
        self,
        event: Any,
        *,
        msg_id: str = "msg_1",
        secret: str | None = None,
        age: timedelta = timedelta(0),
        raw: str | None = None,
    ) -> Any:
        body = raw if raw is not None else json.dumps(event)
        status, out = send_partner_event(self.api, self.org, secret or self.secret, body, msg_id, age)
        return status, json.loads(out)

    def queued(self) -> int:
        attrs = boto3.client("sqs").get_queue_attributes(QueueUrl=self.aws["WebhooksQueue"], AttributeNames=["All"])[
            "Attributes"
        ]
        return int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesNotVisible"])

    def jobs(self) -> list[dict[str, Any]]:
        return [i for i in all_items(self.aws["Table"]) if i["type"] == "job"]


def upsert(ref: str = "HR-1", **overrides: Any) -> dict[str, Any]:
    data = job_body(shift_body("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00"), publish=True, **overrides)
    return {"type": "job.upsert", "data": {"external_ref": ref, **data}}


@pytest.fixture
def partner(api: Api, aws: dict[str, Any]) -> Partner:
    return Partner(api, aws)


# ---------------------------------------------------------------- inbound


def test_a_signed_event_is_queued_then_creates_the_job(partner: Partner) -> None:
    status, body = partner.send(upsert())
    assert (status, body["status"]) == (202, "queued")
    assert partner.queued() == 1
    drain(partner.aws)
    [job] = partner.jobs()
    assert (job["external_ref"], job["status"], job["org_id"]) == ("HR-1", "open", partner.org)


def test_the_same_event_delivered_three_times_makes_one_job(partner: Partner) -> None:
    answers = [partner.send(upsert(), msg_id="msg_same")[1]["status"] for _ in range(3)]
    assert answers == ["queued", "duplicate", "duplicate"]
    # A partner that re-sends under a new id is still caught, by external_ref.
    partner.send(upsert(), msg_id="msg_other")
    drain(partner.aws)
    assert len(partner.jobs()) == 1


class LostReceiptAnswers:
    """botocore's before-send on the function's DynamoDB client: a receipt's PutItem is applied
    (through another client), then its answer is lost in a read timeout, `times` times."""

    def __init__(self, times: int):
        self.times, self.lost = times, 0

    def __call__(self, request: Any, event_name: str, **_: Any) -> None:
        sent = request.body.decode() if isinstance(request.body, bytes) else str(request.body)
        if not event_name.endswith(".PutItem") or "RECEIPT#" not in sent or self.lost >= self.times:
            return
        self.lost += 1
        with contextlib.suppress(ClientError):  # DynamoDB applied it (or refused it)...
            boto3.client("dynamodb").put_item(**json.loads(sent))
        raise ReadTimeoutError(endpoint_url=request.url)  # ...and its answer never came


@pytest.fixture
def lose_receipt_answers(partner: Partner, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[int], None]]:
    from tremplin.data import dynamo

    monkeypatch.setattr(botocore.retries.standard.ExponentialBackoff, "delay_amount", lambda self, context: 0.0)
    events = dynamo.client().meta.events

    def lose(times: int) -> None:
        events.register_first("before-send.dynamodb", LostReceiptAnswers(times), unique_id="lost-receipts")

    yield lose
    events.unregister("before-send.dynamodb", unique_id="lost-receipts")


def test_a_receipt_applied_but_its_answer_lost_still_queues_the_event_once(
    partner: Partner, lose_receipt_answers: Callable[[int], None]
) -> None:
    lose_receipt_answers(1)  # boto3 sends the write again: the receipt is there already
    assert partner.send(upsert(), msg_id="msg_lost")[1]["status"] == "queued"
    assert partner.send(upsert(), msg_id="msg_lost")[1]["status"] == "duplicate"
    assert partner.queued() == 1
    drain(partner.aws)
    assert len(partner.jobs()) == 1


def test_a_receipt_whose_every_answer_is_lost_leaves_the_event_queued_and_processed_once(
    partner: Partner, lose_receipt_answers: Callable[[int], None]
) -> None:
    lose_receipt_answers(1_000)  # every try of the receipt's write is applied, then times out
    status, body = partner.send(upsert(), msg_id="msg_lost")
    assert (status, body["status"]) == (202, "queued")  # it is queued: the receipt only spares a repeat
    assert partner.send(upsert(), msg_id="msg_lost")[1]["status"] == "duplicate"  # the partner's retry
    drain(partner.aws)
    assert len(partner.jobs()) == 1


class Killed(BaseException):
    """The function's process dies here: nothing after this line runs."""


@pytest.mark.parametrize("when", ["before the enqueue", "after the enqueue"])
def test_a_function_dying_around_the_enqueue_leaves_the_partners_retry_processed(
    partner: Partner, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    from tremplin.data import webhooks as store

    enqueue = store.enqueue

    def dying(queue_url: str, message: dict[str, Any]) -> None:
        if when == "after the enqueue":
            enqueue(queue_url, message)
        raise Killed(when)

    monkeypatch.setattr(store, "enqueue", dying)
    with pytest.raises(Killed):
        partner.send(upsert(), msg_id="msg_died")
    monkeypatch.setattr(store, "enqueue", enqueue)
    status, body = partner.send(upsert(), msg_id="msg_died")  # never "duplicate": no receipt was written
    assert (status, body["status"]) == (202, "queued")
    drain(partner.aws)
    [job] = partner.jobs()  # queued twice after the later death, acted on once (by external_ref)
    assert job["external_ref"] == "HR-1"
    assert partner.send(upsert(), msg_id="msg_died")[1]["status"] == "duplicate"


# ---------------------------------------------------------------- the consumer, once per webhook-id


@pytest.fixture
def queued_messages(partner: Partner, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every message the receiving function queues, as it queued it."""
    from tremplin.data import webhooks as store

    enqueue, sent = store.enqueue, []

    def recorded(queue_url: str, message: dict[str, Any]) -> None:
        enqueue(queue_url, message)
        sent.append(message)

    monkeypatch.setattr(store, "enqueue", recorded)
    return sent


def queue_again(partner: Partner, message: dict[str, Any]) -> None:
    """SQS delivers a message a second time (at-least-once): a copy of the very same body."""
    boto3.client("sqs").send_message(QueueUrl=partner.aws["WebhooksQueue"], MessageBody=json.dumps(message))


def acted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The external_ref of every job.upsert the consumer acts on (not skips)."""
    from tremplin.partners import inbound

    upsert_job, refs = inbound._upsert_job, []

    def counted(partner: Any, event: Any) -> str:
        refs.append(event.data.external_ref)
        return upsert_job(partner, event)

    monkeypatch.setattr(inbound, "_upsert_job", counted)
    return refs


def markers(partner: Partner) -> list[dict[str, Any]]:
    return [i for i in all_items(partner.aws["Table"]) if i["type"] == "webhook_processed"]


def test_an_older_event_queued_again_after_a_newer_one_does_not_revert_the_job(
    partner: Partner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tremplin.data import webhooks as store

    record_receipt = store.record_receipt

    def lost_for_a(org_id: str, webhook_id: str, at: str, expires_epoch: int) -> None:
        if webhook_id == "msg_a":
            raise ConnectionError("DynamoDB unreachable")
        record_receipt(org_id, webhook_id, at, expires_epoch)

    monkeypatch.setattr(store, "record_receipt", lost_for_a)
    assert partner.send(upsert(title="Old title"), msg_id="msg_a")[1]["status"] == "queued"  # no receipt
    drain(partner.aws)
    assert partner.send(upsert(title="New title"), msg_id="msg_b")[1]["status"] == "queued"
    drain(partner.aws)
    assert partner.send(upsert(title="Old title"), msg_id="msg_a")[1]["status"] == "queued"  # the retry
    drain(partner.aws)
    [job] = partner.jobs()
    assert job["title"] == "New title"
    assert len(job["shift_ids"]) == 1


def test_the_same_queued_message_delivered_twice_is_acted_on_once(
    partner: Partner, monkeypatch: pytest.MonkeyPatch, queued_messages: list[dict[str, Any]]
) -> None:
    refs = acted(monkeypatch)
    partner.send(upsert("HR-1"), msg_id="msg_twice")
    [message] = queued_messages
    queue_again(partner, message)  # both copies in one batch
    drain(partner.aws)
    queue_again(partner, message)  # and one more, later
    drain(partner.aws)
    assert refs == ["HR-1"]
    [job] = partner.jobs()
    assert len(job["shift_ids"]) == 1
    [marker] = markers(partner)
    assert (marker["PK"], marker["SK"], marker["outcome"]) == (f"ORG#{partner.org}", "PROCESSED#msg_twice", "created")
    processed_at = datetime.fromisoformat(marker["processed_at"])
    assert int(marker["ttl"]) == int((processed_at + timedelta(days=7)).timestamp())


def test_a_consumer_dying_after_acting_but_before_the_marker_acts_again_on_the_redelivery(
    partner: Partner, monkeypatch: pytest.MonkeyPatch, queued_messages: list[dict[str, Any]]
) -> None:
    from tests.helpers import shared_host
    from tremplin.data import webhooks as store

    host = shared_host()
    invoke, record_processed = host.invoke, store.record_processed

    def lambda_runtime(logical_id: str, event: dict[str, Any]) -> Any:
        try:
            return invoke(logical_id, event)
        except Killed as died:  # a failed invocation: Lambda leaves the whole batch on the queue
            raise RuntimeError(f"{logical_id}: the process died ({died})") from died

    def dying_once(*args: Any) -> bool:
        if not dies:
            return record_processed(*args)
        dies.pop()
        raise Killed("before the marker")

    dies = [True]
    monkeypatch.setattr(host, "invoke", lambda_runtime)
    monkeypatch.setattr(store, "record_processed", dying_once)
    refs = acted(monkeypatch)
    partner.send(upsert("HR-1"), msg_id="msg_dies")
    drain(partner.aws)
    assert refs == ["HR-1", "HR-1"]  # acted on, died, acted on again: the redelivery was no "duplicate"
    [job] = partner.jobs()
    assert (job["status"], len(job["shift_ids"])) == ("open", 1)  # harmlessly, by external_ref
    assert len(markers(partner)) == 1
    queue_again(partner, queued_messages[0])
    drain(partner.aws)
    assert refs == ["HR-1", "HR-1"]  # marked now: a later copy is skipped
    assert partner.queued() == 0


def test_an_event_whose_processing_failed_is_not_marked_and_its_redelivery_acts(
    partner: Partner, api: Api, monkeypatch: pytest.MonkeyPatch, queued_messages: list[dict[str, Any]]
) -> None:
    from tremplin.logic import jobs
    from tremplin.partners import inbound

    update, failures = jobs.update, [True]

    def failing_once(*args: Any) -> Any:
        if failures:
            failures.pop()
            raise ConnectionError("DynamoDB unreachable")
        return update(*args)

    partner.send(upsert("HR-1"), msg_id="msg_create")
    drain(partner.aws)
    monkeypatch.setattr(jobs, "update", failing_once)
    refs = acted(monkeypatch)
    partner.send(upsert("HR-1", title="New title"), msg_id="msg_fails")
    drain(partner.aws)  # fails once, unmarked; the redelivery acts
    assert refs == ["HR-1", "HR-1"]
    assert partner.jobs()[0]["title"] == "New title"
    assert sorted(m["SK"] for m in markers(partner)) == ["PROCESSED#msg_create", "PROCESSED#msg_fails"]
    failed_once = queued_messages[-1]
    queue_again(partner, failed_once)
    drain(partner.aws)
    assert refs == ["HR-1", "HR-1"]
    # A poison event, never processed, is never marked; the same webhook-id of another
    # organisation is an event of its own.
    partner.send(upsert("HR-2", hourly_wage="12.00"), msg_id="msg_poison")
    drain(partner.aws)
    assert "PROCESSED#msg_poison" not in {m["SK"] for m in markers(partner)}
    other = create_org(api, name="Other AG")
    assert inbound.process({**failed_once, "org_id": other}) == "created"


def test_an_event_that_could_not_be_queued_is_taken_on_the_partners_retry(
    partner: Partner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tremplin.data import webhooks as store

    enqueue = store.enqueue

    def refused(queue_url: str, message: dict[str, Any]) -> None:
        raise ConnectionError("SQS unreachable")

    monkeypatch.setattr(store, "enqueue", refused)
    status, body = partner.send(upsert(), msg_id="msg_refused")
    assert (status, body["error"]["code"]) == (503, "service_unavailable")
    monkeypatch.setattr(store, "enqueue", enqueue)
    assert partner.send(upsert(), msg_id="msg_refused")[1]["status"] == "queued"
    drain(partner.aws)
    assert len(partner.jobs()) == 1


@pytest.mark.parametrize(
    ("case", "expected"),
    [("forged", 401), ("stale", 401), ("future", 401), ("oversized", 413), ("malformed", 400), ("unknown_type", 422)],
)
def test_bad_events_are_refused_and_nothing_is_stored_or_queued(partner: Partner, case: str, expected: int) -> None:
    before = len(all_items(partner.aws["Table"]))
    if case == "forged":
        answer = partner.send(upsert(), secret="whsec_" + "A" * 32)
    elif case == "stale":
        answer = partner.send(upsert(), age=timedelta(minutes=6))
    elif case == "future":
        answer = partner.send(upsert(), age=-timedelta(minutes=6))
    elif case == "oversized":
        answer = partner.send(None, raw=json.dumps(upsert(description="x" * 300_000)))
    elif case == "malformed":
        answer = partner.send(None, raw='{"type": "job.upsert", ')
    else:
        answer = partner.send({"type": "job.delete", "data": {}})
    assert answer[0] == expected, answer
    assert answer[1]["error"]["code"]
    assert len(all_items(partner.aws["Table"])) == before
    assert partner.queued() == 0


def test_an_unknown_organisation_is_refused(partner: Partner) -> None:
    body = json.dumps(upsert())
    sent = datetime.now(UTC)
    headers = {
        "webhook-id": "m",
        "webhook-timestamp": str(int(sent.timestamp())),
        "webhook-signature": Webhook(partner.secret).sign("m", sent, body),
    }
    status, _, _ = partner.api.gateway.handle("POST", "/webhooks/partners/org_nobody", headers, body.encode())
    assert status == 401
    assert partner.queued() == 0


def test_a_poison_event_is_parked_while_the_rest_of_its_batch_succeeds(partner: Partner, api: Api) -> None:
    partner.send(upsert("HR-1"), msg_id="a")
    partner.send(upsert("HR-2", hourly_wage="12.00"), msg_id="poison")  # below the programme minimum
    partner.send(upsert("HR-3"), msg_id="c")
    drain(partner.aws)
    assert sorted(j["external_ref"] for j in partner.jobs()) == ["HR-1", "HR-3"]
    parked = api.call("GET", "/webhooks/dead-letters", token=api.admin())
    assert parked.status == 200
    assert [json.loads(m["body"])["webhook_id"] for m in parked.body] == ["poison"]
    assert parked.body[0]["receive_count"] >= 5
    assert api.call("GET", "/webhooks/dead-letters", token=partner.employer).status == 403


def test_job_cancel_and_hours_submit(partner: Partner, api: Api) -> None:
    partner.send(upsert("HR-9"), msg_id="create")
    drain(partner.aws)
    [job] = partner.jobs()
    shift_id = job["shift_ids"][0]
    p = api.call("POST", "/participants", token=api.token("caseworker", "cw"), json_body=participant_body()).body
    me = api.token("participant", participant_id=p["participant_id"])
    api.call("POST", "/me/consent", token=me, json_body={"version": "2026-01"})
    app_id = api.call("POST", f"/shifts/{shift_id}/applications", token=me).body["application_id"]
    api.call("POST", f"/applications/{app_id}/accept", token=partner.employer)
    api.call("POST", f"/applications/{app_id}/confirm", token=me)
    api.call("POST", "/_local/clock", json_body={"now": "2026-12-01T12:30:00+01:00"})
    hours = {
        "application_id": app_id,
        "started_at": "2026-12-01T08:00:00+01:00",
        "ended_at": "2026-12-01T12:00:00+01:00",
        "break_minutes": 0,
    }
    for i in range(2):
        partner.send({"type": "hours.submit", "data": hours}, msg_id=f"hours-{i}")
    drain(partner.aws)
    assert api.call("GET", f"/applications/{app_id}", token=me).body["status"] == "hours_submitted"
    partner.send({"type": "job.cancel", "data": {"external_ref": "HR-9"}}, msg_id="cancel")
    drain(partner.aws)
    assert partner.jobs()[0]["status"] == "cancelled"


def test_after_rotation_the_old_secret_works_for_24_hours_and_not_after(partner: Partner, api: Api) -> None:
    old = partner.secret
    rotated = api.call("POST", f"/organisations/{partner.org}/webhook-secret", token=api.admin()).body
    assert rotated["secret"] != old
    assert rotated["previous_valid_until"] == "2026-11-26T08:00:00+00:00"
    assert partner.send(upsert("A"), msg_id="old-1", secret=old)[0] == 202
    assert partner.send(upsert("B"), msg_id="new-1", secret=rotated["secret"])[0] == 202
    api.call("POST", "/_local/clock", json_body={"now": "2026-11-26T09:00:01+01:00"})
    assert partner.send(upsert("C"), msg_id="old-2", secret=old)[0] == 401
    assert partner.send(upsert("D"), msg_id="new-2", secret=rotated["secret"])[0] == 202


def test_secrets_are_shown_once_and_never_logged(
    partner: Partner, api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    partner.send(upsert(), msg_id="log-1")
    partner.send(upsert(), secret="whsec_" + "B" * 32, msg_id="log-2")
    drain(partner.aws)
    org = api.call("GET", f"/organisations/{partner.org}", token=api.admin()).body
    captured = capsys.readouterr()
    for text in (json.dumps(org), captured.out, captured.err):
        assert partner.secret not in text
        assert partner.secret.removeprefix("whsec_") not in text
    other = create_org(api, name="Other AG")
    assert api.call("POST", f"/organisations/{other}/webhook-secret", token=partner.employer).status == 404


# ---------------------------------------------------------------- outbound


def test_a_failing_receiver_gets_retries_until_one_accepted_delivery_whose_signature_verifies(
    partner: Partner, api: Api, partner_receiver: PartnerReceiver
) -> None:
    receiver = partner_receiver.answer(200, failures=2)
    sub = api.call(
        "PUT",
        f"/organisations/{partner.org}/webhook",
        token=partner.employer,
        json_body={"url": receiver.url, "events": ["application.created"]},
    )
    assert sub.status == 200, sub.body
    body = job_body(shift_body("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00"), publish=True)
    shift_id = api.call("POST", "/jobs", token=partner.employer, json_body=body).body["shifts"][0]["shift_id"]
    p = api.call("POST", "/participants", token=api.token("caseworker", "cw"), json_body=participant_body()).body
    me = api.token("participant", participant_id=p["participant_id"])
    api.call("POST", "/me/consent", token=me, json_body={"version": "2026-01"})
    app_id = api.call("POST", f"/shifts/{shift_id}/applications", token=me).body["application_id"]
    drain(partner.aws)  # first attempt: 500
    for minutes in (1, 7):  # the retries fall due 1 min, then 5 more, after the previous attempt
        api.call(
            "POST",
            "/_local/clock",
            json_body={"now": (datetime.fromisoformat(NOW) + timedelta(minutes=minutes)).isoformat()},
        )
        api.call("POST", "/_local/schedules/retry-deliveries")
    listed = api.call("GET", f"/organisations/{partner.org}/webhook-deliveries", token=partner.employer).body["items"]
    assert len(listed) == 1
    delivery = listed[0]
    assert delivery["status"] == "delivered"
    assert [a.get("status_code") for a in delivery["attempts"]] == [500, 500, 200]
    assert len(receiver.deliveries) == 3
    payload = receiver.deliveries[-1].verify(partner.secret)
    assert payload["type"] == "application.created"
    assert payload["data"]["application_id"] == app_id
    # Nothing more is sent once delivered.
    api.call("POST", "/_local/clock", json_body={"now": "2026-11-26T12:00:00+01:00"})
    api.call("POST", "/_local/schedules/retry-deliveries")
    assert len(receiver.deliveries) == 3


def _subscribe_and_apply(partner: Partner, api: Api, receiver: PartnerReceiver) -> None:
    """The partner subscribes to application.created, a participant applies, the event goes out."""
    api.call(
        "PUT",
        f"/organisations/{partner.org}/webhook",
        token=partner.employer,
        json_body={"url": receiver.url, "events": ["application.created"]},
    )
    body = job_body(shift_body("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00"), publish=True)
    shift_id = api.call("POST", "/jobs", token=partner.employer, json_body=body).body["shifts"][0]["shift_id"]
    p = api.call("POST", "/participants", token=api.token("caseworker", "cw"), json_body=participant_body()).body
    me = api.token("participant", participant_id=p["participant_id"])
    api.call("POST", "/me/consent", token=me, json_body={"version": "2026-01"})
    api.call("POST", f"/shifts/{shift_id}/applications", token=me)
    drain(partner.aws)


def test_a_delivery_accepted_at_its_first_attempt_leaves_the_due_index_and_is_never_retried(
    partner: Partner, api: Api, partner_receiver: PartnerReceiver
) -> None:
    _subscribe_and_apply(partner, api, partner_receiver)
    assert len(partner_receiver.deliveries) == 1
    [stored] = [i for i in all_items(partner.aws["Table"]) if i["type"] == "delivery"]
    assert stored["status"] == "delivered" and len(stored["attempts"]) == 1
    assert "GSI4PK" not in stored and "GSI4SK" not in stored and "next_attempt_at" not in stored
    start = datetime.fromisoformat(NOW)
    for minutes in (1, 30, 24 * 60):
        api.call("POST", "/_local/clock", json_body={"now": (start + timedelta(minutes=minutes)).isoformat()})
        api.call("POST", "/_local/schedules/retry-deliveries")
    assert len(partner_receiver.deliveries) == 1


def test_a_receiver_that_never_answers_well_is_parked_as_failed_after_about_a_day(
    partner: Partner, api: Api, partner_receiver: PartnerReceiver
) -> None:
    partner_receiver.answer(500)
    _subscribe_and_apply(partner, api, partner_receiver)
    start = datetime.fromisoformat(NOW)
    for hours in range(1, 27):
        api.call("POST", "/_local/clock", json_body={"now": (start + timedelta(hours=hours)).isoformat()})
        api.call("POST", "/_local/schedules/retry-deliveries")
    [delivery] = api.call("GET", f"/organisations/{partner.org}/webhook-deliveries", token=partner.employer).body[
        "items"
    ]
    assert delivery["status"] == "failed"
    assert len(delivery["attempts"]) == 7
    first, last = delivery["attempts"][0]["at"], delivery["attempts"][-1]["at"]
    assert timedelta(hours=20) <= datetime.fromisoformat(last) - datetime.fromisoformat(first) <= timedelta(hours=26)


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("https://10.1.2.3/hooks", True),
        ("https://169.254.169.254/latest/meta-data", True),
        ("https://127.0.0.1/hooks", False),
        ("http://127.0.0.1:8080/hooks", False),
        ("ftp://127.0.0.1/hooks", True),
    ],
)
def test_the_ssrf_guard_refuses_private_link_local_and_loopback_targets(
    partner: Partner, api: Api, monkeypatch: pytest.MonkeyPatch, url: str, local: bool
) -> None:
    from tremplin.data import reset

    monkeypatch.setenv("LOCAL_STACK", "true" if local else "false")
    reset()
    answer = api.call(
        "PUT",
        f"/organisations/{partner.org}/webhook",
        token=partner.employer,
        json_body={"url": url, "events": ["hours.approved"]},
    )
    assert answer.status == 422
    assert answer.body["error"]["details"][0]["field"] == "url"
