"""Data access: the only package that touches boto3."""


def reset() -> None:
    """Forget every per-process handle and cached setting (tests switch AWS back ends)."""
    from tremplin.data import dynamo, pagination, secret_box
    from tremplin.settings import get_settings

    get_settings.cache_clear()
    dynamo.forget_handles()
    pagination.signing_key.cache_clear()
    secret_box.forget()
