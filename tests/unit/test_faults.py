"""Faults, observed as a user observes them (answers, inboxes, deliveries, reports) and on
the stored state.

DynamoDB's throttles and transaction conflicts are answered by a botocore `before-send`
handler with the HTTP response DynamoDB itself sends, before the request reaches any table:
boto3's own retry logic (standard mode) and tremplin's transaction retry see exactly what
they would see in AWS. A consumer's process dying is `Killed`, raised right after an effect:
in Lambda that is a failed invocation, and SQS gives the whole batch back.
"""

from __future__ import annotations

import io
import json
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import boto3
import botocore.retries.standard
import pytest
import requests
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.compat import HTTPHeaders

from tests.helpers import (
    Answer,
    Api,
    PartnerReceiver,
    all_items,
    create_org,
    drain,
    job_body,
    participant_body,
    shift_body,
)

NOW = "2026-11-25T09:00:00+01:00"
SHIFT = ("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00")
AFTER_SHIFT = "2026-12-01T13:00:00+01:00"

WRITES = ("TransactWriteItems", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem")
SINGLE_WRITES = ("PutItem", "UpdateItem", "DeleteItem")
THROTTLES = ("ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded")
ALWAYS = 1_000_000


# ---------------------------------------------------------------- injecting DynamoDB's errors


class _Body(io.BytesIO):
    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.getvalue()


@dataclass
class _Plan:
    operations: tuple[str, ...]
    code: str
    remaining: int
    reason: str = ""
    let_through: int = 0


class DynamoFaults:
    """Answers chosen DynamoDB calls with DynamoDB's own error response (HTTP 400, JSON 1.0
    body). Registered first on `before-send`, so the answer replaces the HTTP call; every
    retry is a new call and is counted (and possibly faulted) again."""

    def __init__(self) -> None:
        self._plans: list[_Plan] = []
        self.injected: Counter[str] = Counter()

    def throttle(self, *operations: str, code: str = THROTTLES[0], times: int = ALWAYS, after: int = 0) -> None:
        """Refuses the next `times` calls of `operations`, once `after` of them went through."""
        self._plans.append(_Plan(operations or WRITES, code, times, let_through=after))

    def conflict(self, times: int = ALWAYS, reason: str = "TransactionConflict") -> None:
        """A write meets another transaction holding its item: TransactWriteItems is cancelled
        with `reason`, a single conditional write refused with TransactionConflictException."""
        self._plans.append(_Plan(("TransactWriteItems",), "TransactionCanceledException", times, reason))
        self._plans.append(_Plan(SINGLE_WRITES, "TransactionConflictException", times))

    def clear(self) -> None:
        self._plans.clear()

    def __call__(self, request: AWSPreparedRequest, event_name: str, **_: Any) -> AWSResponse | None:
        operation = event_name.rsplit(".", 1)[-1]
        plan = next((p for p in self._plans if operation in p.operations and p.remaining > 0), None)
        if plan is None:
            return None
        if plan.let_through > 0:
            plan.let_through -= 1
            return None
        plan.remaining -= 1
        self.injected[operation] += 1
        body: dict[str, Any] = {
            "__type": f"com.amazonaws.dynamodb.v20120810#{plan.code}",
            "message": "Injected by the test",
        }
        if plan.code == "TransactionCanceledException":
            sent = request.body
            assert isinstance(sent, bytes | str)
            count = len(json.loads(sent)["TransactItems"])
            body["CancellationReasons"] = [{"Code": plan.reason, "Message": "injected"}] + [{"Code": "None"}] * (
                count - 1
            )
        # Later before-send handlers still run (moto's in-process back end is one): pointed
        # nowhere, the refused request reaches no table at all, as DynamoDB would have it.
        request.url = "https://refused.invalid/"
        headers = HTTPHeaders.from_dict(
            {"content-type": "application/x-amz-json-1.0", "x-amzn-requestid": uuid.uuid4().hex}
        )
        return AWSResponse(request.url, 400, headers, _Body(json.dumps(body).encode()))


def install_faults(monkeypatch: pytest.MonkeyPatch) -> Iterator[DynamoFaults]:
    from tremplin.data import dynamo

    faults = DynamoFaults()
    # boto3's retry decisions stay as they are; only its back-off waits are skipped.
    monkeypatch.setattr(botocore.retries.standard.ExponentialBackoff, "delay_amount", lambda self, context: 0.0)
    events = dynamo.client().meta.events
    events.register_first("before-send.dynamodb", faults, unique_id="test-faults")  # type: ignore[arg-type]
    try:
        yield faults
    finally:
        events.unregister("before-send.dynamodb", unique_id="test-faults")


@pytest.fixture
def faults(aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Iterator[DynamoFaults]:
    yield from install_faults(monkeypatch)


# ---------------------------------------------------------------- a small world


class World:
    """One organisation with a published shift, one active participant, a caseworker."""

    def __init__(self, api: Api, aws: dict[str, Any]):
        self.api, self.aws = api, aws
        self.at(NOW)
        self.org = create_org(api)
        self.employer = api.employer(self.org)
        self.caseworker = api.token("caseworker", "cw-1")
        self.shift = self.post_job().body["shifts"][0]["shift_id"]
        self.participant = self.enrol("anna@example.ch").body["participant_id"]
        self.me = api.token("participant", "u1", participant_id=self.participant)
        assert api.call("POST", "/me/consent", token=self.me, json_body={"version": "2026-01"}).status == 200

    def at(self, now: str) -> None:
        assert self.api.call("POST", "/_local/clock", json_body={"now": now}).status == 200

    def post_job(self) -> Answer:
        body = job_body(shift_body(*SHIFT, slots=2), publish=True)
        return self.api.call("POST", "/jobs", token=self.employer, json_body=body)

    def enrol(self, email: str) -> Answer:
        return self.api.call("POST", "/participants", token=self.caseworker, json_body=participant_body(email=email))

    def apply(self) -> Answer:
        return self.api.call("POST", f"/shifts/{self.shift}/applications", token=self.me, json_body={"message": "Gern"})

    def act(self, action: str, token: str, body: Any = None) -> Answer:
        app_id = f"app.{self.shift}.{self.participant}"
        return self.api.call("POST", f"/applications/{app_id}/{action}", token=token, json_body=body)

    def items(self) -> list[dict[str, Any]]:
        return sorted(all_items(self.aws["Table"]), key=lambda i: (i["PK"], i["SK"]))

    def figures(self, items: list[dict[str, Any]] | None = None) -> dict[str, int]:
        """What the write paths change: items by type, applications by status, the shift's
        filled slots, the participant's held shifts, the month's enrolment count (the sum of
        its shards: how many shard items exist depends on which shards enrolments landed on)."""
        items = self.items() if items is None else items
        found: Counter[str] = Counter(i["type"] for i in items if i["type"] != "stats")
        found.update(f"status:{i['status']}" for i in items if i["type"] == "application")
        for i in items:
            if i["SK"] == "SHIFT" and i["shift_id"] == self.shift:
                found["filled"] = int(i["filled"])
            if i["type"] == "schedule":
                found["held"] += len(i["held"])
            if i["PK"] == "STATS":
                found["enrolled"] += int(i["count"])
        return {k: v for k, v in found.items() if v}

    def queued(self) -> int:
        sqs = boto3.client("sqs")
        total = 0
        for name in ("NotificationsQueue", "DeliveriesQueue", "WebhooksQueue", "ReportsQueue"):
            attrs = sqs.get_queue_attributes(QueueUrl=self.aws[name], AttributeNames=["All"])["Attributes"]
            total += int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesNotVisible"])
        return total

    def inbox(self, token: str) -> list[str]:
        drain(self.aws)
        return [n["kind"] for n in self.api.call("GET", "/me/notifications", token=token).body["items"]]


@pytest.fixture
def world(api: Api, aws: dict[str, Any]) -> World:
    return World(api, aws)


@dataclass(frozen=True)
class WritePath:
    """A request on a write path, what it needs first, and what it changes exactly once."""

    prepare: Callable[[World], None]
    send: Callable[[World], Answer]
    status: int
    change: dict[str, int]
    told: Callable[[World], tuple[str, str]]  # (inbox token, notification kind) it causes


def _nothing(w: World) -> None:
    pass


def _applied(w: World) -> None:
    assert w.apply().status == 201


def _offered(w: World) -> None:
    _applied(w)
    assert w.act("accept", w.employer).status == 200


def _confirmed_and_worked(w: World) -> None:
    _offered(w)
    assert w.act("confirm", w.me).status == 200
    w.at(AFTER_SHIFT)


HOURS = {"started_at": SHIFT[0], "ended_at": SHIFT[1], "break_minutes": 30}

PATHS = {
    "enrolment": WritePath(
        _nothing,
        lambda w: w.enrol("new@example.ch"),
        201,
        {"participant": 1, "email": 1, "enrolled": 1, "audit": 1},
        lambda w: (w.caseworker, ""),
    ),
    "post job": WritePath(_nothing, World.post_job, 201, {"job": 1, "shift": 1}, lambda w: (w.employer, "")),
    "apply": WritePath(
        _nothing,
        World.apply,
        201,
        {"application": 1, "status:applied": 1},
        lambda w: (w.employer, "application_created"),
    ),
    "accept": WritePath(
        _applied,
        lambda w: w.act("accept", w.employer),
        200,
        {"status:applied": -1, "status:offered": 1, "filled": 1, "held": 1, "schedule": 1},
        lambda w: (w.me, "offer_made"),
    ),
    "confirm": WritePath(
        _offered,
        lambda w: w.act("confirm", w.me),
        200,
        {"status:offered": -1, "status:confirmed": 1},
        lambda w: (w.employer, "offer_confirmed"),
    ),
    "hours": WritePath(
        _confirmed_and_worked,
        lambda w: w.act("hours", w.employer, HOURS),
        200,
        {"status:confirmed": -1, "status:hours_submitted": 1},
        lambda w: (w.me, "hours_submitted"),
    ),
}


def _plus(before: dict[str, int], change: dict[str, int]) -> dict[str, int]:
    after = dict(before)
    for key, delta in change.items():
        after[key] = after.get(key, 0) + delta
    return {k: v for k, v in after.items() if v}


def _settled(w: World) -> None:
    """Everything the preparation queued is delivered, so the request's own effects stand alone."""
    drain(w.aws)
    assert w.queued() == 0


def _assert_clean_503(answer: Answer) -> None:
    assert answer.status == 503, answer.body
    error = answer.body["error"]
    assert error["code"] == "service_unavailable"
    assert error["message"] and error["details"] in ([], [{"outcome": "unknown"}])
    assert "Traceback" not in json.dumps(answer.body) and "botocore" not in json.dumps(answer.body)


# ---------------------------------------------------------------- throttling on the write paths


@pytest.mark.parametrize("name", PATHS)
def test_a_few_throttles_on_every_write_are_retried_and_the_change_happens_once(
    world: World, faults: DynamoFaults, name: str
) -> None:
    path = PATHS[name]
    path.prepare(world)
    _settled(world)
    before = world.figures()
    token, kind = path.told(world)
    told_before = world.inbox(token).count(kind)
    from tremplin.data.dynamo import AWS_TRIES

    # A refusal on every try but boto3's last one.
    faults.throttle(*WRITES, times=AWS_TRIES - 1)
    answer = path.send(world)
    assert answer.status == path.status, answer.body
    assert sum(faults.injected.values()) == AWS_TRIES - 1
    assert world.figures() == _plus(before, path.change)
    if kind:
        assert world.inbox(token).count(kind) == told_before + 1


@pytest.mark.parametrize("code", THROTTLES)
@pytest.mark.parametrize("name", PATHS)
def test_persistent_throttling_is_a_clean_503_and_nothing_is_written_or_queued(
    world: World, faults: DynamoFaults, name: str, code: str
) -> None:
    path = PATHS[name]
    path.prepare(world)
    _settled(world)
    before = world.items()
    faults.throttle(*WRITES, code=code)
    answer = path.send(world)
    _assert_clean_503(answer)
    # The first write was refused on each of boto3's tries, and none was tried after it.
    from tremplin.data.dynamo import AWS_TRIES

    assert sum(faults.injected.values()) == AWS_TRIES
    assert world.items() == before
    assert world.queued() == 0  # nobody is told about a change that did not happen
    # Once DynamoDB has capacity again, the same request succeeds, once.
    faults.clear()
    assert path.send(world).status == path.status
    assert world.figures() == _plus(world.figures(before), path.change)


@pytest.mark.parametrize("name", PATHS)
def test_throttling_that_starts_after_the_first_write_cannot_split_a_change(
    world: World, faults: DynamoFaults, name: str
) -> None:
    """Each write path is one write (a transaction where several items move together): once it
    committed, no later write can fail the request, so the answer tells the truth about what is stored."""
    path = PATHS[name]
    path.prepare(world)
    _settled(world)
    before = world.figures()
    faults.throttle(*WRITES, after=1)
    answer = path.send(world)
    assert answer.status == path.status, answer.body
    assert world.figures() == _plus(before, path.change)


# ---------------------------------------------------------------- transaction conflicts


@pytest.mark.parametrize("name", PATHS)
def test_transaction_conflicts_are_retried_and_the_change_happens_once(
    world: World, faults: DynamoFaults, name: str
) -> None:
    path = PATHS[name]
    path.prepare(world)
    _settled(world)
    before = world.figures()
    faults.conflict(times=2)
    answer = path.send(world)
    assert answer.status == path.status, answer.body
    assert sum(faults.injected.values()) == 2
    assert world.figures() == _plus(before, path.change)


@pytest.mark.parametrize("name", PATHS)
def test_persistent_transaction_conflicts_are_a_clean_503_and_nothing_is_written(
    world: World, faults: DynamoFaults, name: str
) -> None:
    path = PATHS[name]
    path.prepare(world)
    _settled(world)
    before = world.items()
    faults.conflict()
    _assert_clean_503(path.send(world))
    assert sum(faults.injected.values()) == 6  # transact()'s attempts, each refused
    assert world.items() == before
    assert world.queued() == 0


@pytest.mark.parametrize("reason", ["ThrottlingError", "ProvisionedThroughputExceeded"])
def test_a_transaction_cancelled_because_an_item_was_throttled_is_retried_like_a_conflict(
    world: World, faults: DynamoFaults, reason: str
) -> None:
    before = world.figures()
    faults.conflict(times=2, reason=reason)
    assert world.apply().status == 201
    assert world.figures() == _plus(before, PATHS["apply"].change)
    before_items = world.items()
    faults.conflict(reason=reason)
    _assert_clean_503(world.act("accept", world.employer))
    assert world.items() == before_items


# ---------------------------------------------------------------- consumers dying mid-batch


class Killed(BaseException):
    """The function's process dies here (a timeout, out of memory): nothing after this line
    runs, and no `except Exception` (Powertools' batch processor) catches it."""


@pytest.fixture
def lambda_runtime(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process that died is a failed invocation for Lambda, which then leaves the whole batch
    on the queue, to come back after the visibility timeout (at once, locally)."""
    from tests.helpers import shared_host

    host = shared_host()
    invoke = host.invoke

    def run(logical_id: str, event: dict[str, Any]) -> Any:
        try:
            return invoke(logical_id, event)
        except Killed as died:
            raise RuntimeError(f"{logical_id}: the process died ({died})") from died

    monkeypatch.setattr(host, "invoke", run)


CRASHES = {
    # The process dies after the first record's effect: the whole batch comes back.
    "process dies": Killed,
    # The first record fails after its effect: it alone comes back (partial batch failure).
    "record fails": RuntimeError,
}


def crash_after(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, crash: type[BaseException]) -> Counter[str]:
    """The first call of module.name does its work, then `crash` is raised; later calls work.
    Returns how often it was called."""
    real = getattr(module, name)
    calls: Counter[str] = Counter()

    def crashing(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        calls[name] += 1
        if calls[name] == 1:
            raise crash(f"right after {name}")
        return result

    monkeypatch.setattr(module, name, crashing)
    return calls


def count_calls(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> Counter[str]:
    real = getattr(module, name)
    calls: Counter[str] = Counter()

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def _participants(w: World, count: int) -> list[str]:
    """Active participants, each with a token."""
    tokens = []
    for n in range(count):
        pid = w.enrol(f"p{n}@example.ch").body["participant_id"]
        token = w.api.token("participant", f"p{n}", participant_id=pid)
        assert w.api.call("POST", "/me/consent", token=token, json_body={"version": "2026-01"}).status == 200
        tokens.append(token)
    return tokens


def _apply_all(w: World, tokens: list[str]) -> None:
    for token in tokens:
        assert w.api.call("POST", f"/shifts/{w.shift}/applications", token=token).status == 201


@pytest.mark.parametrize("crash", CRASHES)
def test_notifier_crashing_mid_batch_puts_each_notification_in_its_inbox_once(
    world: World, monkeypatch: pytest.MonkeyPatch, lambda_runtime: None, crash: str
) -> None:
    from tremplin.data import notifications as store

    tokens = _participants(world, 3)
    _settled(world)
    _apply_all(world, tokens)  # three notifications for the employer, queued together
    calls = crash_after(monkeypatch, store, "put", CRASHES[crash])
    drain(world.aws)
    assert calls["put"] == 4  # three, and the crashed one again: it was redelivered
    notes = world.api.call("GET", "/me/notifications", token=world.employer).body["items"]
    assert [n["kind"] for n in notes] == ["application_created"] * 3
    assert len({n["notification_id"] for n in notes}) == 3
    stored = [i for i in world.items() if i["type"] == "notification" and i["PK"] == f"INBOX#org#{world.org}"]
    assert len(stored) == 3


def _upsert(ref: str) -> dict[str, Any]:
    return {"type": "job.upsert", "data": {"external_ref": ref, **job_body(shift_body(*SHIFT), publish=True)}}


@pytest.mark.parametrize("crash", CRASHES)
def test_webhook_consumer_crashing_mid_batch_makes_one_job_per_partner_event(
    world: World, monkeypatch: pytest.MonkeyPatch, lambda_runtime: None, crash: str
) -> None:
    from standardwebhooks import Webhook

    from tremplin.data import jobs as store
    from tremplin.partners import inbound as webhooks

    secret = world.api.call("POST", f"/organisations/{world.org}/webhook-secret", token=world.employer).body["secret"]
    _settled(world)
    jobs_before = world.figures()["job"]
    for n in range(3):
        body, msg_id, sent = json.dumps(_upsert(f"HR-{n}")), f"msg_{n}", datetime.now(UTC)
        headers = {
            "webhook-id": msg_id,
            "webhook-timestamp": str(int(sent.timestamp())),
            "webhook-signature": Webhook(secret).sign(msg_id, sent, body),
        }
        status, _, _ = world.api.gateway.handle("POST", f"/webhooks/partners/{world.org}", headers, body.encode())
        assert status == 202
    events = count_calls(monkeypatch, webhooks, "_upsert_job")
    calls = crash_after(monkeypatch, store, "insert", CRASHES[crash])
    drain(world.aws)
    assert events["_upsert_job"] == 4  # three events, and the crashed one again
    assert calls["insert"] == 3  # the redelivered event found its job by external_ref
    jobs = [i for i in world.items() if i["type"] == "job" and i.get("external_ref")]
    assert sorted(j["external_ref"] for j in jobs) == ["HR-0", "HR-1", "HR-2"]
    assert world.figures()["job"] == jobs_before + 3
    assert all(j["status"] == "open" and len(j["shift_ids"]) == 1 for j in jobs)
    assert world.queued() == 0


def _subscribed(w: World, receiver: PartnerReceiver) -> None:
    assert w.api.call("POST", f"/organisations/{w.org}/webhook-secret", token=w.employer).status == 201
    subscription = {"url": receiver.url, "events": ["application.created"]}
    assert w.api.call("PUT", f"/organisations/{w.org}/webhook", token=w.employer, json_body=subscription).status == 200


def _deliveries(w: World) -> list[dict[str, Any]]:
    answer = w.api.call("GET", f"/organisations/{w.org}/webhook-deliveries", token=w.employer)
    assert answer.status == 200
    return list(answer.body["items"])


@pytest.mark.parametrize("crash", CRASHES)
def test_delivery_worker_crashing_mid_batch_delivers_each_event_once(
    world: World, monkeypatch: pytest.MonkeyPatch, lambda_runtime: None, partner_receiver: PartnerReceiver, crash: str
) -> None:
    from tremplin.data import webhooks as store

    _subscribed(world, partner_receiver)
    tokens = _participants(world, 3)
    _settled(world)
    _apply_all(world, tokens)  # three application.created events, queued together
    calls = crash_after(monkeypatch, store, "save_delivery", CRASHES[crash])
    drain(world.aws)
    assert calls["save_delivery"] == 3
    deliveries = _deliveries(world)
    assert len(deliveries) == 3
    assert [(d["status"], len(d["attempts"])) for d in deliveries] == [("delivered", 1)] * 3
    assert sorted(partner_receiver.ids) == sorted(d["delivery_id"] for d in deliveries)  # each event POSTed once


def test_a_delivery_worker_dying_before_its_first_attempt_delivers_the_event_on_redelivery(
    world: World, monkeypatch: pytest.MonkeyPatch, lambda_runtime: None, partner_receiver: PartnerReceiver
) -> None:
    from tremplin.data import webhooks as store

    _subscribed(world, partner_receiver)
    _settled(world)
    assert world.apply().status == 201
    crash_after(monkeypatch, store, "outbound_context", Killed)  # nothing sent, nothing recorded
    drain(world.aws)
    [delivery] = _deliveries(world)
    assert (delivery["status"], len(delivery["attempts"])) == ("delivered", 1)
    assert partner_receiver.ids == [delivery["delivery_id"]]


def test_a_delivery_worker_dying_between_its_post_and_the_record_sends_again_under_the_same_id(
    world: World, monkeypatch: pytest.MonkeyPatch, lambda_runtime: None, partner_receiver: PartnerReceiver
) -> None:
    """At-least-once, as Standard Webhooks has it: the partner may see an event twice, always
    under the same webhook-id, and the delivery log shows one delivery."""
    from tremplin.partners import http

    _subscribed(world, partner_receiver)
    _settled(world)
    assert world.apply().status == 201
    calls = crash_after(monkeypatch, http, "post", Killed)
    drain(world.aws)
    assert calls["post"] == 2
    [delivery] = _deliveries(world)
    assert (delivery["status"], len(delivery["attempts"])) == ("delivered", 1)
    assert partner_receiver.ids == [delivery["delivery_id"]] * 2


# ---------------------------------------------------------------- the report worker killed midway


def _ask_for_report(w: World) -> str:
    answer = w.api.call("POST", "/reports", token=w.api.admin(), json_body={"type": "programme", "period": "2026-11"})
    assert answer.status == 202, answer.body
    return str(answer.body["report_id"])


def _report_files(w: World) -> list[str]:
    listed = boto3.client("s3").list_objects_v2(Bucket=w.aws["ReportsBucket"]).get("Contents", [])
    return sorted(o["Key"] for o in listed)


def _assert_ready_once(w: World, report_id: str) -> dict[str, Any]:
    """Ready, every file downloadable through its link, one report record, no stray file."""
    report = w.api.call("GET", f"/reports/{report_id}", token=w.api.admin()).body
    assert report["status"] == "ready", report
    assert sorted(f["format"] for f in report["files"]) == ["csv", "html", "json"]
    for file in report["files"]:
        downloaded = requests.get(file["url"], timeout=5)  # the short-lived link itself
        assert downloaded.status_code == 200 and downloaded.content
    assert (
        json.loads(next(requests.get(f["url"], timeout=5) for f in report["files"] if f["format"] == "json").text)[
            "report_id"
        ]
        == report_id
    )
    listed = w.api.call("GET", "/reports", token=w.api.admin()).body["items"]
    assert [r["report_id"] for r in listed] == [report_id]
    assert [i["SK"] for i in w.items() if i["type"] == "report"] == ["REPORT"]
    # The report's files are its current attempt's; a killed attempt's leftovers are never linked.
    current = {f["url"].split("?")[0].rsplit("/", 2)[-2] for f in report["files"]}
    assert len(current) == 1
    [attempt] = current
    prefix = f"reports/{report_id}/{attempt}/"
    assert [f for f in _report_files(w) if f.startswith(prefix)] == [
        f"{prefix}all.{ext}" for ext in ("csv", "html", "json")
    ]
    return dict(report)


@pytest.mark.parametrize("dies_after", ["put_file", "finish"])
def test_a_report_worker_killed_midway_is_run_again_and_the_report_is_ready_once(
    world: World, monkeypatch: pytest.MonkeyPatch, lambda_runtime: None, dies_after: str
) -> None:
    """Killed after writing its first file (the report not finished), or after finishing it
    but before the message was deleted: the message comes back and the run is repeated."""
    from tremplin.data import reports as store

    _settled(world)
    files = count_calls(monkeypatch, store, "put_file")
    crash_after(monkeypatch, store, dies_after, Killed)
    report_id = _ask_for_report(world)
    drain(world.aws)
    # Killed after one file: the second run writes all three. Killed after finishing: the repeated
    # message finds its attempt recorded and writes nothing more.
    assert files["put_file"] == (1 + 3 if dies_after == "put_file" else 3)
    _assert_ready_once(world, report_id)
    assert world.queued() == 0


def test_a_report_whose_worker_always_dies_is_generated_when_asked_again(
    world: World, monkeypatch: pytest.MonkeyPatch, lambda_runtime: None
) -> None:
    from tremplin.data import reports as store

    _settled(world)
    real_put = store.put_file

    def dying(key: str, body: str, content_type: str) -> None:
        real_put(key, body, content_type)
        raise Killed("out of memory")

    monkeypatch.setattr(store, "put_file", dying)
    report_id = _ask_for_report(world)
    drain(world.aws)  # five receives, then the message is parked in the dead-letter queue
    dlq = boto3.client("sqs").get_queue_attributes(QueueUrl=world.aws["ReportsDLQ"], AttributeNames=["All"])
    assert dlq["Attributes"]["ApproximateNumberOfMessages"] == "1"
    stuck = world.api.call("GET", f"/reports/{report_id}", token=world.api.admin()).body
    assert stuck["status"] == "pending" and stuck["files"] == []  # never claims files it has not got
    monkeypatch.setattr(store, "put_file", real_put)
    assert _ask_for_report(world) == report_id  # asking again: the same report, a new attempt
    drain(world.aws)
    ready = _assert_ready_once(world, report_id)
    # The parked message, if an operator redrives it, is an older attempt: it changes nothing.
    sqs = boto3.client("sqs")
    [parked] = sqs.receive_message(QueueUrl=world.aws["ReportsDLQ"])["Messages"]
    sqs.send_message(QueueUrl=world.aws["ReportsQueue"], MessageBody=parked["Body"])
    sqs.delete_message(QueueUrl=world.aws["ReportsDLQ"], ReceiptHandle=parked["ReceiptHandle"])
    world.at("2026-11-25T10:00:00+01:00")
    drain(world.aws)
    assert _assert_ready_once(world, report_id)["generated_at"] == ready["generated_at"]
