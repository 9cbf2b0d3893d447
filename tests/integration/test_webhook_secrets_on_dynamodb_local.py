"""Webhook secrets as KMS ciphertexts (Binary attributes) in DynamoDB Local, the key on moto's
server: what the local stack runs."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from tests.helpers import Api, create_org, send_partner_event

pytestmark = pytest.mark.integration


def _send(api: Api, org_id: str, secret: str, msg_id: str) -> int:
    body = json.dumps({"type": "job.cancel", "data": {"external_ref": "HR-1"}})
    return send_partner_event(api, org_id, secret, body, msg_id)[0]


def test_secrets_are_stored_encrypted_and_verify_after_rotation_and_migration(
    api: Api, dynamodb_local: dict[str, Any]
) -> None:
    from tremplin.partners import secrets

    org = create_org(api)
    rotate = f"/organisations/{org}/webhook-secret"
    first = api.call("POST", rotate, token=api.admin()).body["secret"]
    second = api.call("POST", rotate, token=api.admin()).body["secret"]
    key = {"PK": {"S": f"ORG#{org}"}, "SK": {"S": "SECRET"}}
    raw = boto3.client("dynamodb").get_item(TableName=dynamodb_local["Table"], Key=key)["Item"]
    assert set(raw["current_ciphertext"]) == {"B"} and set(raw["previous_ciphertext"]) == {"B"}
    assert first not in json.dumps(raw, default=str) and second not in json.dumps(raw, default=str)
    assert _send(api, org, first, "it-1") == 202
    assert _send(api, org, second, "it-2") == 202
    assert _send(api, org, "whsec_" + "C" * 32, "it-3") == 401

    other = create_org(api, name="Other AG")
    plain = "whsec_" + "A" * 32
    boto3.resource("dynamodb").Table(dynamodb_local["Table"]).put_item(
        Item={"PK": f"ORG#{other}", "SK": "SECRET", "type": "webhook_secret", "org_id": other, "current": plain}
    )
    assert secrets.encrypt_plaintext_secrets()["encrypted"] == 1
    raw = boto3.client("dynamodb").get_item(
        TableName=dynamodb_local["Table"], Key={"PK": {"S": f"ORG#{other}"}, "SK": {"S": "SECRET"}}
    )["Item"]
    assert "current" not in raw and set(raw["current_ciphertext"]) == {"B"}
    assert _send(api, other, plain, "it-4") == 202
