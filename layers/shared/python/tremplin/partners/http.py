"""The outbound delivery client: one POST to a partner's URL, guarded against server-side
request forgery (https to public addresses only), never following redirects."""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from tremplin.settings import get_settings


class UnsafeTarget(ValueError):
    """A webhook URL that must not be called (SSRF guard)."""


def check_target(url: str) -> None:
    """https only, to public addresses; the local stack may also call loopback over http."""
    parts = urlsplit(url)
    local = get_settings().local_stack
    if parts.scheme != "https" and not (local and parts.scheme == "http"):
        raise UnsafeTarget("the URL must use https")
    if not parts.hostname:
        raise UnsafeTarget("the URL has no host")
    try:
        addresses = {
            info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
        }
    except socket.gaierror:
        raise UnsafeTarget("the host name does not resolve") from None
    for address in addresses:
        ip = ipaddress.ip_address(str(address).split("%")[0])
        if local and ip.is_loopback:
            continue
        if (
            ip.is_private
            or ip.is_loopback
            or ip.is_link_local
            or ip.is_reserved
            or ip.is_multicast
            or ip.is_unspecified
        ):
            raise UnsafeTarget("the host is not a public address")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:  # a redirect could lead past the guard
        return None


def post(url: str, body: str, headers: dict[str, str], timeout_s: float = 5.0) -> tuple[int | None, str | None]:
    """POSTs one delivery; (status code, None) or (None, error). Never follows redirects."""
    try:
        check_target(url)
    except UnsafeTarget as exc:
        return None, f"refused: {exc}"
    request = urllib.request.Request(  # noqa: S310 - check_target allowed only https (http to loopback locally)
        url, data=body.encode(), method="POST", headers={"content-type": "application/json", **headers}
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout_s) as answer:
            return int(answer.status), None
    except urllib.error.HTTPError as err:
        return int(err.code), None
    except (urllib.error.URLError, TimeoutError, OSError) as err:
        return None, type(err).__name__
