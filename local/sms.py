"""The SMS the local stack sent (issue 20): moto's server records every SNS Publish to a phone
number instead of sending it, and lists them at /moto-api/data.json.

    python -c "from local.sms import sent; print(sent('http://127.0.0.1:<moto port>'))"
"""

from __future__ import annotations

import json
import os
import urllib.request


def sent(endpoint: str | None = None) -> list[dict[str, str]]:
    """Every SMS moto's server recorded, oldest first: phone_number, message."""
    base = (endpoint or os.environ["AWS_ENDPOINT_URL"]).rstrip("/")
    if not base.startswith("http://127.0.0.1:"):
        raise ValueError(f"not the local moto server: {base}")
    with urllib.request.urlopen(f"{base}/moto-api/data.json", timeout=10) as answer:  # noqa: S310 - loopback only
        data = json.load(answer)
    return [{"phone_number": s["phone_number"], "message": s["message"]} for s in data.get("sns", {}).get("SMS", [])]
