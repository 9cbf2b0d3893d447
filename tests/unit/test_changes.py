"""What follows a commit comes from the table's stream: a failure after the commit loses
nothing, a repeat changes nothing, a cascade cut short finishes (ARCHITECTURE.md)."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from tests.helpers import Api, PartnerReceiver, drain, queued_notes, stream_poller
from tests.unit.test_faults import AFTER_SHIFT, HOURS, World


@pytest.fixture
def world(api: Api, aws: dict[str, Any]) -> World:
    return World(api, aws)


class Flaky:
    """Fails the first `times` calls of a function, then lets them through (a service that
    recovers); counts every call."""

    def __init__(self, times: int, error: type[Exception] = RuntimeError):
        self.times, self.error, self.calls = times, error, 0

    def wrap(self, real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            if self.calls <= self.times:
                raise self.error("injected outage")
            return real(*args, **kwargs)

        return call


def _items_of_type(w: World, kind: str) -> list[dict[str, Any]]:
    return [i for i in w.items() if i["type"] == kind]


def _inbox(w: World, token: str) -> list[dict[str, Any]]:
    drain(w.aws)
    return list(w.api.call("GET", "/me/notifications", token=token).body["items"])


def test_sqs_failing_right_after_the_commit_loses_no_notification(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The request answers at its commit; the note arrives once SQS is back."""
    from tremplin.data import queues

    drain(world.aws)
    outage = Flaky(times=3)
    sqs = queues._sqs()
    monkeypatch.setattr(sqs, "send_message_batch", outage.wrap(sqs.send_message_batch))
    answer = world.apply()
    assert answer.status == 201  # not 500: nothing after the commit can fail the request
    assert world.apply().error_code == "already_applied"  # and a retry learns the truth
    notes = _inbox(world, world.employer)
    assert [n["kind"] for n in notes] == ["application_created"]
    # Each try of the change's record sends its note and its partner event (one request per
    # queue): the first try lost both, the second the note, the third sent both.
    assert outage.calls == 6


