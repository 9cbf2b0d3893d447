"""Starts the whole platform on this machine: DynamoDB Local on disk, moto's server for
SQS, S3, Scheduler and Cognito, every function in process behind the local HTTP API.

    python -m local [--port 3000] [--data-dir .local-data]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import urllib.request
from pathlib import Path
from types import FrameType

from local import prereqs
from local.template import ROOT

log = logging.getLogger("tremplin.local")


def _already_serving(port: int) -> bool | None:
    """True: our stack answers there; False: something else holds the port; None: free."""
    import socket

    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", port)) != 0:
            return None
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as answer:
            return bool(json.load(answer).get("status") == "ok")
    except Exception:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local", description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3000")))
    parser.add_argument("--data-dir", type=Path, default=ROOT / ".local-data")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")

    missing = prereqs.problems()
    if missing:
        for line in missing:
            print(f"Missing prerequisite: {line}", file=sys.stderr)
        return 1
    serving = _already_serving(args.port)
    if serving:
        print(f"Tremplin is already running on http://127.0.0.1:{args.port}")
        return 0
    if serving is False:
        print(f"Port {args.port} is taken by another program; choose another with PORT=...", file=sys.stderr)
        return 1

    from local.auth import LocalIssuer
    from local.environment import LocalEnvironment
    from local.functions import FunctionHost
    from local.gateway import ApiGateway, make_server
    from local.queues import QueuePoller
    from local.streams import StreamPoller

    data_dir: Path = args.data_dir
    with LocalEnvironment(data_dir / "dynamodb") as env:
        host = FunctionHost()
        streams = StreamPoller(host, env.refs, checkpoint=data_dir / "stream-checkpoint.json")
        streams.run_in_background()
        poller = QueuePoller(host, env.refs, streams=streams)
        poller.run_in_background()
        gateway = ApiGateway(host, LocalIssuer(data_dir / "jwt.key"), poller)
        server = make_server(gateway, args.port)

        def stop(signum: int, frame: FrameType | None) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        print(f"Tremplin is running on http://127.0.0.1:{args.port}  (docs: /docs, data: {data_dir})", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            poller.stop()
            streams.stop()
            server.server_close()
    return 0
