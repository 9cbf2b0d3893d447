"""End-to-end tests: HTTP against the real local stack (`python -m local`), started by
the test session on a free port with its own data folder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from local.dynamodb_local import free_port
from tests.e2e import web
from tests.helpers import ROOT

pytestmark = pytest.mark.e2e


class Stack:
    def __init__(self, data_dir: Path, port: int | None = None):
        self.data_dir = data_dir
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[str] | None = None

    def command(self) -> list[str]:
        return [sys.executable, "-m", "local", "--port", str(self.port), "--data-dir", str(self.data_dir)]

    def start(self, timeout_s: float = 90) -> Stack:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")}
        # Its output goes to a file: a pipe nobody reads fills up and then blocks the stack.
        self.log = self.data_dir / "stack.log"
        with self.log.open("a") as out:
            self.proc = subprocess.Popen(  # noqa: S603
                self.command(), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"local stack exited: {self.log.read_text()[-4000:]}")
            try:
                if self.request("GET", "/health")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("local stack did not come up")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:  # a loaded machine; the test is about the data, not the exit
                self.proc.kill()
                self.proc.wait(timeout=30)
        self.proc = None

    def request(self, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)  # noqa: S310
        req.add_header("content-type", "application/json")
        if token:
            req.add_header("authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=30) as answer:  # noqa: S310
                raw = answer.read()
                status = answer.status
        except urllib.error.HTTPError as err:
            raw, status = err.read(), err.code
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, raw.decode()

    def token(self, role: str, sub: str = "e2e", **claims: str) -> str:
        status, body = self.request("POST", "/_local/token", {"role": role, "sub": sub, **claims})
        assert status == 200, body
        return str(body["token"])


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = Stack(tmp_path_factory.mktemp("stack-data")).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from web.launch()
