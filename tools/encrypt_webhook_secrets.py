"""One-off migration: encrypts the webhook secrets that a deployed stack still holds in plain
text (items written before the secrets were encrypted with WebhookSecretsKey) in place.

    .venv/bin/python tools/encrypt_webhook_secrets.py --stack tremplin-dev [--region eu-central-2]

Run once per stage after deploying the release that added the key, with credentials that may read
and write the table and kms:Encrypt with the key (the account's administrators: the key policy).
Safe to run again and while the stack serves (README "Design notes", migration notes). It prints
counts only, never a secret."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "layers" / "shared" / "python"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


def migrate(table_name: str, key_arn: str) -> dict[str, int]:
    """Encrypts every plain-text secret item of `table_name` with `key_arn`; the counts."""
    os.environ["TABLE_NAME"] = table_name
    os.environ["WEBHOOK_SECRETS_KEY_ARN"] = key_arn
    from tremplin.data import reset
    from tremplin.partners import secrets

    reset()
    return secrets.encrypt_plaintext_secrets()


def stack_resources(session: boto3.Session, stack: str) -> tuple[str, str]:
    """The stack's table name and its webhook secrets key's ARN."""
    described = session.client("cloudformation").describe_stack_resources(StackName=stack)["StackResources"]
    physical = {r["LogicalResourceId"]: r.get("PhysicalResourceId", "") for r in described}
    key = session.client("kms").describe_key(KeyId=physical["WebhookSecretsKey"])
    return physical["Table"], key["KeyMetadata"]["Arn"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", required=True)
    parser.add_argument("--region")
    args = parser.parse_args()
    session = boto3.Session(region_name=args.region)
    if session.region_name:
        os.environ["AWS_DEFAULT_REGION"] = session.region_name
    table_name, key_arn = stack_resources(session, args.stack)
    counts = migrate(table_name, key_arn)
    print(", ".join(f"{name.replace('_', ' ')}: {n}" for name, n in counts.items()))


if __name__ == "__main__":
    main()
