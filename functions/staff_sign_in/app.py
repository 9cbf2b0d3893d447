"""Cognito's Pre Token Generation trigger: a caseworker's or admin's token carries their staff
group only when their account has an authenticator app set up (tremplin.logic.staff_sign_in)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext

from tremplin.logic import staff_sign_in

logger = Logger()
tracer = Tracer(patch_modules=("botocore",))  # the AWS calls only, as tremplin.api's tracer does
staff_sign_in.prepare()


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)  # the answer holds the user's attributes
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return staff_sign_in.token_claims(event)
