"""Organisations' webhook secrets at rest: only their KMS ciphertexts are stored, each bound to its
organisation (encryption context), opened once per container and batch; items written in plain
text before keep working until the migration (tools/encrypt_webhook_secrets.py) replaces them."""

from __future__ import annotations

import base64
import json
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from botocore.exceptions import ClientError

from tests.aws_calls import AwsCalls
from tests.helpers import Api, PartnerReceiver, all_items, create_org, send_partner_event, shared_host

NOW = "2026-11-25T09:00:00+01:00"


def _raw_secret_item(aws: dict[str, Any], org_id: str) -> dict[str, Any]:
    """The item as DynamoDB holds it (wire format: {"B": bytes}, {"S": "..."})."""
    answer = boto3.client("dynamodb").get_item(
        TableName=aws["Table"], Key={"PK": {"S": f"ORG#{org_id}"}, "SK": {"S": "SECRET"}}
    )
    item: dict[str, Any] = answer["Item"]
    return item


def _put_raw(aws: dict[str, Any], org_id: str, **attributes: Any) -> None:
    """A secret item written by hand (e.g. the plain-text format from before the encryption)."""
    boto3.resource("dynamodb").Table(aws["Table"]).put_item(
        Item={"PK": f"ORG#{org_id}", "SK": "SECRET", "type": "webhook_secret", "org_id": org_id} | attributes
    )


def _all_bytes(item: dict[str, Any]) -> bytes:
    """Everything the stored item holds, its binary attributes as they are."""
    return b"".join(bytes(v["B"]) if "B" in v else json.dumps(v).encode() for v in item.values())


def _rotate(api: Api, org_id: str) -> dict[str, Any]:
    answer = api.call("POST", f"/organisations/{org_id}/webhook-secret", token=api.admin())
    assert answer.status == 201, answer.body
    body: dict[str, Any] = answer.body
    return body


def _send(api: Api, org_id: str, secret: str, msg_id: str) -> int:
    """A partner's signed job.cancel (verification comes before anything is read or queued)."""
    body = json.dumps({"type": "job.cancel", "data": {"external_ref": "HR-1"}})
    return send_partner_event(api, org_id, secret, body, msg_id)[0]


def _deliver(org_id: str, *event_ids: str) -> dict[str, Any]:
    """One SQS batch of outbound events of `org_id` through the delivery worker's handler."""
    records = [
        {
            "messageId": event_id,
            "receiptHandle": event_id,
            "body": json.dumps(
                {"event_id": event_id, "org_id": org_id, "type": "application.created", "created_at": NOW, "data": {}}
            ),
            "attributes": {"ApproximateReceiveCount": "1"},
            "messageAttributes": {},
            "eventSource": "aws:sqs",
            "eventSourceARN": "arn:aws:sqs:eu-central-2:123456789012:tremplin-test-DeliveriesQueue",
            "awsRegion": "eu-central-2",
        }
        for event_id in event_ids
    ]
    answer: dict[str, Any] = shared_host().invoke("DeliveryWorkerFunction", {"Records": records})
    return answer


def _subscribe(api: Api, org_id: str, url: str) -> None:
    answer = api.call(
        "PUT",
        f"/organisations/{org_id}/webhook",
        token=api.admin(),
        json_body={"url": url, "events": ["application.created"]},
    )
    assert answer.status == 200, answer.body


def _kms(calls: AwsCalls) -> dict[str, int]:
    return {k: v for k, v in calls.others().items() if k.startswith("kms.")}


@pytest.fixture
def org(api: Api) -> str:
    api.call("POST", "/_local/clock", json_body={"now": NOW})
    return create_org(api)


def test_the_table_holds_only_ciphertexts_bound_to_the_organisation(api: Api, aws: dict[str, Any], org: str) -> None:
    from tremplin.data import secret_box

    first = _rotate(api, org)["secret"]
    second = _rotate(api, org)["secret"]
    item = _raw_secret_item(aws, org)
    assert set(item) == {
        "PK",
        "SK",
        "type",
        "org_id",
        "created_at",
        "current_ciphertext",
        "previous_ciphertext",
        "previous_until",
        "write_id",  # tremplin.data.dynamo's own
    }
    stored = _all_bytes(item)
    for secret in (first, second):
        for form in (secret, secret.removeprefix("whsec_")):
            assert form.encode() not in stored
            assert base64.b64encode(form.encode()) not in stored
        assert base64.b64decode(secret.removeprefix("whsec_")) not in stored  # the key's own bytes
    # They open for this organisation, with the encryption context, and for no other.
    current, previous = bytes(item["current_ciphertext"]["B"]), bytes(item["previous_ciphertext"]["B"])
    kms = boto3.client("kms")
    assert kms.decrypt(CiphertextBlob=current, EncryptionContext=secret_box.context(org))["Plaintext"] == (
        second.encode()
    )
    assert kms.decrypt(CiphertextBlob=previous, EncryptionContext=secret_box.context(org))["Plaintext"] == (
        first.encode()
    )
    for wrong in ({"purpose": "webhook-secret", "org_id": "org_other"}, {"org_id": org}, {}):
        with pytest.raises(ClientError, match="InvalidCiphertext"):
            kms.decrypt(CiphertextBlob=current, EncryptionContext=wrong)


