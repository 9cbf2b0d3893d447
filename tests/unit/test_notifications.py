"""The notification mechanism: queued, delivered once per message, parked when poisoned."""

from __future__ import annotations

import json
from typing import Any

import boto3

from local import template
from tests.helpers import Api, all_items, drain, shared_host


def _queue_urls(aws: dict[str, Any]) -> tuple[str, str]:
    queue = next(q for q in template.queue_definitions() if q.logical_id == "NotificationsQueue")
    assert queue.dead_letter_queue
    return aws[queue.logical_id], aws[queue.dead_letter_queue]


def _note(recipient: str, kind: str = "enrolled", nid: str = "ntf_1") -> dict[str, Any]:
    return {
        "notification_id": nid,
        "recipient": recipient,
        "kind": kind,
        "message": "You have been enrolled.",
        "data": {},
        "created_at": "2026-11-25T09:00:00+00:00",
    }


def test_a_message_delivered_three_times_lands_once(api: Api, aws: dict[str, Any], table_name: str) -> None:
    url, _ = _queue_urls(aws)
    sqs = boto3.client("sqs")
    for _ in range(3):
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps(_note("participant#par_1")))
    assert drain(aws)["drained"] is True
    inbox = api.call("GET", "/me/notifications", token=api.token("participant", participant_id="par_1")).body["items"]
    assert [n["notification_id"] for n in inbox] == ["ntf_1"]
    assert len([i for i in all_items(table_name) if i["type"] == "notification"]) == 1


def test_a_poison_message_is_parked_while_the_rest_of_its_batch_is_delivered(api: Api, aws: dict[str, Any]) -> None:
    url, dlq = _queue_urls(aws)
    sqs = boto3.client("sqs")
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps(_note("org#org_1", nid="ntf_a")))
    sqs.send_message(QueueUrl=url, MessageBody="{not json")
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps(_note("org#org_1", nid="ntf_b")))
    assert drain(aws)["drained"] is True
    inbox = api.call("GET", "/me/notifications", token=api.employer("org_1")).body["items"]
    assert sorted(n["notification_id"] for n in inbox) == ["ntf_a", "ntf_b"]
    parked = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10).get("Messages", [])
    assert [m["Body"] for m in parked] == ["{not json"]


def test_each_role_reads_only_its_own_inbox(api: Api, aws: dict[str, Any]) -> None:
    url, _ = _queue_urls(aws)
    sqs = boto3.client("sqs")
    for i, recipient in enumerate(["participant#par_1", "org#org_1", "caseworker#cw-1", "admin"]):
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps(_note(recipient, nid=f"ntf_{i}")))
    drain(aws)
    seen = {
        "participant": api.token("participant", participant_id="par_1"),
        "employer": api.employer("org_1"),
        "caseworker": api.token("caseworker", "cw-1"),
        "admin": api.admin(),
        "other participant": api.token("participant", participant_id="par_2"),
        "other employer": api.employer("org_2"),
    }
    got = {
        who: [n["notification_id"] for n in api.call("GET", "/me/notifications", token=t).body["items"]]
        for who, t in seen.items()
    }
    assert got == {
        "participant": ["ntf_0"],
        "employer": ["ntf_1"],
        "caseworker": ["ntf_2"],
        "admin": ["ntf_3"],
        "other participant": [],
        "other employer": [],
    }


def test_the_notifier_reports_partial_batch_failures(aws: dict[str, Any]) -> None:
    event = {
        "Records": [
            {
                "messageId": "m1",
                "body": json.dumps(_note("admin")),
                "receiptHandle": "r1",
                "eventSource": "aws:sqs",
                "attributes": {},
                "messageAttributes": {},
            },
            {
                "messageId": "m2",
                "body": "[]",
                "receiptHandle": "r2",
                "eventSource": "aws:sqs",
                "attributes": {},
                "messageAttributes": {},
            },
        ]
    }
    result = shared_host().invoke("NotifierFunction", event)
    assert result == {"batchItemFailures": [{"itemIdentifier": "m2"}]}


def test_enrolment_creates_a_cognito_sign_in_in_aws(api: Api, aws: dict[str, Any], monkeypatch: Any) -> None:
    from tremplin.data import reset

    cognito = boto3.client("cognito-idp")
    pool = cognito.create_user_pool(PoolName="tremplin-test")["UserPool"]["Id"]
    cognito.create_group(UserPoolId=pool, GroupName="participant")
    monkeypatch.setenv("USER_POOL_ID", pool)
    reset()
    body = {
        "first_name": "Lea",
        "last_name": "Roth",
        "email": "lea@example.ch",
        "preferred_language": "fr",
        "postcode": "2502",
        "case_reference": "SD-1",
    }
    p = api.call("POST", "/participants", token=api.token("caseworker", "cw-1"), json_body=body).body
    drain(aws)  # the invitation follows from the committed profile
    user = cognito.admin_get_user(UserPoolId=pool, Username="lea@example.ch")
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["custom:participant_id"] == p["participant_id"]
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool, Username="lea@example.ch")["Groups"]
    assert [g["GroupName"] for g in groups] == ["participant"]
    api.call("POST", f"/participants/{p['participant_id']}/erase", token=api.admin())
    drain(aws)
    users = cognito.list_users(UserPoolId=pool)["Users"]
    assert users == []


def test_a_note_reads_job_and_organisation_eventually_and_the_profile_consistently(
    api: Api, aws: dict[str, Any]
) -> None:
    """What names the job and the organisation may be a second old (half the read units); whom
    the note goes to, and how, is read as it is now."""
    from tests.aws_calls import AwsCalls
    from tests.helpers import create_org, job_body, participant_body
    from tremplin.data import notifications as store

    api.call("POST", "/_local/clock", json_body={"now": "2026-11-25T09:00:00+01:00"})
    org = create_org(api)
    job = api.call("POST", "/jobs", token=api.employer(org), json_body=job_body(publish=True)).body["job_id"]
    caseworker = api.token("caseworker", "cw-1")
    participant = api.call("POST", "/participants", token=caseworker, json_body=participant_body()).body
    with AwsCalls() as calls:
        context = store.context(job_id=job, org_id=org, participant_id=participant["participant_id"])
    assert (context.job or {}).get("title") == "Help in the city gardens"
    assert (context.organisation or {}).get("org_id") == org
    assert (context.participant or {}).get("caseworker_id") == "cw-1"
    reads = [
        (read["ConsistentRead"], sorted(k["SK"] for k in read["Keys"]))
        for c in calls.log
        for read in c.params["RequestItems"].values()
    ]
    assert reads == [(False, ["JOB", "ORG"]), (True, ["PROFILE"])]
