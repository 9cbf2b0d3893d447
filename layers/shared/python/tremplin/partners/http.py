"""The outbound delivery client: one POST to a partner's URL, https to public addresses only,
connecting to the very address that was checked, never following redirects.

Public means global unicast, an allow-list: whatever no registry calls globally reachable (shared
address space, metadata, private and reserved ranges, and what Python adds later) is refused, and
an IPv6 address that carries an IPv4 one (mapped, 6to4, Teredo, NAT64) is judged by that too.
The host is resolved once per attempt and the connection goes to those addresses only.

One deadline covers the whole attempt (lookup, connect, TLS, send, status line and headers):
every read and write shortens the socket timeout to what is left, so a server trickling bytes
cannot hold the caller. Any failure is a failed attempt with a short reason, never an exception.
"""

from __future__ import annotations

import http.client
import ipaddress
import math
import socket
import ssl
import threading
import time
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import SplitResult, urlsplit

from tremplin.settings import get_settings

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer, WriteableBuffer

# The whole of one attempt, seconds. Partners are told to answer within it (acknowledge, then
# work); the delivery worker and the retry sweep plan their time around it.
DEADLINE_S = 10.0


class UnsafeTarget(ValueError):
    """A webhook URL that must not be called (SSRF guard)."""


# Not globally reachable, though some Python versions say they are: local-use NAT64 (RFC 8215).
_NOT_GLOBAL = (ipaddress.IPv6Network("64:ff9b:1::/48"),)
# IPv6 ranges whose last 32 bits are an IPv4 address the packets go on to: well-known NAT64
# (RFC 6052) and the deprecated IPv4-compatible form.
_CARRY_IPV4 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("::/96"))


