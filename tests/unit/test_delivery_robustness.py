"""Outbound deliveries that no partner can jam: endpoints answering garbage or trickling bytes
are failed attempts retried later, cut at the attempt's deadline, while every other
organisation's deliveries go out in the same sweep; a backlog of any size is swept without the
cursor secret (the schedules function cannot read it), and a delivery the sweep cannot handle
is recorded and retried on its own.

The partners are real sockets on 127.0.0.1: the healthy one is the shared `partner_receiver`
(pytest-httpserver), broken ones a raw TCP server whose every connection misbehaves the way it
is told (below HTTP, where an HTTP server library does not go).
"""

from __future__ import annotations

import base64
import json
import secrets
import socket
import struct
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Api, PartnerReceiver, all_items, shared_host

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
EVENTS = Path(__file__).resolve().parents[2] / "events"
# What template.yaml gives every function, the schedules function included, which may not read it.
CURSOR_SECRET_ARN = "arn:aws:secretsmanager:eu-central-2:123456789012:secret:tremplin-cursor-AbCdEf"


def iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------- partners on loopback


class BrokenEndpoint:
    """A partner's endpoint on loopback that reads each request whole, then:

    garbage   answers bytes that are not HTTP, and closes
    silent    closes without answering
    endless   sends a status line that never ends (70 kB without a line break), and closes
    reset     resets the connection (RST)
    trickle   answers "HTTP/1.1 200 OK" and endless headers one byte per second, for as long
              as the client listens (at most 60 s): every single read is answered in time
    """

    def __init__(self, mode: str):
        self.mode = mode
        self.connections = 0
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}/hooks"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    @staticmethod
    def _read_request(conn: socket.socket) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = next(
            (int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")),
            0,
        )
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return
            body += chunk

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(60)
            self._read_request(conn)
            if self.mode == "garbage":
                conn.sendall(b"\x00\xff\x16\x03 this is no HTTP at all\r\n\r\n")
            elif self.mode == "endless":
                conn.sendall(b"HTTP/1.1 200 " + b"x" * 70_000)
            elif self.mode == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            elif self.mode == "trickle":
                answer = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 60
                for byte in answer:
                    if self._stop.wait(1.0):
                        break
                    conn.sendall(bytes([byte]))
        except OSError:
            pass  # the client hung up: that is the point
        finally:
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._listener.close()


@pytest.fixture
def broken() -> Iterator[Any]:
    made: list[BrokenEndpoint] = []

    def make(mode: str) -> BrokenEndpoint:
        made.append(BrokenEndpoint(mode))
        return made[-1]

    yield make
    for endpoint in made:
        endpoint.close()


# ---------------------------------------------------------------- organisations and their deliveries


class Partners:
    """Organisations with a webhook secret and a subscription, and deliveries due for a retry,
    written the way the delivery worker writes them after a failed first attempt."""

    def __init__(self, aws: dict[str, Any]):
        from tremplin import clock

        self.aws = aws
        self.secrets: dict[str, str] = {}
        clock.pin(NOW)

    def org(self, url: str) -> str:
        from tremplin.data import secret_box
        from tremplin.data import webhooks as store

        org_id = f"org_{uuid.uuid4().hex[:12]}"
        secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
        store.put_secret(org_id, secret_box.seal(org_id, secret), iso(NOW - timedelta(days=1)), None, None)
        store.put_subscription(
            {"org_id": org_id, "url": url, "events": ["application.created"], "updated_at": iso(NOW)}
        )
        self.secrets[org_id] = secret
        return org_id

    def due(self, org_id: str, url: str, count: int = 1, *, age: timedelta = timedelta(minutes=2)) -> list[str]:
        """`count` deliveries whose first attempt failed `age` ago, due since a minute after it."""
        from tremplin.data import webhooks as store

        ids = []
        for n in range(count):
            created = NOW - age - timedelta(seconds=count - n)  # the first is the oldest
            delivery_id = f"evt_{uuid.uuid4().hex}"
            payload = {"type": "application.created", "timestamp": iso(created), "data": {"n": n, "org": org_id}}
            store.save_delivery(
                {
                    "delivery_id": delivery_id,
                    "org_id": org_id,
                    "event_type": "application.created",
                    "url": url,
                    "payload": json.dumps(payload),
                    "status": "pending",
                    "attempts": [{"at": iso(created), "status_code": 500}],
                    "created_at": iso(created),
                    "next_attempt_at": iso(created + timedelta(minutes=1)),
                },
                0,
            )
            ids.append(delivery_id)
        return ids

    def deliveries(self) -> dict[str, dict[str, Any]]:
        return {i["delivery_id"]: i for i in all_items(self.aws["Table"]) if i.get("type") == "delivery"}


@pytest.fixture
def partners(aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Partners:
    """The schedules function's own settings: the cursor secret's ARN that it cannot read."""
    from tremplin.data import pagination, reset

    monkeypatch.setenv("CURSOR_SECRET_ARN", CURSOR_SECRET_ARN)
    reset()
    with pytest.raises(Exception, match="GetSecretValue"):  # any signed cursor would fail here
        pagination.encode_cursor({"PK": "x", "SK": "y"}, "due")
    return Partners(aws)


def sweep(api: Api) -> int:
    """The retry-deliveries schedule, run by the schedules function as EventBridge runs it."""
    answer = api.call("POST", "/_local/schedules/retry-deliveries")
    assert answer.status == 200, answer.body
    return int(answer.body["result"]["handled"])


def at(minutes: float) -> None:
    from tremplin import clock

    clock.pin(NOW + timedelta(minutes=minutes))


def verified(receiver: PartnerReceiver, partners: Partners) -> list[str]:
    """The webhook-ids the healthy partner received, each signature checked with its org's secret."""
    for delivery in receiver.deliveries:
        delivery.verify(partners.secrets[delivery.json()["data"]["org"]])
    return receiver.ids


# ---------------------------------------------------------------- a backlog, without the cursor secret


def test_150_due_deliveries_across_organisations_are_all_retried_in_one_sweep(
    partners: Partners, api: Api, partner_receiver: PartnerReceiver
) -> None:
    url = partner_receiver.url
    due = [d for _ in range(5) for d in partners.due(partners.org(url), url, 30)]
    assert sweep(api) == 150
    stored = partners.deliveries()
    assert {d: (stored[d]["status"], len(stored[d]["attempts"])) for d in due} == dict.fromkeys(due, ("delivered", 2))
    assert all("GSI4PK" not in stored[d] for d in due)
    assert sorted(verified(partner_receiver, partners)) == sorted(due)  # each POSTed once, signed by its org
    assert sweep(api) == 0  # nothing is due any more


def test_150_due_entries_of_another_kind_are_all_read_without_the_cursor_secret(partners: Partners) -> None:
    from tremplin.data import applications, due, keys
    from tremplin.data.dynamo import table

    with table().batch_writer() as batch:
        for n in range(155):
            app_id = f"app_{n:04d}"
            expires = NOW + timedelta(minutes=n - 149)  # the last one due expires now, five later
            batch.put_item(
                Item={
                    "PK": f"APP#{app_id}",
                    "SK": "APP",
                    "type": "application",
                    "application_id": app_id,
                    "offer_expires_at": iso(expires),
                    **keys.due_index("offer", iso(expires), app_id),
                }
            )
    until = iso(NOW)
    expected = [f"app_{n:04d}" for n in range(150)]  # oldest first
    assert [i["application_id"] for i in due.items("offer", until)] == expected
    assert [i["application_id"] for i in due.each("offer", until)] == expected
    assert [i["application_id"] for i in applications.due("offer", until)] == expected  # what the sweeps use
    assert all("PK" not in i and "GSI4SK" not in i for i in due.items("offer", until))


# ---------------------------------------------------------------- endpoints that misbehave


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("garbage", "the answer is not HTTP"),
        ("silent", "the connection closed without an answer"),
        ("endless", "the answer is not valid HTTP (LineTooLong)"),
        ("reset", None),
    ],
)
def test_an_endpoint_answering_garbage_is_a_failed_attempt_retried_later_and_others_are_delivered(
    partners: Partners, api: Api, partner_receiver: PartnerReceiver, broken: Any, mode: str, reason: str | None
) -> None:
    bad = broken(mode)
    [stuck] = partners.due(partners.org(bad.url), bad.url, age=timedelta(minutes=3))  # the oldest
    good_url = partner_receiver.url
    fine = [d for _ in range(3) for d in partners.due(partners.org(good_url), good_url, 2)]

    assert sweep(api) == 7
    stored = partners.deliveries()
    assert all(stored[d]["status"] == "delivered" for d in fine)
    assert sorted(verified(partner_receiver, partners)) == sorted(fine)
    failed = stored[stuck]
    assert failed["status"] == "pending"
    last = failed["attempts"][-1]
    assert "status_code" not in last and last["error"]
    if reason:
        assert last["error"] == reason
    else:
        assert last["error"] in {"connection reset", "the connection closed without an answer"}
    assert failed["next_attempt_at"] == iso(NOW + timedelta(minutes=5))  # the second retry's wait
    assert failed["GSI4SK"].startswith(failed["next_attempt_at"])

    at(5)  # due again: tried again, and again a failed attempt
    assert sweep(api) == 1
    assert bad.connections == 2
    again = partners.deliveries()[stuck]
    assert (again["status"], len(again["attempts"])) == ("pending", 3)
    assert again["next_attempt_at"] == iso(NOW + timedelta(minutes=35))