def test_rotation_encrypts_the_new_secret_and_keeps_the_old_ciphertext_without_decrypting(
    api: Api, aws: dict[str, Any], org: str
) -> None:
    old = _rotate(api, org)["secret"]
    before = _raw_secret_item(aws, org)["current_ciphertext"]
    with AwsCalls() as calls:
        rotated = _rotate(api, org)
    assert _kms(calls) == {"kms.Encrypt": 1}  # the organisations function may not decrypt
    assert _raw_secret_item(aws, org)["previous_ciphertext"] == before
    assert rotated["previous_valid_until"] == "2026-11-26T08:00:00+00:00"
    assert _send(api, org, old, "old-1") == 202
    assert _send(api, org, rotated["secret"], "new-1") == 202
    api.call("POST", "/_local/clock", json_body={"now": "2026-11-26T09:00:01+01:00"})
    assert _send(api, org, old, "old-2") == 401
    assert _send(api, org, rotated["secret"], "new-2") == 202


def test_a_ciphertext_copied_to_another_organisation_is_refused_not_used_and_not_a_crash(
    api: Api, aws: dict[str, Any], org: str, partner_receiver: PartnerReceiver, capsys: pytest.CaptureFixture[str]
) -> None:
    from tremplin.data import secret_box

    theirs = _rotate(api, org)["secret"]
    _subscribe(api, org, partner_receiver.url)
    assert _send(api, org, theirs, "warm-1") == 202  # opened for `org`: now in the cache as well
    assert _deliver(org, "evt_warm") == {"batchItemFailures": []}
    other = create_org(api, name="Other AG")
    _rotate(api, other)
    _subscribe(api, other, partner_receiver.url)
    stolen = _raw_secret_item(aws, org)["current_ciphertext"]["B"]
    _put_raw(aws, other, current_ciphertext=stolen, created_at=NOW)

    assert _send(api, other, theirs, "copied-1") == 401  # a signature with `org`'s secret
    with pytest.raises(secret_box.UnusableSecret):
        secret_box.open_sealed(other, stolen)
    assert _deliver(other, "evt_1") == {"batchItemFailures": []}  # handled: an attempt recorded
    [delivery] = [i for i in all_items(aws["Table"]) if i.get("type") == "delivery" and i["org_id"] == other]
    assert delivery["status"] == "pending"
    assert [a["error"] for a in delivery["attempts"]] == ["the webhook secret does not decrypt for this organisation"]
    assert [d.webhook_id for d in partner_receiver.deliveries] == ["evt_warm"]  # nothing sent for `other`
    logged = capsys.readouterr()
    for text in (logged.out, logged.err):
        assert theirs.removeprefix("whsec_") not in text
        assert base64.b64encode(bytes(stolen)).decode()[:24] not in text


def test_a_batch_of_deliveries_opens_each_organisations_secret_once(
    api: Api, org: str, partner_receiver: PartnerReceiver
) -> None:
    other = create_org(api, name="Other AG")
    secrets = {o: _rotate(api, o)["secret"] for o in (org, other)}
    for o in (org, other):
        _subscribe(api, o, partner_receiver.url)
    with AwsCalls() as calls:
        assert _deliver(org, *(f"evt_a{n}" for n in range(5))) == {"batchItemFailures": []}
        assert _deliver(other, *(f"evt_b{n}" for n in range(5))) == {"batchItemFailures": []}
    assert _kms(calls) == {"kms.Decrypt": 2}
    assert len(partner_receiver.deliveries) == 10
    for delivery in partner_receiver.deliveries:
        delivery.verify(secrets[org if delivery.webhook_id.startswith("evt_a") else other])
    with AwsCalls() as calls:  # the next events within the cache's minutes: none
        assert _send(api, org, secrets[org], "in-1") == 202
        assert _deliver(org, "evt_a9") == {"batchItemFailures": []}
    assert _kms(calls) == {}


