"""Delivers queued notifications: into the recipient's inbox, by e-mail in AWS.

A redelivered message changes nothing (the inbox item is keyed by the notification's id).
"""

from __future__ import annotations

from tremplin.consumers import sqs_consumer
from tremplin.logic import notifications

lambda_handler = sqs_consumer(notifications.deliver, clients=("sesv2", "sns"))  # e-mail, SMS
