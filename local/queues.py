"""Queue consumers polled the way Lambda's SQS event source mapping polls them:
batches of the template's BatchSize, partial batch failures honoured (only the
failed messages come back), the queue's redrive policy moving a message to its
dead-letter queue after maxReceiveCount receives (moto enforces it on receive)."""

from __future__ import annotations

import logging
import threading
from typing import Any

import boto3

from local import polling, template
from local.functions import FunctionHost
from local.resources import REGION
from local.streams import StreamPoller

log = logging.getLogger("tremplin.local.queues")


class QueuePoller:
    def __init__(
        self,
        host: FunctionHost,
        refs: dict[str, Any],
        consumers: list[template.Consumer] | None = None,
        streams: StreamPoller | None = None,
    ):
        self._host = host
        self.streams = streams  # drained together: a change's effects go through queues
        self._sqs = boto3.client("sqs", region_name=REGION)
        self._consumers = template.consumers() if consumers is None else consumers
        self._urls = {c.queue: refs[c.queue] for c in self._consumers}
        self._arns = {c.queue: refs[f"{c.queue}.Arn"] for c in self._consumers}
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def poll_once(self) -> int:
        """One receive per consumer; the number of messages handed to functions."""
        handled = 0
        with self._lock:
            for consumer in self._consumers:
                handled += self._deliver(consumer)
        return handled

    def _deliver(self, consumer: template.Consumer) -> int:
        url = self._urls[consumer.queue]
        answer = self._sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=min(consumer.batch_size, 10),
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        messages = answer.get("Messages", [])
        if not messages:
            return 0
        event = {"Records": [self._record(consumer, dict(m)) for m in messages]}
        failed: set[str] = set()
        try:
            result = self._host.invoke(consumer.function, event) or {}
            if consumer.partial_failures:
                failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
        except Exception:  # a crashed invocation returns the whole batch, as in Lambda
            log.exception("consumer %s failed", consumer.function)
            failed = {m["MessageId"] for m in messages}
        for m in messages:
            if m["MessageId"] in failed:
                # Lambda would wait out the visibility timeout; locally the retry comes at once.
                self._sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0)
            else:
                self._sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        return len(messages)

    def _record(self, consumer: template.Consumer, m: dict[str, Any]) -> dict[str, Any]:
        return {
            "messageId": m["MessageId"],
            "receiptHandle": m["ReceiptHandle"],
            "body": m["Body"],
            "attributes": m.get("Attributes", {}),
            "messageAttributes": m.get("MessageAttributes", {}),
            "md5OfBody": m.get("MD5OfBody"),
            "eventSource": "aws:sqs",
            "eventSourceARN": self._arns[consumer.queue],
            "awsRegion": REGION,
        }

    def pending(self) -> int:
        total = 0
        for url in self._urls.values():
            attrs = self._sqs.get_queue_attributes(
                QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
            )["Attributes"]
            total += int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesNotVisible"])
        return total

    def drain(self, max_rounds: int = 200) -> dict[str, Any]:
        """Runs the stream's and every queue's consumers until the stream has nothing new and
        every queue is empty (or max_rounds runs out)."""
        delivered = changes = 0
        for _ in range(max_rounds):
            followed = self.streams.poll_once() if self.streams else 0
            changes += followed
            delivered += self.poll_once()
            if followed == 0 and self.pending() == 0:
                if self.streams and self.streams.poll_once():  # the last messages made changes
                    continue
                return {"drained": True, "delivered": delivered, "changes": changes}
        return {"drained": False, "delivered": delivered, "changes": changes, "pending": self.pending()}

    def run_in_background(self, interval_s: float = 1.0) -> threading.Thread:
        return polling.in_background(self.poll_once, self._stop, "queue-poller", interval_s)

    def stop(self) -> None:
        self._stop.set()