def test_kms_out_of_reach_is_a_503_to_the_partner_and_a_retried_message(
    api: Api, org: str, partner_receiver: PartnerReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tremplin.data import reset, secret_box

    secret = _rotate(api, org)["secret"]
    _subscribe(api, org, partner_receiver.url)
    reset()  # nothing opened yet

    class Down:
        def decrypt(self, **_: Any) -> Any:
            raise ClientError({"Error": {"Code": "KMSInternalException", "Message": "x"}}, "Decrypt")

    monkeypatch.setattr(secret_box, "_kms", Down)
    assert _send(api, org, secret, "down-1") == 503  # the partner delivers it again later
    with pytest.raises(BatchProcessingError):  # the message is handed back, and SQS retries it
        _deliver(org, "evt_down")
    assert partner_receiver.deliveries == []


def test_the_retry_sweep_decrypts_without_the_keys_arn_in_its_environment(
    aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The schedules function is not given WEBHOOK_SECRETS_KEY_ARN (template.yaml): KMS finds
    the key in the ciphertext, and IAM lets that function decrypt with this key only."""
    from tremplin.data import reset, secret_box

    sealed = secret_box.seal("org_1", "whsec_c2VjcmV0")
    monkeypatch.delenv("WEBHOOK_SECRETS_KEY_ARN")
    reset()
    assert secret_box.open_sealed("org_1", sealed) == "whsec_c2VjcmV0"
    with pytest.raises(RuntimeError, match="WEBHOOK_SECRETS_KEY_ARN"):
        secret_box.seal("org_1", "whsec_c2VjcmV0")


# ---------------------------------------------------------------- items from before the encryption


def test_a_plain_text_item_from_before_works_until_rotation_or_migration_encrypts_it(
    api: Api, aws: dict[str, Any], org: str, partner_receiver: PartnerReceiver
) -> None:
    from tremplin.partners import secrets

    old, older = "whsec_" + "A" * 32, "whsec_" + "B" * 32
    _put_raw(aws, org, current=old, previous=older, previous_until="2026-11-25T12:00:00+00:00", created_at=NOW)
    _subscribe(api, org, partner_receiver.url)
    assert _send(api, org, old, "plain-1") == 202
    assert _send(api, org, older, "plain-2") == 202
    assert _deliver(org, "evt_plain") == {"batchItemFailures": []}
    partner_receiver.deliveries[-1].verify(old)

    assert secrets.encrypt_plaintext_secrets() == {
        "encrypted": 1,
        "already_encrypted": 0,
        "nothing_to_encrypt": 0,
        "rotated_meanwhile": 0,
    }
    item = _raw_secret_item(aws, org)
    assert "current" not in item and "previous" not in item
    assert b"AAAA" not in _all_bytes(item) and b"BBBB" not in _all_bytes(item)
    assert item["previous_until"] == {"S": "2026-11-25T12:00:00+00:00"}
    assert _send(api, org, old, "plain-3") == 202
    assert _send(api, org, older, "plain-4") == 202
    assert secrets.encrypt_plaintext_secrets()["encrypted"] == 0  # once is enough

    # An item rotated from the plain format keeps the old secret, now as a ciphertext.
    other = create_org(api, name="Other AG")
    _put_raw(aws, other, current=old, created_at=NOW)
    new = _rotate(api, other)["secret"]
    item = _raw_secret_item(aws, other)
    assert "current" not in item and b"AAAA" not in _all_bytes(item)
    assert _send(api, other, old, "plain-5") == 202
    assert _send(api, other, new, "plain-6") == 202


def test_the_migration_leaves_an_item_rotated_meanwhile_as_the_rotation_wrote_it(
    aws: dict[str, Any], api: Api, org: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tremplin.data import webhooks as store
    from tremplin.partners import secrets

    _put_raw(aws, org, current="whsec_" + "A" * 32, created_at=NOW)
    read = store.get_secrets

    def rotated_after_the_read(org_id: str) -> dict[str, Any] | None:
        held = read(org_id)
        monkeypatch.setattr(store, "get_secrets", read)
        _rotate(api, org_id)
        return held

    monkeypatch.setattr(store, "get_secrets", rotated_after_the_read)
    assert secrets.encrypt_plaintext_secrets()["rotated_meanwhile"] == 1
    item = _raw_secret_item(aws, org)
    assert "current" not in item and "previous_ciphertext" in item  # the rotation's own item


def test_the_migration_tool_encrypts_a_stacks_plain_text_items(aws: dict[str, Any], org: str) -> None:
    from tools import encrypt_webhook_secrets

    _put_raw(aws, org, current="whsec_" + "A" * 32, created_at=NOW)
    key = boto3.client("kms").create_key()["KeyMetadata"]["Arn"]
    counts = encrypt_webhook_secrets.migrate(aws["Table"], key)
    assert counts["encrypted"] == 1
    item = _raw_secret_item(aws, org)
    assert "current" not in item
    context = {"purpose": "webhook-secret", "org_id": org}
    blob = bytes(item["current_ciphertext"]["B"])
    assert boto3.client("kms").decrypt(CiphertextBlob=blob, EncryptionContext=context)["Plaintext"] == b"whsec_" + (
        b"A" * 32
    )
