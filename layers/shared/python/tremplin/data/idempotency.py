"""The idempotency table (IdempotencyTable of template.yaml): Powertools' records of the answers
to mutating requests sent with an Idempotency-Key.

id                      <prefix>#<hash of the caller and their key>
status                  INPROGRESS | COMPLETED
expiration              epoch seconds (24 h on); DynamoDB's TTL removes the record some time after
in_progress_expiration  epoch ms when an INPROGRESS record of a function that died may be taken over
validation              hash of the request (route, path, query, body) the key was first used for
data                    the first answer (status, headers, body), replayed to a repeat
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from tremplin.data.dynamo import aws_client, region_known
from tremplin.settings import get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

_held: dict[str, DynamoDBPersistenceLayer] = {}
_lock = threading.Lock()


def persistence() -> DynamoDBPersistenceLayer:
    """One persistence layer per process, on the shared DynamoDB client (its timeouts and retries);
    a new one once tremplin.data.reset() has dropped that client."""
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer  # only with the header

    client = aws_client("dynamodb")
    name = get_settings().idempotency_table_name
    with _lock:
        layer = _held.get("layer")
        if layer is None or layer.client is not client or layer.table_name != name:
            layer = DynamoDBPersistenceLayer(table_name=name, boto3_client=client)
            _held["layer"] = layer
        return layer


def prepare() -> None:
    """Makes the persistence layer at init (the web app sends an Idempotency-Key with every
    change), importing Powertools' idempotency utility; nothing without a region (tools)."""
    if region_known():
        persistence()