def test_a_stream_record_handled_twice_tells_everyone_once(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A consumer dying after its effects (before the checkpoint) gets the record again."""
    from tremplin import changes

    drain(world.aws)
    assert world.apply().status == 201
    real = changes.carry_out
    seen: list[str] = []

    def carry_out_then_die(effects: Any, *args: Any) -> Any:
        done = real(effects, *args)
        if effects.id not in seen:
            seen.append(effects.id)
            raise RuntimeError("killed after the effects")
        return done

    monkeypatch.setattr(changes, "carry_out", carry_out_then_die)
    notes = _inbox(world, world.employer)
    assert [n["kind"] for n in notes] == ["application_created"]
    stored = [n for n in _items_of_type(world, "notification") if n["kind"] == "application_created"]
    assert len(stored) == 1


def test_a_shift_cancellation_cut_short_half_way_finishes(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from tremplin.logic import applications

    drain(world.aws)
    second = world.api.call("POST", "/participants", token=world.caseworker, json_body=_body("b@example.ch"))
    other = second.body["participant_id"]
    other_token = world.api.token("participant", "u2", participant_id=other)
    assert world.api.call("POST", "/me/consent", token=other_token, json_body={"version": "2026-01"}).status == 200
    assert world.apply().status == 201
    assert world.act("accept", world.employer).status == 200
    assert world.act("confirm", world.me).status == 200
    url = f"/shifts/{world.shift}/applications"
    assert world.api.call("POST", url, token=other_token, json_body={}).status == 201
    drain(world.aws)

    calls = {"n": 0}

    def killed_at_the_second(real: Any) -> Any:
        def move(*args: Any, **kwargs: Any) -> Any:
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("killed half way")
            return real(*args, **kwargs)

        return move

    monkeypatch.setattr(applications, "_move", killed_at_the_second(applications._move))
    answer = world.api.call("POST", f"/shifts/{world.shift}/cancel", token=world.employer, json_body={})
    assert answer.status == 200
    drain(world.aws)
    statuses = sorted(a["status"] for a in _items_of_type(world, "application"))
    assert statuses == ["cancelled", "cancelled"]  # the cut-short cascade was run again and finished
    assert calls["n"] >= 3  # one cancelled, one killed, then the rest on the retry
    [shift] = [i for i in world.items() if i.get("SK") == "SHIFT"]
    assert int(shift["filled"]) == 0
    assert [n["kind"] for n in _inbox(world, world.me)].count("shift_cancelled") == 1
    assert [n["kind"] for n in _inbox(world, other_token)].count("shift_cancelled") == 1


def _body(email: str) -> dict[str, Any]:
    from tests.helpers import participant_body

    return participant_body(email=email)


def test_a_cancelled_job_cancels_every_application_on_its_shifts(world: World) -> None:
    drain(world.aws)
    assert world.apply().status == 201
    assert world.act("accept", world.employer).status == 200
    job_id = next(i for i in world.items() if i.get("SK") == "SHIFT")["job_id"]
    answer = world.api.call("POST", f"/jobs/{job_id}/cancel", token=world.employer, json_body={"reason": "Regen"})
    assert answer.status == 200
    drain(world.aws)
    [app] = _items_of_type(world, "application")
    assert (app["status"], app["cancel_reason"]) == ("cancelled", "shift cancelled")
    assert "shift_cancelled" in [n["kind"] for n in _inbox(world, world.me)]


def test_the_invitation_is_sent_after_cognito_recovers(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from tremplin.data import identity_provider, reset

    drain(world.aws)  # the world's own enrolment, before a user pool exists
    pool = boto3.client("cognito-idp").create_user_pool(PoolName="tremplin")["UserPool"]["Id"]
    boto3.client("cognito-idp").create_group(UserPoolId=pool, GroupName="participant")
    monkeypatch.setenv("USER_POOL_ID", pool)
    reset()
    outage = Flaky(times=2)
    monkeypatch.setattr(identity_provider, "invite_participant", outage.wrap(identity_provider.invite_participant))
    answer = world.enrol("new.person@example.ch")
    assert answer.status == 201
    drain(world.aws)
    user = boto3.client("cognito-idp").admin_get_user(UserPoolId=pool, Username="new.person@example.ch")
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["custom:participant_id"] == answer.body["participant_id"]
    assert outage.calls == 3


def test_an_email_whose_send_failed_is_sent_once_on_retry(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from tremplin.data import notifications, reset

    drain(world.aws)
    monkeypatch.setenv("EMAIL_SENDER", "tremplin@bern.ch")
    reset()
    sent: list[tuple[str, str, str]] = []
    outage = Flaky(times=1)
    monkeypatch.setattr(notifications, "send_email", outage.wrap(lambda *a: sent.append(a)))
    assert world.apply().status == 201
    assert world.act("accept", world.employer).status == 200
    [queued] = [n for n in queued_notes(world.aws) if n["kind"] == "offer_made"]
    drain(world.aws)
    assert [(to, subject) for to, subject, _ in sent] == [("anna@example.ch", sent[0][1])]
    assert "Help in the city gardens" in sent[0][2]
    [note] = [n for n in _items_of_type(world, "notification") if n["kind"] == "offer_made"]
    assert note.get("emailed_at")
    # Delivered again (a redelivered queue message): the inbox and the e-mail stay as they are.
    from tremplin.logic import notifications as logic

    assert logic.deliver(queued) == "stored"
    assert len(sent) == 1


def test_erasure_racing_a_notification_leaves_nothing_of_the_participant(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    drain(world.aws)
    assert world.apply().status == 201
    assert world.act("accept", world.employer).status == 200
    from tremplin.data import notifications as store

    poller = stream_poller(world.aws)
    poller.drain()  # the offer's note is queued, not yet delivered: in flight
    # The notifier read the profile just before the erasure committed: only the inbox write's
    # own condition can keep the note out.
    stale = store.context(job_id=None, org_id=None, participant_id=world.participant)
    monkeypatch.setattr(store, "context", lambda **_: stale)
    answer = world.api.call("POST", f"/participants/{world.participant}/erase", token=world.api.admin())
    assert answer.status == 200, answer.body
    drain(world.aws)
    notes = [i for i in world.items() if i["type"] == "notification"]
    assert [n for n in notes if n["PK"] == f"INBOX#participant#{world.participant}"] == []  # not recreated
    assert [n for n in notes if {"Anna", "Meier", "anna@example.ch"} & set(str(n).replace("'", " ").split())] == []
    [app] = _items_of_type(world, "application")
    assert (app["status"], app["cancelled_by"]) == ("cancelled", "programme")  # the offer was released
    [shift] = [i for i in world.items() if i.get("SK") == "SHIFT"]
    assert int(shift["filled"]) == 0
    assert "application_cancelled" in [n["kind"] for n in _inbox(world, world.employer)]


def test_an_erasure_cut_short_after_its_commit_is_finished_by_the_stream(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The erasure's request ends at its commit (profile, e-mail claim, audit entry); scrubbing
    the rest fails once after it, and the stream's retry finishes the job."""
    from tremplin.data import applications as app_store

    assert world.apply().status == 201
    drain(world.aws)
    outage = Flaky(times=1)
    monkeypatch.setattr(app_store, "scrub_free_text", outage.wrap(app_store.scrub_free_text))
    answer = world.api.call("POST", f"/participants/{world.participant}/erase", token=world.api.admin())
    assert answer.status == 200, answer.body  # not 500: nothing after the commit fails the request
    profile = next(i for i in world.items() if i["PK"] == f"PART#{world.participant}" and i["SK"] == "PROFILE")
    assert (profile["status"], profile["first_name"]) == ("erased", "Erased")
    audit = [i for i in world.items() if i["type"] == "audit" and i["action"] == "erase"]
    assert [a["participant_id"] for a in audit] == [world.participant]  # in the same transaction
    [app] = _items_of_type(world, "application")
    assert app["message"] == "Gern"  # not yet: that follows from the change
    drain(world.aws)
    [app] = _items_of_type(world, "application")
    assert outage.calls == 2 and "message" not in app  # failed once, then done by the retry
    assert (app["status"], app["cancelled_by"]) == ("cancelled", "programme")  # released in the same run


def test_erasing_again_runs_what_follows_again_even_in_the_same_second(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What followed the first erasure was lost (its record given up, say): erasing again, with
    the clock where it was, sets it off once more, and it finishes the job."""
    from tremplin.logic import participants

    assert world.apply().status == 201
    drain(world.aws)
    real = participants.finish_erasure
    monkeypatch.setattr(participants, "finish_erasure", lambda participant_id: None)
    url = f"/participants/{world.participant}/erase"
    assert world.api.call("POST", url, token=world.api.admin()).status == 200
    drain(world.aws)
    [app] = _items_of_type(world, "application")
    assert app["message"] == "Gern"  # left by the lost run
    monkeypatch.setattr(participants, "finish_erasure", real)
    assert world.api.call("POST", url, token=world.api.admin()).status == 200
    drain(world.aws)
    [app] = _items_of_type(world, "application")
    assert "message" not in app


def test_a_reminder_goes_out_once_even_if_two_sweeps_see_it_due(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from tremplin.data import applications as store
    from tremplin.logic import applications

    assert world.apply().status == 201
    assert world.act("accept", world.employer).status == 200
    assert world.act("confirm", world.me).status == 200
    world.at("2026-11-30T10:00:00+01:00")
    due = list(store.due("reminder", "2026-11-30T09:00:00+00:00"))
    assert len(due) == 1
    monkeypatch.setattr(store, "due", lambda kind, until: due)  # a second sweep reads a lagging index
    assert applications.send_reminders() == 1
    assert applications.send_reminders() == 0
    assert [n["kind"] for n in _inbox(world, world.me)].count("shift_reminder") == 1


def test_hours_approved_reach_the_partner_once_and_the_employer_once(
    world: World, partner_receiver: PartnerReceiver
) -> None:
    assert world.api.call("POST", f"/organisations/{world.org}/webhook-secret", token=world.employer).status == 201
    subscription = {"url": partner_receiver.url, "events": ["hours.approved", "application.confirmed"]}
    url = f"/organisations/{world.org}/webhook"
    assert world.api.call("PUT", url, token=world.employer, json_body=subscription).status == 200
    drain(world.aws)
    assert world.apply().status == 201
    assert world.act("accept", world.employer).status == 200
    assert world.act("confirm", world.me).status == 200
    world.at(AFTER_SHIFT)
    assert world.act("hours", world.employer, HOURS).status == 200
    assert world.act("hours/approve", world.me).status == 200
    kinds = [n["kind"] for n in _inbox(world, world.employer)]
    assert kinds.count("hours_approved") == 1 and kinds.count("offer_confirmed") == 1
    received = [d.json() for d in partner_receiver.deliveries]
    assert [r["type"] for r in received] == ["application.confirmed", "hours.approved"]  # in order, once each
    assert received[1]["data"]["pay"]["gross"]
    assert len(set(partner_receiver.ids)) == 2


def test_a_record_whose_message_sqs_refused_is_retried_and_the_one_before_it_is_not(
    aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch's messages go out together at its end, ten a request; SQS refusing one of them
    fails its record (and those after it), not the records whose messages went out."""
    from tests.helpers import sample_event, shared_host
    from tremplin.data import queues

    event = sample_event("changes/event-stream-application-created.json")
    event["Records"] += sample_event("changes/event-stream-offer-made.json")["Records"]
    event["Records"][1]["dynamodb"]["SequenceNumber"] = "40000000000000000000001"
    sqs, requests = queues._sqs(), list[list[str]]()

    def refusing_offers(QueueUrl: str, Entries: list[Any]) -> Any:
        if "NotificationsQueue" not in QueueUrl:  # the application's partner event
            return sqs_send(QueueUrl=QueueUrl, Entries=Entries)
        requests.append([json.loads(e["MessageBody"])["kind"] for e in Entries])
        offers = [e for e in Entries if json.loads(e["MessageBody"])["kind"] == "offer_made"]
        sent = sqs_send(QueueUrl=QueueUrl, Entries=[e for e in Entries if e not in offers])
        return {"Successful": sent["Successful"], "Failed": [{"Id": e["Id"], "Code": "Throttled"} for e in offers]}

    sqs_send = sqs.send_message_batch
    monkeypatch.setattr(sqs, "send_message_batch", refusing_offers)
    answer = shared_host().invoke("ChangesFunction", event)
    assert requests == [["application_created", "offer_made"]]  # both records' notes: one request
    assert answer == {"batchItemFailures": [{"itemIdentifier": "40000000000000000000001"}]}
    queued = boto3.client("sqs").receive_message(QueueUrl=aws["NotificationsQueue"], MaxNumberOfMessages=10)
    assert [json.loads(m["Body"])["kind"] for m in queued["Messages"]] == ["application_created"]


def test_a_failed_record_holds_back_the_ones_after_it_so_effects_keep_their_order(
    aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers import sample_event, shared_host
    from tremplin import changes

    event = sample_event("changes/event-stream-application-created.json")
    event["Records"] += sample_event("changes/event-stream-offer-made.json")["Records"]
    event["Records"][1]["dynamodb"]["SequenceNumber"] = "40000000000000000000001"
    followed: list[str] = []

    def carry_out(effects: Any, *args: Any) -> dict[str, int]:
        followed.append(effects.notes[0].kind)
        raise RuntimeError("SQS is down")

    monkeypatch.setattr(changes, "carry_out", carry_out)
    from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

    with pytest.raises(BatchProcessingError):  # every record failed: the whole batch comes back
        shared_host().invoke("ChangesFunction", event)
    assert followed == ["application_created"]  # the offer's note was not sent ahead of it


def test_an_invitation_retried_after_the_participant_was_erased_is_not_sent(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tremplin.data import identity_provider, reset

    drain(world.aws)
    cognito = boto3.client("cognito-idp")
    pool = cognito.create_user_pool(PoolName="tremplin")["UserPool"]["Id"]
    cognito.create_group(UserPoolId=pool, GroupName="participant")
    monkeypatch.setenv("USER_POOL_ID", pool)
    reset()
    calls: list[str] = []

    def down_while_erased(email: str, participant_id: str) -> None:
        calls.append(email)
        if len(calls) == 1:  # Cognito is down, and the participant is erased meanwhile
            erased = world.api.call("POST", f"/participants/{participant_id}/erase", token=world.api.admin())
            assert erased.status == 200
            raise RuntimeError("Cognito unavailable")
        raise AssertionError("an erased participant was invited")

    monkeypatch.setattr(identity_provider, "invite_participant", down_while_erased)
    assert world.enrol("gone@example.ch").status == 201
    drain(world.aws)
    assert calls == ["gone@example.ch"]  # the retry after recovery looked at the profile and sent nothing
    assert cognito.list_users(UserPoolId=pool)["Users"] == []


def test_a_note_for_the_caseworker_goes_to_the_one_the_participant_has_now(world: World) -> None:
    assert world.apply().status == 201
    assert world.act("accept", world.employer).status == 200
    assert world.act("confirm", world.me).status == 200
    moved = {"caseworker_id": "cw-2"}
    url = f"/participants/{world.participant}"
    assert world.api.call("PATCH", url, token=world.api.admin(), json_body=moved).status == 200
    world.at(AFTER_SHIFT)
    assert world.act("no-show", world.employer).status == 200
    assert "no_show" not in [n["kind"] for n in _inbox(world, world.caseworker)]
    assert "no_show" in [n["kind"] for n in _inbox(world, world.api.token("caseworker", "cw-2"))]


def test_a_participant_typing_shift_cancelled_as_reason_is_still_a_participants_cancellation(world: World) -> None:
    assert world.apply().status == 201
    assert world.act("accept", world.employer).status == 200
    assert world.act("confirm", world.me).status == 200
    assert world.act("cancel", world.me, {"reason": "shift cancelled"}).status == 200
    assert "application_cancelled" in [n["kind"] for n in _inbox(world, world.employer)]
    assert "shift_cancelled" not in [n["kind"] for n in _inbox(world, world.me)]
