"""Makes the first delivery attempt of each outbound event (retries come from the schedule)."""

from __future__ import annotations

from tremplin.consumers import sqs_consumer
from tremplin.partners import outbound

lambda_handler = sqs_consumer(outbound.deliver, clients=("kms",))  # KMS opens the signing secret
