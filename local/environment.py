"""The local AWS: DynamoDB Local plus moto's server, provisioned from template.yaml,
with the process environment set the way Lambda would set it for the functions.

Used by the local stack (`python -m local`), the integration tests and the benchmarks.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType
from typing import Any

from local import resources
from local.dynamodb_local import DynamoDBLocal, free_port


class LocalEnvironment:
    def __init__(self, data_dir: Path | None = None, prefix: str = "tremplin-local", keep_environment: bool = True):
        self.dynamodb = DynamoDBLocal(data_dir)
        self.prefix = prefix
        self.keep_environment = keep_environment
        self.refs: dict[str, Any] = {}
        self.environ: dict[str, str] = {}
        self._moto: Any = None

    def __enter__(self) -> LocalEnvironment:
        from moto.server import ThreadedMotoServer

        self.dynamodb.start()
        moto_port = free_port()
        self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port, verbose=False)
        self._moto.start()
        saved = dict(os.environ)
        resources.fake_credentials()
        os.environ["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{moto_port}"  # SQS, S3, Scheduler, Cognito
        os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = self.dynamodb.endpoint
        os.environ["AWS_ENDPOINT_URL_DYNAMODB_STREAMS"] = self.dynamodb.endpoint  # its stream, too
        self.refs = self.provision(self.prefix)
        os.environ["LOCAL_STACK"] = "true"
        os.environ["AWS_READ_TIMEOUT_S"] = "60"  # DynamoDB Local on a busy machine, not AWS
        self.environ = {k: v for k, v in os.environ.items() if saved.get(k) != v}
        if not self.keep_environment:  # tests apply self.environ per test instead
            os.environ.clear()
            os.environ.update(saved)
        return self

    def provision(self, prefix: str) -> dict[str, Any]:
        """Builds the template's resources under `prefix` and points the functions at them."""
        refs = resources.provision(prefix)
        os.environ.update(resources.function_environment(refs))
        return refs

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._moto is not None:
            self._moto.stop()
        self.dynamodb.stop()