def test_an_endpoint_trickling_bytes_is_cut_at_the_deadline_and_holds_up_no_one_else(
    partners: Partners, api: Api, partner_receiver: PartnerReceiver, broken: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tremplin.partners import http

    deadline = 2.0
    monkeypatch.setattr(http, "DEADLINE_S", deadline)
    sweep(api)  # the schedules function started (its cold start is not the sweep's)
    slow = broken("trickle")
    slow_org = partners.org(slow.url)
    first, *rest = partners.due(slow_org, slow.url, 3, age=timedelta(minutes=3))  # the oldest of all
    good_url = partner_receiver.url
    fine = [d for _ in range(3) for d in partners.due(partners.org(good_url), good_url, 2)]
    before = partners.deliveries()

    started = time.monotonic()
    handled = sweep(api)
    took = time.monotonic() - started

    stored = partners.deliveries()
    assert all(stored[d]["status"] == "delivered" for d in fine)  # in the same sweep
    assert sorted(verified(partner_receiver, partners)) == sorted(fine)
    cut = stored[first]
    assert (cut["status"], cut["attempts"][-1]) == ("pending", {"at": iso(NOW), "error": "no answer within 2 s"})
    # An endpoint slow to fail gets no more attempts in this sweep: its other deliveries wait, due.
    assert slow.connections == 1
    assert all(stored[d] == before[d] for d in rest)
    assert handled == 1 + len(fine)
    assert took < 2 * deadline  # one deadline, not one per delivery, and no one waited for it


def test_the_sweep_starts_no_attempt_that_could_outlast_its_budget(
    partners: Partners, broken: Any, partner_receiver: PartnerReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tremplin.partners import http, outbound

    monkeypatch.setattr(http, "DEADLINE_S", 1.0)
    monkeypatch.setattr(outbound, "SWEEP_WORKERS", 1)
    slow_ones = [broken("trickle") for _ in range(4)]
    for n, slow in enumerate(slow_ones):
        partners.due(partners.org(slow.url), slow.url, age=timedelta(minutes=10 - n))
    good_url = partner_receiver.url
    [waiting] = partners.due(partners.org(good_url), good_url)
    before = partners.deliveries()[waiting]

    started = time.monotonic()
    tried = outbound.retry_due(budget_s=2.5)
    assert time.monotonic() - started < 2.5 + 0.5
    assert 1 <= tried < 5
    assert partners.deliveries()[waiting] == before  # left due, for the next sweep
    assert sum(s.connections for s in slow_ones) == tried


def test_one_organisation_takes_at_most_its_share_of_a_sweep(
    partners: Partners, api: Api, partner_receiver: PartnerReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tremplin.partners import outbound

    monkeypatch.setattr(outbound, "SWEEP_PER_ORG", 20)
    url = partner_receiver.url
    flood = partners.due(partners.org(url), url, 60, age=timedelta(minutes=30))  # older than anyone's
    [other] = partners.due(partners.org(url), url)
    assert sweep(api) == 21
    stored = partners.deliveries()
    assert stored[other]["status"] == "delivered"
    assert [stored[d]["status"] for d in flood] == ["delivered"] * 20 + ["pending"] * 40  # oldest first
    assert sweep(api) == 20


# ---------------------------------------------------------------- deliveries the sweep cannot handle


def test_a_delivery_that_cannot_be_handled_is_recorded_and_retried_without_stopping_the_rest(
    partners: Partners, api: Api, partner_receiver: PartnerReceiver
) -> None:
    from tremplin.data import secret_box
    from tremplin.data.dynamo import table

    url = partner_receiver.url
    org = partners.org(url)
    malformed, parked, fine = partners.due(org, url, 3, age=timedelta(minutes=3))
    unsigned_org = partners.org(url)
    [unsigned] = partners.due(unsigned_org, url)
    items = {i["delivery_id"]: i for i in all_items(partners.aws["Table"]) if i.get("type") == "delivery"}
    # A stored delivery without its payload (a bug somewhere), another on its last retry, and an
    # organisation whose stored secret cannot sign.
    table().put_item(Item={k: v for k, v in items[malformed].items() if k != "payload"})
    table().put_item(
        Item={**{k: v for k, v in items[parked].items() if k != "url"}, "attempts": items[parked]["attempts"] * 7}
    )
    table().update_item(
        Key={"PK": f"ORG#{unsigned_org}", "SK": "SECRET"},
        UpdateExpression="SET #c = :c",
        ExpressionAttributeNames={"#c": "current_ciphertext"},
        ExpressionAttributeValues={":c": secret_box.seal(unsigned_org, "whsec_not-base64!")},
    )

    assert sweep(api) == 4
    stored = partners.deliveries()
    assert stored[fine]["status"] == "delivered"
    assert verified(partner_receiver, partners) == [fine]
    retried = stored[malformed]
    assert retried["status"] == "pending"
    assert retried["attempts"][-1] == {
        "at": iso(NOW),
        "error": "not sent: the delivery could not be handled (KeyError)",
    }
    assert retried["next_attempt_at"] == iso(NOW + timedelta(minutes=5))
    assert retried["GSI4SK"] == f"{retried['next_attempt_at']}#{malformed}"
    assert stored[parked]["status"] == "failed"
    assert "GSI4SK" not in stored[parked] and "next_attempt_at" not in stored[parked]
    assert len(stored[parked]["attempts"]) == 8
    assert stored[unsigned]["status"] == "pending"
    assert stored[unsigned]["attempts"][-1]["error"].startswith("the webhook secret cannot sign")

    at(5)
    assert sweep(api) == 2  # the malformed one and the unsigned one, each on its own schedule
    assert len(partners.deliveries()[malformed]["attempts"]) == 3


# ---------------------------------------------------------------- the delivery worker


def _sqs_event(messages: list[dict[str, Any]]) -> dict[str, Any]:
    sample = json.loads((EVENTS / "delivery_worker" / "event-sqs-deliveries.json").read_text())["Records"][0]
    return {"Records": [sample | {"messageId": str(uuid.uuid4()), "body": json.dumps(m)} for m in messages]}


def _message(org_id: str) -> dict[str, Any]:
    return {
        "event_id": f"evt_{uuid.uuid4().hex}",
        "org_id": org_id,
        "type": "application.created",
        "data": {"org": org_id},
        "created_at": iso(NOW),
    }


@pytest.mark.parametrize("mode", ["garbage", "silent", "endless", "reset", "trickle"])
def test_the_delivery_worker_records_a_failed_first_attempt_whatever_the_endpoint_does(
    partners: Partners, partner_receiver: PartnerReceiver, broken: Any, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    from tremplin.partners import outbound

    monkeypatch.setattr(outbound, "FIRST_ATTEMPT_DEADLINE_S", 1.0)
    bad = broken(mode)
    bad_org, good_org = partners.org(bad.url), partners.org(partner_receiver.url)
    messages = [_message(bad_org), _message(bad_org), _message(good_org)]

    started = time.monotonic()
    answer = shared_host().invoke("DeliveryWorkerFunction", _sqs_event(messages))
    assert time.monotonic() - started < len(messages) * 1.0 + 1.0
    assert answer == {"batchItemFailures": []}  # nothing comes back, nothing is parked
    stored = partners.deliveries()
    assert [stored[m["event_id"]]["status"] for m in messages] == ["pending", "pending", "delivered"]
    for failed in messages[:2]:
        [attempt] = stored[failed["event_id"]]["attempts"]
        assert "status_code" not in attempt and attempt["error"]
        assert stored[failed["event_id"]]["next_attempt_at"] == iso(NOW + timedelta(minutes=1))
    if mode == "trickle":
        assert stored[messages[0]["event_id"]]["attempts"][0]["error"] == "no answer within 1 s"


# ---------------------------------------------------------------- the client on its own, over TLS


@pytest.fixture
def tls_files(tmp_path: Path) -> dict[str, Path]:
    """A certificate authority and a certificate it signed for localhost (and 127.0.0.1)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(common: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])

    now = datetime.now(UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("Test CA"))
        .issuer_name(name("Test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    leaf = (
        x509.CertificateBuilder()
        .subject_name(name("localhost"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    files = {"ca": tmp_path / "ca.pem", "cert": tmp_path / "cert.pem", "key": tmp_path / "key.pem"}
    files["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files["cert"].write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    files["key"].write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return files


@pytest.fixture
def tls_partner(tls_files: dict[str, Path]) -> Iterator[PartnerReceiver]:
    """The shared partner receiver, over TLS with the test authority's certificate."""
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tls_files["cert"], tls_files["key"])
    with PartnerReceiver(ssl_context=context) as receiver:
        yield receiver


@pytest.fixture
def trusting(tls_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The client trusts the test authority, as it trusts the public ones in AWS."""
    from tremplin.partners import http

    monkeypatch.setenv("SSL_CERT_FILE", str(tls_files["ca"]))
    http._tls.cache_clear()
    yield
    http._tls.cache_clear()


def test_a_post_over_tls_reaches_the_checked_address_with_the_url_s_host_name(
    aws: dict[str, Any], tls_partner: PartnerReceiver, trusting: None
) -> None:
    from tremplin.partners import http

    port = tls_partner.server.port
    assert http.post(f"https://localhost:{port}/hooks?v=1", '{"a": 1}', {"webhook-id": "msg_1"}) == (204, None)
    [delivery] = tls_partner.deliveries
    assert (delivery.host, delivery.path, delivery.webhook_id) == (f"localhost:{port}", "/hooks?v=1", "msg_1")
    assert delivery.json() == {"a": 1}
    # A redirect is an answer like any other: never followed.
    tls_partner.answer(302, headers={"location": "/hooks"})
    assert http.post(f"https://localhost:{port}/moved", "{}", {}) == (302, None)
    assert [d.path for d in tls_partner.deliveries] == ["/hooks?v=1", "/moved"]


def test_a_certificate_nobody_vouches_for_is_a_failed_attempt(
    aws: dict[str, Any], tls_partner: PartnerReceiver
) -> None:
    from tremplin.partners import http

    url = f"https://localhost:{tls_partner.server.port}/hooks"
    assert http.post(url, "{}", {}) == (None, "TLS: the certificate is not trusted for this host")
    assert tls_partner.deliveries == []


def test_a_tls_handshake_that_never_ends_is_cut_at_the_deadline(aws: dict[str, Any], broken: Any) -> None:
    from tremplin.partners import http

    mute = broken("garbage")  # reads the client's hello, waits for a request that never comes
    started = time.monotonic()
    assert http.post(mute.url.replace("http://", "https://"), "{}", {}, deadline_s=1.0) == (
        None,
        "no answer within 1 s",
    )
    assert time.monotonic() - started < 2.0


def test_the_ssrf_guard_still_refuses_before_connecting(aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from tremplin.data import reset
    from tremplin.partners import http

    monkeypatch.setenv("LOCAL_STACK", "false")
    reset()
    assert http.post("http://127.0.0.1:9/hooks", "{}", {}) == (None, "refused: the URL must use https")
    assert http.post("https://127.0.0.1:9/hooks", "{}", {}) == (None, "refused: the host is not a public address")
    mapped = "https://[::ffff:10.0.0.1]/hooks"  # 10.0.0.1 under an IPv6 name
    assert http.post(mapped, "{}", {}) == (None, "refused: the host is not a public address")
    assert http.post("https://localhost:99999/hooks", "{}", {}) == (None, "refused: the URL's port is not valid")
