"""Egress: partner deliveries reach global unicast addresses only, refused when a subscription is
saved and again at every attempt, and each attempt connects to the very address it checked."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from tests.helpers import Api, create_org

PUBLIC = "93.184.215.14"
NOT_PUBLIC = {
    "shared address space": "https://100.64.0.1/hooks",
    "6to4 of 10.0.0.1": "https://[2002:0a00:0001::1]/hooks",
    "IPv4-mapped loopback": "https://[::ffff:127.0.0.1]/hooks",
    "instance metadata": "https://169.254.169.254/latest/meta-data",
    "a name for 10.0.0.5": "https://intranet.partner.example/hooks",
}
REFUSED = (None, "refused: the host is not a public address")


class Resolver:
    """socket.getaddrinfo with made-up names: each lookup of a name gets its next answer (the
    last one repeated); other names are resolved as usual (IP literals)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]):
        self.answers, self.lookups = answers, dict.fromkeys(answers, 0)
        real = socket.getaddrinfo

        def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            if host not in self.answers:
                return real(host, port, *args, **kwargs)
            turn, self.lookups[host] = self.lookups[host], self.lookups[host] + 1
            address = self.answers[host][min(turn, len(self.answers[host]) - 1)]
            if ":" in address:
                return [(socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port, 0, 0))]
            return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> Resolver:
    return Resolver(
        monkeypatch,
        {
            "intranet.partner.example": ["10.0.0.5"],
            "hooks.partner.example": [PUBLIC],
            "rebind.partner.example": [PUBLIC, "127.0.0.1"],
        },
    )


@pytest.fixture
def in_aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Settings as in AWS: no loopback exception (that is the local stack's alone)."""
    from tremplin.data import reset

    monkeypatch.setenv("LOCAL_STACK", "false")
    reset()
    yield
    reset()


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Where the client's sockets connect; every connection is refused, so nothing leaves."""
    from tremplin.partners import http

    seen: list[tuple[str, int]] = []

    class Recording(http._DeadlineSocket):
        def connect(self, address: Any) -> None:
            seen.append((str(address[0]), int(address[1])))
            raise ConnectionRefusedError

    monkeypatch.setattr(http, "_DeadlineSocket", Recording)
    return seen


def _subscribe(api: Api, url: str) -> Any:
    org = create_org(api)
    return api.call(
        "PUT",
        f"/organisations/{org}/webhook",
        token=api.employer(org),
        json_body={"url": url, "events": ["hours.approved"]},
    )


@pytest.mark.parametrize("url", NOT_PUBLIC.values(), ids=NOT_PUBLIC.keys())
def test_an_attempt_to_an_address_that_is_not_global_unicast_is_refused_before_connecting(
    in_aws: None, resolver: Resolver, connects: list[tuple[str, int]], url: str
) -> None:
    from tremplin.partners import http

    assert http.post(url, "{}", {}) == REFUSED
    assert connects == []


@pytest.mark.parametrize("url", NOT_PUBLIC.values(), ids=NOT_PUBLIC.keys())
def test_a_subscription_to_an_address_that_is_not_global_unicast_is_refused(
    aws: dict[str, Any], api: Api, in_aws: None, resolver: Resolver, url: str
) -> None:
    answer = _subscribe(api, url)
    assert answer.status == 422, answer.body
    assert answer.body["error"]["code"] == "validation_failed"
    assert answer.body["error"]["details"] == [{"field": "url", "message": "the host is not a public address"}]


@pytest.mark.parametrize("url", [f"https://{PUBLIC}/hooks", "https://hooks.partner.example/hooks"])
def test_a_public_address_is_subscribed_and_connected_to(
    aws: dict[str, Any], api: Api, in_aws: None, resolver: Resolver, connects: list[tuple[str, int]], url: str
) -> None:
    from tremplin.partners import http

    answer = _subscribe(api, url)
    assert answer.status == 200, answer.body
    assert http.post(url, "{}", {}) == (None, "connection refused")  # the fake socket's answer
    assert connects == [(PUBLIC, 443)]


def test_a_name_rebound_to_loopback_within_an_attempt_is_never_connected_to(
    in_aws: None, resolver: Resolver, connects: list[tuple[str, int]]
) -> None:
    """The name answers a public address first and loopback after: the attempt resolves once,
    so it connects to the public address it checked, never to what a second lookup says."""
    from tremplin.partners import http

    assert http.post("https://rebind.partner.example/hooks", "{}", {}) == (None, "connection refused")
    assert connects == [(PUBLIC, 443)]
    assert resolver.lookups["rebind.partner.example"] == 1


def test_a_name_rebound_to_loopback_after_it_was_saved_is_refused_at_the_next_attempt(
    aws: dict[str, Any], api: Api, in_aws: None, resolver: Resolver, connects: list[tuple[str, int]]
) -> None:
    from tremplin.partners import http

    url = "https://rebind.partner.example/hooks"
    assert _subscribe(api, url).status == 200  # the name was public then
    assert http.post(url, "{}", {}) == REFUSED
    assert connects == []


def test_the_local_stack_still_calls_loopback_receivers(resolver: Resolver, connects: list[tuple[str, int]]) -> None:
    """The one exception, local only: the stack's own tests deliver to a receiver on loopback."""
    from tremplin.data import reset
    from tremplin.partners import http

    with pytest.MonkeyPatch.context() as env:
        env.setenv("LOCAL_STACK", "true")
        reset()
        assert http.post("http://127.0.0.1:8080/hooks", "{}", {}) == (None, "connection refused")
        assert http.post("https://100.64.0.1/hooks", "{}", {}) == REFUSED
    reset()
    assert connects == [("127.0.0.1", 8080)]
