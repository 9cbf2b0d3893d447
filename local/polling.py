"""The background loop both local event source mappings run (queues and the table's stream)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger("tremplin.local.polling")


def in_background(
    poll_once: Callable[[], int], stop: threading.Event, name: str, interval_s: float
) -> threading.Thread:
    """Calls `poll_once` until `stop` is set, resting `interval_s` whenever it found nothing or
    failed (a failure is logged, never the end of the loop)."""

    def loop() -> None:
        while not stop.is_set():
            try:
                if poll_once() == 0:
                    stop.wait(interval_s)
            except Exception:
                log.exception(name)
                stop.wait(interval_s)

    thread = threading.Thread(target=loop, name=name, daemon=True)
    thread.start()
    return thread
