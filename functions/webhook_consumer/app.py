"""Acts on partners' inbound events from the webhooks queue; a failing event is retried alone
and parked in the dead-letter queue after 5 receives."""

from __future__ import annotations

from tremplin.consumers import sqs_consumer
from tremplin.partners import inbound

lambda_handler = sqs_consumer(inbound.process, parallel_reads=True)  # jobs read the pay scheme alongside
