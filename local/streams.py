"""The table's stream polled the way Lambda's DynamoDB event source mapping polls it: shard
iterators per shard (parents before children), batches of the template's BatchSize, partial
batch failures (retry from the first failed record), bisecting a batch whose invocation
crashed, MaximumRetryAttempts, then the record's description to the on-failure queue.

Where the stream has been read to is kept per shard (in a file when the stack keeps its data),
so a restart neither loses nor replays much; replays are harmless (every effect is idempotent).
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

from local import polling, template
from local.functions import FunctionHost
from local.resources import REGION

log = logging.getLogger("tremplin.local.streams")


def repaired(value: dict[str, Any]) -> dict[str, Any]:
    """An attribute value as DynamoDB Streams sends it. DynamoDB Local's stream gives an empty map
    as `{}` (not `{"M": {}}`, as the table itself and real streams do), which no deserializer can
    read: a schedule holding no shift, a report with no files would stop the consumer."""
    if not value:
        return {"M": {}}
    if "M" in value:
        return {"M": {k: repaired(v) for k, v in value["M"].items()}}
    if "L" in value:
        return {"L": [repaired(v) for v in value["L"]]}
    return value


class StreamPoller:
    def __init__(
        self,
        host: FunctionHost,
        refs: dict[str, Any],
        checkpoint: Path | None = None,
        consumers: list[template.StreamConsumer] | None = None,
    ):
        self._host = host
        self._refs = refs
        self._consumers = template.stream_consumers() if consumers is None else consumers
        self._streams = boto3.client("dynamodbstreams", region_name=REGION)
        self._sqs = boto3.client("sqs", region_name=REGION)
        self._checkpoint = checkpoint
        self._done: dict[str, str] = self._load()  # shard id -> last sequence number handled
        self._iterators: dict[tuple[str, str], str | None] = {}  # (function, shard) -> iterator; None: closed
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.failed_to_destination = 0

    # ------------------------------------------------------------ checkpoint

    def _load(self) -> dict[str, str]:
        if self._checkpoint and self._checkpoint.exists():
            return dict(json.loads(self._checkpoint.read_text()))
        return {}

    def _save(self) -> None:
        if self._checkpoint:
            self._checkpoint.parent.mkdir(parents=True, exist_ok=True)
            self._checkpoint.write_text(json.dumps(self._done))

    # ------------------------------------------------------------ polling

    def _stream_arn(self, consumer: template.StreamConsumer) -> str | None:
        ddb = boto3.client("dynamodb", region_name=REGION)
        table = ddb.describe_table(TableName=self._refs[consumer.table])["Table"]
        return table.get("LatestStreamArn")

    def _shards(self, arn: str) -> list[dict[str, Any]]:
        shards: list[dict[str, Any]] = []
        start: str | None = None
        while True:
            kwargs: dict[str, Any] = {"StreamArn": arn}
            if start:
                kwargs["ExclusiveStartShardId"] = start
            desc = self._streams.describe_stream(**kwargs)["StreamDescription"]
            shards += desc.get("Shards", [])
            start = desc.get("LastEvaluatedShardId")
            if not start:
                return shards

    def _iterator(self, arn: str, shard_id: str) -> str:
        last = self._done.get(shard_id)
        if last:
            try:
                return str(
                    self._streams.get_shard_iterator(
                        StreamArn=arn,
                        ShardId=shard_id,
                        ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                        SequenceNumber=last,
                    )["ShardIterator"]
                )
            except ClientError:  # trimmed away since: start at what is left
                pass
        return str(
            self._streams.get_shard_iterator(StreamArn=arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON")[
                "ShardIterator"
            ]
        )

    def poll_once(self) -> int:
        """One read per open shard and consumer; the number of records handed to functions."""
        handled = 0
        with self._lock:
            for consumer in self._consumers:
                arn = self._stream_arn(consumer)
                if arn:
                    handled += self._poll_stream(consumer, arn)
        return handled

    def _poll_stream(self, consumer: template.StreamConsumer, arn: str) -> int:
        handled = 0
        shards = self._shards(arn)
        known = {s["ShardId"] for s in shards}
        for shard in shards:
            parent = str(shard.get("ParentShardId") or "")
            key = (consumer.function, shard["ShardId"])
            if parent in known and self._iterators.get((consumer.function, parent), "open") is not None:
                continue  # a child is read once its parent is closed and read to the end
            if key in self._iterators and self._iterators[key] is None:
                continue
            iterator = self._iterators.get(key) or self._iterator(arn, shard["ShardId"])
            answer = self._streams.get_records(ShardIterator=iterator, Limit=min(consumer.batch_size, 1000))
            records = answer.get("Records", [])
            if records:
                self._deliver(consumer, arn, shard["ShardId"], records)
                handled += len(records)
                # Read on from after what was handled (a retry may have moved it).
                self._iterators[key] = self._iterator(arn, shard["ShardId"])
            else:
                self._iterators[key] = answer.get("NextShardIterator")
        return handled

    def _deliver(
        self, consumer: template.StreamConsumer, arn: str, shard_id: str, records: list[dict[str, Any]]
    ) -> None:
        self._deliver_records(consumer, shard_id, [self._event_record(arn, r) for r in records])

    def _deliver_records(self, consumer: template.StreamConsumer, shard_id: str, batch: list[dict[str, Any]]) -> None:
        """Hands a batch over until every record is handled or given up on, as Lambda does."""
        arn = batch[0]["eventSourceARN"]
        attempts = 0
        pending = batch
        while pending:
            try:
                result = self._host.invoke(consumer.function, {"Records": pending}) or {}
                failures = (
                    [f["itemIdentifier"] for f in result.get("batchItemFailures", [])]
                    if consumer.partial_failures
                    else []
                )
                crashed = False
            except Exception:
                log.exception("stream consumer %s failed", consumer.function)
                failures, crashed = [], True
            if not crashed and not failures:
                self._mark(shard_id, pending[-1])
                return
            if crashed and consumer.bisect_on_error and len(pending) > 1:
                half = len(pending) // 2
                self._deliver_records(consumer, shard_id, pending[:half])
                self._deliver_records(consumer, shard_id, pending[half:])
                return
            first = 0
            if failures:
                sequence = {r["dynamodb"]["SequenceNumber"]: i for i, r in enumerate(pending)}
                first = min(sequence.get(f, 0) for f in failures)
                if first > 0:
                    self._mark(shard_id, pending[first - 1])
            attempts += 1
            if 0 <= consumer.max_retries < attempts:
                self._give_up(consumer, arn, shard_id, pending[first:])
                return
            pending = pending[first:]

    def _mark(self, shard_id: str, record: dict[str, Any]) -> None:
        self._done[shard_id] = record["dynamodb"]["SequenceNumber"]
        self._save()

    def _give_up(self, consumer: template.StreamConsumer, arn: str, shard_id: str, batch: list[dict[str, Any]]) -> None:
        """What Lambda sends the on-failure destination: where the records are, not the records."""
        log.error("stream consumer %s gave up on %d records", consumer.function, len(batch))
        if consumer.on_failure_queue:
            body = {
                "requestContext": {"condition": "RetryAttemptsExhausted", "functionArn": consumer.function},
                "DDBStreamBatchInfo": {
                    "shardId": shard_id,
                    "startSequenceNumber": batch[0]["dynamodb"]["SequenceNumber"],
                    "endSequenceNumber": batch[-1]["dynamodb"]["SequenceNumber"],
                    "batchSize": len(batch),
                    "streamArn": arn,
                },
            }
            self._sqs.send_message(QueueUrl=self._refs[consumer.on_failure_queue], MessageBody=json.dumps(body))
        self.failed_to_destination += len(batch)
        self._mark(shard_id, batch[-1])

    @staticmethod
    def _event_record(arn: str, r: dict[str, Any]) -> dict[str, Any]:
        change = dict(r["dynamodb"])
        for image in ("NewImage", "OldImage"):
            if image in change:
                change[image] = {k: repaired(v) for k, v in change[image].items()}
        created = change.get("ApproximateCreationDateTime")
        if isinstance(created, datetime):
            change["ApproximateCreationDateTime"] = int(created.timestamp())
        return {
            "eventID": r.get("eventID"),
            "eventName": r.get("eventName"),
            "eventVersion": r.get("eventVersion", "1.1"),
            "eventSource": "aws:dynamodb",
            "awsRegion": REGION,
            "dynamodb": change,
            "eventSourceARN": arn,
        }

    # ------------------------------------------------------------ running

    def drain(self, max_rounds: int = 200) -> int:
        """Reads every shard until a round finds nothing new."""
        total = 0
        for _ in range(max_rounds):
            got = self.poll_once()
            total += got
            if got == 0:
                return total
        return total

    def run_in_background(self, interval_s: float = 0.5) -> threading.Thread:
        return polling.in_background(self.poll_once, self._stop, "stream-poller", interval_s)

    def stop(self) -> None:
        self._stop.set()
