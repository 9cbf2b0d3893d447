"""A request's independent reads go out at once (tremplin.data.parallel), each on a pool thread in
the request's context, so the local stack checks them as the request's function would be."""

from __future__ import annotations

import threading
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from local import iam
from tremplin.data import dynamo, parallel
from tremplin.errors import ServiceUnavailable


def test_reads_started_together_are_under_way_at_the_same_time() -> None:
    both = threading.Barrier(2, timeout=5)  # one read alone would wait until the timeout and fail

    def read(name: str) -> str:
        both.wait()
        return name

    with parallel.reads() as reads:
        first, second = reads.start(read, "inbox"), reads.start(read, name="applications")
        assert (first.result(timeout=10), second.result(timeout=10)) == ("inbox", "applications")


def test_a_block_left_by_an_error_waits_for_its_reads_under_way_and_drops_those_not_started() -> None:
    """In Lambda a read still under way when its request ended would finish in the next one."""
    release, finished, ran = threading.Event(), list[int](), list[str]()
    running = threading.Barrier(parallel.WORKERS + 1, timeout=5)  # the six reads and the request

    def slow(n: int) -> None:
        running.wait()
        release.wait(timeout=5)
        finished.append(n)

    started: list[parallel.Read[None]] = []

    def request() -> None:
        with parallel.reads() as reads:
            started.extend(reads.start(slow, n) for n in range(parallel.WORKERS))
            running.wait()  # every thread busy with one of them
            started.append(reads.start(ran.append, "queued"))
            raise RuntimeError("audit failed")

    threading.Timer(0.3, release.set).start()
    with pytest.raises(RuntimeError, match="audit failed"):
        request()
    assert sorted(finished) == list(range(parallel.WORKERS))  # waited for, though the block had failed
    assert all(r.future.done() for r in started)
    assert started[-1].future.cancelled() and ran == []


def test_a_read_on_a_pool_thread_is_checked_as_the_function_that_started_it(aws: dict[str, Any]) -> None:
    iam.enforce()
    query = {"TableName": aws["Table"], "IndexName": "GSI4", "KeyConditionExpression": "GSI4PK = :p"}
    query |= {"ExpressionAttributeValues": {":p": {"S": "none"}}}
    with iam.acting_as("DocsFunction"), parallel.reads() as reads:  # no grant on the table at all
        refused = reads.start(boto3.client("dynamodb").query, **query)
        with pytest.raises(ClientError) as error:
            refused.result(timeout=10)
    assert error.value.response["Error"]["Code"] == "AccessDeniedException"
    assert "DocsFunction" in error.value.response["Error"]["Message"]
    with iam.acting_as("ReportWorkerFunction"), parallel.reads() as reads:  # GSI4 granted
        assert reads.start(boto3.client("dynamodb").query, **query).result(timeout=10)["Items"] == []


def test_prepare_makes_every_pool_thread_with_its_table_handle(aws: dict[str, Any]) -> None:
    dynamo.forget_handles()  # every thread's handle is stale: made again only by prepare
    parallel.prepare()
    parallel.prepare()  # once a generation: nothing more to make
    everyone = threading.Barrier(parallel.WORKERS, timeout=5)  # one task per thread, none twice

    def held() -> tuple[str, bool]:
        handle = getattr(dynamo._per_thread, "table", None)
        everyone.wait()
        return threading.current_thread().name, handle is not None and handle[1] is dynamo.table()

    answers = [f.result(timeout=10) for f in [parallel._pool.submit(held) for _ in range(parallel.WORKERS)]]
    assert len({name for name, _ in answers}) == parallel.WORKERS
    assert all(made for _, made in answers), answers


def test_a_reads_503_after_a_write_of_unknown_outcome_says_so_as_the_request_would() -> None:
    """The pool thread knows nothing of the request's writes: the wording is the request's own."""

    def busy() -> None:
        raise dynamo._busy(dynamo.BUSY_MESSAGE)  # a read that gave up, on a thread with no writes

    dynamo.begin_call()
    with parallel.reads() as reads, pytest.raises(ServiceUnavailable) as plain:
        reads.start(busy).result(timeout=10)
    assert plain.value.message == dynamo.BUSY_MESSAGE  # nothing written: "nothing was changed"
    dynamo._call.unknown += 1  # a write of this call may have been applied unbeknown to it
    with parallel.reads() as reads, pytest.raises(ServiceUnavailable) as unsure:
        reads.start(busy).result(timeout=10)
    assert unsure.value.message == dynamo.UNCONFIRMED_MESSAGE
    assert unsure.value.details == [{"outcome": "unknown"}]
    dynamo.begin_call()
