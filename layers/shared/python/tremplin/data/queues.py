"""Messages to SQS, ten a request: SendMessageBatch takes ten, and a request costs the same
for one message as for ten (issue 18's cost per filled slot)."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from tremplin.data.dynamo import aws_client

if TYPE_CHECKING:
    from mypy_boto3_sqs.client import SQSClient

BATCH = 10  # SQS's limit of messages a SendMessageBatch

logger = Logger(child=True)


def _sqs() -> SQSClient:
    return aws_client("sqs")  # type: ignore[no-any-return]


def send(queue_url: str, messages: list[dict[str, Any]]) -> list[int]:
    """Sends `messages` in order; the places (in `messages`) of those not sent: the ones SQS
    refused, and every one from a request that failed on."""
    unsent: list[int] = []
    for start in range(0, len(messages), BATCH):
        chunk = messages[start : start + BATCH]
        entries = [{"Id": str(start + i), "MessageBody": json.dumps(m)} for i, m in enumerate(chunk)]
        try:
            answer = _sqs().send_message_batch(QueueUrl=queue_url, Entries=entries)  # type: ignore[arg-type]
        except Exception:  # unsent, whatever the cause: the caller's work is retried
            logger.exception("messages not sent", extra={"unsent": len(messages) - start})
            return unsent + list(range(start, len(messages)))
        unsent += sorted(int(f["Id"]) for f in answer.get("Failed", []))
    if unsent:
        logger.error("messages refused", extra={"unsent": len(unsent)})
    return unsent


class Outbox:
    """The messages of a batch of work items (stream records), sent together once the batch
    has run: a work item's messages are held when it succeeds and dropped when it fails (its
    retry makes them again). `send()` names the first item with a message left unsent."""

    def __init__(self) -> None:
        self._held: list[tuple[int, str, dict[str, Any]]] = []  # (item's place, queue, message)
        self._current: list[tuple[str, dict[str, Any]]] = []

    def add(self, queue_url: str, message: dict[str, Any]) -> None:
        self._current.append((queue_url, message))

    def keep(self, place: int) -> None:
        """The item at `place` in the batch succeeded: its messages go out with the batch's."""
        self._held += [(place, url, m) for url, m in self._current]
        self._current = []

    def drop(self) -> None:
        self._current = []

    def send(self) -> int | None:
        """Sends every kept message; the lowest place of an item whose message was not sent."""
        by_queue: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        for place, url, message in self._held:
            by_queue[url].append((place, message))
        self._held, self._current = [], []
        unsent = [held[i][0] for url, held in by_queue.items() for i in send(url, [message for _, message in held])]
        return min(unsent, default=None)