def _carried_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 one leads to (6to4, Teredo, NAT64): they must be public too."""
    carried = [ip.sixtofour] if ip.sixtofour else []
    carried += list(ip.teredo or ())
    if any(ip in net for net in _CARRY_IPV4):
        carried.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return carried


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Global unicast only (an allow-list: a range nobody thought of is refused, not let through)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return _is_public(ip.ipv4_mapped)  # ::ffff:10.0.0.1 is 10.0.0.1 on the wire
    if ip.is_multicast or not ip.is_global or any(ip in net for net in _NOT_GLOBAL):
        return False
    return isinstance(ip, ipaddress.IPv4Address) or all(_is_public(v4) for v4 in _carried_ipv4(ip))


def _resolve(host: str, port: int, timeout_s: float) -> list[str]:
    """The host's addresses; the lookup runs in a helper thread so a slow resolver cannot hold the
    caller past `timeout_s` (getaddrinfo itself has no timeout)."""
    found: list[Any] = []

    def lookup() -> None:
        try:
            found.append(socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP))
        except (OSError, UnicodeError) as exc:  # UnicodeError: a name IDNA cannot encode
            found.append(exc)

    worker = threading.Thread(target=lookup, name="webhook-dns", daemon=True)
    worker.start()
    worker.join(max(timeout_s, 0.0))
    if not found:
        raise UnsafeTarget("the host name did not resolve in time")
    if isinstance(found[0], BaseException):
        raise UnsafeTarget("the host name does not resolve")
    return list(dict.fromkeys(str(info[4][0]) for info in found[0]))


def _checked(url: str, timeout_s: float) -> tuple[SplitResult, int, list[str]]:
    """The URL's parts, port and addresses, once all of them are allowed."""
    parts = urlsplit(url)
    local = get_settings().local_stack
    if parts.scheme != "https" and not (local and parts.scheme == "http"):
        raise UnsafeTarget("the URL must use https")
    if not parts.hostname:
        raise UnsafeTarget("the URL has no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeTarget("the URL's port is not valid") from None
    addresses = _resolve(parts.hostname, port, timeout_s)
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1 on the wire
        if local and ip.is_loopback:
            continue
        if not _is_public(ip):
            raise UnsafeTarget("the host is not a public address")
    return parts, port, addresses


def check_target(url: str) -> None:
    """https only, to public addresses; the local stack may also call loopback over http. Checked
    when a subscription is saved and again at every attempt (DNS answers change)."""
    _checked(url, DEADLINE_S)


# ---------------------------------------------------------------- sockets bound by a deadline


def _arm(sock: socket.socket, deadline: float) -> None:
    """Sets the socket's timeout to what is left of `deadline`; TimeoutError once it passed."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the attempt's deadline passed")
    sock.settimeout(left)


class _DeadlineSocket(socket.socket):
    deadline = math.inf

    def recv_into(self, buffer: WriteableBuffer, nbytes: int = 0, flags: int = 0) -> int:
        _arm(self, self.deadline)
        return super().recv_into(buffer, nbytes, flags)

    def sendall(self, data: ReadableBuffer, flags: int = 0) -> None:
        _arm(self, self.deadline)
        super().sendall(data, flags)


class _DeadlineTLSSocket(ssl.SSLSocket):
    deadline = math.inf

    def recv_into(self, buffer: WriteableBuffer, nbytes: int | None = None, flags: int = 0) -> int:
        _arm(self, self.deadline)
        return super().recv_into(buffer, nbytes, flags)

    def sendall(self, data: ReadableBuffer, flags: int = 0) -> None:
        _arm(self, self.deadline)
        super().sendall(data, flags)


@cache
def _tls() -> ssl.SSLContext:
    context = ssl.create_default_context()  # verifies the certificate and the host name
    context.sslsocket_class = _DeadlineTLSSocket
    return context


class _Connection(http.client.HTTPConnection):
    """An HTTP(S) connection to one of the checked addresses, whose every step keeps to the
    deadline. The Host header and TLS (SNI, certificate check) use the URL's host name."""

    def __init__(self, host: str, port: int, addresses: list[str], tls: bool, deadline: float):
        self.default_port = 443 if tls else 80  # so the Host header leaves out a default port
        super().__init__(host, port)
        self._addresses, self._tls, self._deadline = addresses, tls, deadline

    def connect(self) -> None:
        failure: OSError = OSError("no address to connect to")
        for address in self._addresses:
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sock = _DeadlineSocket(family, socket.SOCK_STREAM)
            sock.deadline = self._deadline
            try:
                _arm(sock, self._deadline)
                sock.connect((address, self.port))
                break
            except OSError as exc:
                sock.close()
                failure = exc
                if isinstance(exc, TimeoutError):
                    raise
        else:
            raise failure
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if not self._tls:
            self.sock = sock
            return
        tls = _tls().wrap_socket(sock, server_hostname=self.host, do_handshake_on_connect=False)
        if not isinstance(tls, _DeadlineTLSSocket):  # the context's sslsocket_class is ours
            raise TypeError("the TLS context made a socket without a deadline")
        tls.deadline = self._deadline
        _arm(tls, self._deadline)
        tls.do_handshake()  # CPython keeps one deadline across the handshake's reads and writes
        self.sock = tls


def _reason(exc: Exception, deadline_s: float) -> str:
    """A short account of a failed attempt: never the peer's own bytes."""
    if isinstance(exc, TimeoutError):
        return f"no answer within {deadline_s:g} s"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the connection closed without an answer"
    if isinstance(exc, http.client.BadStatusLine):
        return "the answer is not HTTP"
    if isinstance(exc, http.client.HTTPException):
        return f"the answer is not valid HTTP ({type(exc).__name__})"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return "TLS: the certificate is not trusted for this host"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error ({exc.reason or type(exc).__name__})"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset"
    if isinstance(exc, OSError):
        return f"network error ({type(exc).__name__})"
    return f"failed ({type(exc).__name__})"


def post(
    url: str, body: str, headers: dict[str, str], deadline_s: float | None = None
) -> tuple[int | None, str | None]:
    """POSTs one delivery within `deadline_s` (DEADLINE_S by default) in all; (status code, None)
    or (None, a short reason). Never follows redirects (a 3xx is a status like any other) and
    never raises for anything the network or the partner does."""
    limit = DEADLINE_S if deadline_s is None else deadline_s
    deadline = time.monotonic() + limit
    connection: _Connection | None = None
    try:
        parts, port, addresses = _checked(url, limit)
        connection = _Connection(str(parts.hostname), port, addresses, parts.scheme == "https", deadline)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request(
            "POST",
            target,
            body=body.encode(),
            headers={"content-type": "application/json", "user-agent": "tremplin-webhooks", **headers},
        )
        return int(connection.getresponse().status), None
    except UnsafeTarget as exc:
        return None, f"refused: {exc}"
    except Exception as exc:  # a partner's endpoint can do anything: every failure is a failed attempt
        return None, _reason(exc, limit)
    finally:
        if connection is not None:
            connection.close()
