"""Data access: the only package that touches boto3."""


def reset() -> None:
    """Forget every per-process handle and cached setting (tests switch AWS back ends)."""
    from tremplin.data import dynamo, identity_provider, notifications, pagination, reports, webhooks
    from tremplin.settings import get_settings

    get_settings.cache_clear()
    dynamo.table.cache_clear()
    pagination.signing_key.cache_clear()
    notifications._sqs.cache_clear()
    notifications._ses.cache_clear()
    identity_provider._cognito.cache_clear()
    reports._s3.cache_clear()
    reports._sqs.cache_clear()
    webhooks._sqs.cache_clear()
