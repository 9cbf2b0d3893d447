"""The short link an SMS carries: {web_url}/#/s/<token>, 12 characters of token.

The token is a screen's one-letter code and 66 bits of an HMAC (stdlib hmac, SHA-256) over the
code and the participant the SMS went to. It names no id (an SMS may be read over a shoulder),
and it opens only for that participant: a changed letter, a token of someone else's SMS or a
made-up one is refused like an unknown one. The key is the one that signs cursors (Secrets
Manager; tremplin.data.pagination), kept apart from them by the "sms-link" purpose.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

# The participant's screens an SMS points to (web/assets/views/participant.js routes).
SCREENS = {"a": "/applications", "p": "/pay", "j": "/jobs"}
_CODE_OF = {path: code for code, path in SCREENS.items()}
_SIGNATURE_CHARS = 11  # base64url: 66 bits, short enough for a 160-character SMS


def _signature(key: bytes, code: str, participant_id: str) -> str:
    digest = hmac.new(key, f"sms-link|{code}|{participant_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:_SIGNATURE_CHARS]


def token(key: bytes, screen: str, participant_id: str) -> str:
    """The token of `screen` (a path of SCREENS) for one participant. KeyError for another path."""
    code = _CODE_OF[screen]
    return code + _signature(key, code, participant_id)


def screen_of(key: bytes, candidate: str, participant_id: str) -> str | None:
    """The screen a token opens for this participant; None when it was not made for them."""
    code, signature = candidate[:1], candidate[1:]
    if code not in SCREENS or len(signature) != _SIGNATURE_CHARS:
        return None
    if not hmac.compare_digest(signature, _signature(key, code, participant_id)):
        return None
    return SCREENS[code]


def url(web_url: str, key: bytes, screen: str, participant_id: str) -> str:
    return f"{web_url.rstrip('/')}/#/s/{token(key, screen, participant_id)}"
