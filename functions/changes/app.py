"""Follows every committed change of the table (DynamoDB stream): notifications, partner
events, the sign-in invitation and cascades come from here, never from the request."""

from __future__ import annotations

from tremplin.changes import stream_consumer

lambda_handler = stream_consumer()
