"""Settings read from the environment once per process (Lambda cold start)."""

from __future__ import annotations

import os
from decimal import Decimal
from functools import cache

from pydantic import BaseModel, Field


class Settings(BaseModel):
    stage: str = "dev"
    table_name: str = "tremplin-dev"
    notifications_queue_url: str = ""
    reports_bucket: str = ""
    cursor_secret_arn: str = ""
    # Used instead of the Secrets Manager secret where no ARN is given (local stack, tests).
    cursor_secret: str = Field(default="local-cursor-secret", repr=False)
    minimum_hourly_wage: Decimal = Decimal("20.00")
    holiday_pay_rate: Decimal = Decimal("0.0833")
    # Only the local stack sets this; it allows loopback webhook targets and the clock override.
    local_stack: bool = False


@cache
def get_settings() -> Settings:
    fields = Settings.model_fields
    values = {name: os.environ[name.upper()] for name in fields if name.upper() in os.environ}
    return Settings.model_validate(values)
