"""Makes the first delivery attempt of each outbound event (retries come from the schedule)."""

from __future__ import annotations

from tremplin.consumers import sqs_consumer
from tremplin.logic import webhooks

lambda_handler = sqs_consumer(webhooks.deliver)
