"""Settings read from the environment once per process (Lambda cold start)."""

from __future__ import annotations

import os
from functools import cache

from pydantic import BaseModel, Field


class Settings(BaseModel):
    stage: str = "dev"
    table_name: str = "tremplin-dev"
    # Answers of mutating requests sent with an Idempotency-Key (Powertools idempotency records).
    idempotency_table_name: str = "tremplin-dev-idempotency"
    notifications_queue_url: str = ""
    reports_queue_url: str = ""
    webhooks_queue_url: str = ""
    webhooks_dlq_url: str = ""
    deliveries_queue_url: str = ""
    reports_bucket: str = ""
    cursor_secret_arn: str = ""
    # Used instead of the Secrets Manager secret where no ARN is given (local stack, tests).
    cursor_secret: str = Field(default="local-cursor-secret", repr=False)
    # Check-in at the site: the key that signs the QR codes (Secrets Manager; the value below
    # where no ARN is given: local stack, tests).
    check_in_secret_arn: str = ""
    check_in_secret: str = Field(default="local-check-in-secret", repr=False)
    # The KMS key that encrypts organisations' webhook secrets (tremplin.data.secret_box); given to
    # the functions that encrypt or decrypt them.
    webhook_secrets_key_arn: str = ""
    # Consent texts participants may accept (comma-separated versions, newest last).
    consent_versions: str = "2026-01"
    # Cognito user pool for participant sign-ins (AWS only; empty in the local stack).
    user_pool_id: str = ""
    # Verified SES sender for notification e-mails (AWS only; empty: inbox only).
    email_sender: str = ""
    # SMS (issue 20): at most this many a month (template parameter SmsMonthlyLimit); 0 sends none.
    sms_monthly_limit: int = 0
    # The web front end's address: messages link to the screen where the reader acts.
    web_url: str = ""
    # Seconds to wait for an AWS answer before boto3 retries (with the same idempotency token).
    # A call's tries and their waits must end within the shortest function timeout (10 s; see
    # tremplin.data.dynamo.AWS_TRIES); DynamoDB answers in milliseconds. The local stack and the
    # tests raise it: DynamoDB Local on a busy 2-core machine is slow.
    aws_read_timeout_s: float = 1.5
    # Only the local stack sets this; it allows loopback webhook targets and the clock override.
    local_stack: bool = False

    @property
    def accepted_consent_versions(self) -> frozenset[str]:
        return frozenset(v.strip() for v in self.consent_versions.split(",") if v.strip())


@cache
def get_settings() -> Settings:
    fields = Settings.model_fields
    values = {name: os.environ[name.upper()] for name in fields if name.upper() in os.environ}
    return Settings.model_validate(values)
