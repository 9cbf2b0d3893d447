"""A request's reads that do not need each other's answers, sent at once: the request waits for
DynamoDB once for them instead of once a read (GET /me/export: eight calls in three rounds).

    with parallel.reads() as reads:
        inbox = reads.start(notification_store.inbox_items, box)
        about = reads.start(notification_store.about_items, participant_id)
        notes = inbox.result() + about.result()

Leaving the block, by an answer or an error, cancels the reads not yet started and waits for
those under way: none outlives its request (Lambda freezes a sandbox between requests; a read
caught mid-call would finish in the next request, holding a thread and landing in its trace).

Reads only. A write started here could outlive a request that failed, and the request's writes
share a call's write ids (tremplin.data.dynamo._Call), which are per thread. A read must not
start reads of its own: the pool's threads could all wait for each other.

Each of the pool's threads has its own table handle (boto3 resources are not thread-safe), made
at init by `prepare` where Lambda gives a whole vCPU, and runs a read in the context of the
thread that started it (contextvars: the local stack's IAM check knows the acting function).
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any, Generic, ParamSpec, TypeVar

from tremplin.data import dynamo
from tremplin.errors import ServiceUnavailable

P = ParamSpec("P")
T = TypeVar("T")

WORKERS = 6  # the most reads one request or record starts at once (what follows an erasure)
_pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="read")
_preparing = threading.Lock()
_prepared_for: list[int] = []  # the handles' generation the threads were prepared for


class Read(Generic[T]):
    """A read sent: `result()` waits for its answer or raises its error, a 503 worded as the
    request's own thread would (it knows its writes' outcomes, tremplin.data.dynamo._Call)."""

    def __init__(self, future: Future[T]) -> None:
        self.future = future

    def result(self, timeout: float | None = None) -> T:
        try:
            return self.future.result(timeout)
        except ServiceUnavailable as busy:
            if (here := dynamo.busy_here(busy)) is busy:
                raise
            raise here from busy


class Reads:
    """The reads of one `reads()` block."""

    def __init__(self) -> None:
        self.started: list[Future[Any]] = []

    def start(self, read: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Read[T]:
        """Sends `read(*args, **kwargs)` now on a pool thread."""
        context = contextvars.copy_context()
        future = _pool.submit(lambda: context.run(read, *args, **kwargs))
        self.started.append(future)
        return Read(future)


@contextlib.contextmanager
def reads() -> Iterator[Reads]:
    group = Reads()
    try:
        yield group
    finally:
        for future in group.started:
            future.cancel()  # only those not yet running
        wait(group.started)


def prepare() -> None:
    """Makes every pool thread and its table handle (3 ms of CPU each at a whole vCPU): at init,
    not in a first request at the function's share; once for the handles' generation (the local
    stack imports a function for each new instance). Without a region (a tool importing the
    functions for their routes) nothing is made."""
    if not dynamo.region_known():
        return
    everyone = threading.Barrier(WORKERS)  # each task holds its thread until all are running

    def handle() -> None:
        dynamo.table()
        everyone.wait(timeout=5)

    with _preparing:
        if _prepared_for == [dynamo.generation()]:
            return
        for made in [_pool.submit(handle) for _ in range(WORKERS)]:
            # Threads busy with reads (the local stack): those not made now make it at their first read.
            with contextlib.suppress(threading.BrokenBarrierError):
                made.result()
        _prepared_for[:] = [dynamo.generation()]
