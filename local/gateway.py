"""The local HTTP API: serves every HttpApi route of template.yaml, building the
API Gateway v2 event (and JWT authorizer claims) that AWS would, and invoking the
handler in process. Adds the local extras of API.md under /_local/."""

from __future__ import annotations

import base64
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from local import sms as local_sms
from local import template, web
from local.auth import LocalIssuer
from local.functions import FunctionHost
from local.queues import QueuePoller
from local.resources import ACCOUNT

log = logging.getLogger("tremplin.local.gateway")

ROLES = ("participant", "employer", "caseworker", "admin")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _error(code: str, message: str, details: list[Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def match(routes: list[template.Route], method: str, path: str) -> tuple[template.Route, dict[str, str]] | None:
    for route in routes:  # most specific first, as API Gateway picks
        if route.method == method:
            m = route.pattern.match(path)
            if m:
                return route, m.groupdict()
    return None


def allowed_methods(routes: list[template.Route], path: str) -> list[str]:
    """The methods some route (or the web front end) answers on `path`; none: an unknown path."""
    methods = {route.method for route in routes if route.pattern.match(path)}
    if web.serves("GET", path):
        methods.add("GET")
    return sorted(methods)


def _cors() -> dict[str, Any]:
    cors: dict[str, Any] = template.load().get("Globals", {}).get("HttpApi", {}).get("CorsConfiguration", {})
    return cors


def allowed_origin(headers: dict[str, str]) -> str | None:
    """What API Gateway answers in Access-Control-Allow-Origin: the request's Origin when the
    template's CorsConfiguration allows it ("*" when it allows any), else nothing. The origin it
    names with an intrinsic is the deployed web front end's (CloudFront's domain): here that is
    the stack's own, which serves web/ as well."""
    origin = headers.get("origin")
    if origin is None:
        return None
    for allowed in _cors().get("AllowOrigins", ["*"]):
        if allowed == "*":
            return "*"
        if allowed == origin or (not isinstance(allowed, str) and same_origin(headers)):
            return origin
    return None


def cors_headers(headers: dict[str, str]) -> dict[str, str]:
    """The CORS headers of an answer to the API (none for an origin the template does not allow)."""
    origin = allowed_origin(headers)
    if origin is None:
        return {}
    return {"Access-Control-Allow-Origin": origin} | ({} if origin == "*" else {"Vary": "Origin"})


def cors_preflight(headers: dict[str, str]) -> dict[str, str]:
    """The preflight answer's headers, as template.yaml's HttpApi CorsConfiguration has API Gateway give them."""
    allow = cors_headers(headers)
    if not allow:
        return {}
    cors = _cors()
    return allow | {
        "Access-Control-Allow-Headers": ", ".join(cors.get("AllowHeaders", [])),
        "Access-Control-Allow-Methods": ", ".join(cors.get("AllowMethods", [])),
    }


def local_extra(path: str) -> bool:
    """/_local/*: the local stack's own extras, never deployed, for its own pages and tools only."""
    return path.startswith("/_local/")


def same_origin(headers: dict[str, str]) -> bool:
    """Whether a request comes from the stack's own pages, or from no page at all (curl, the tests).
    Browsers name the page's origin on every POST and every cross-origin request; the stack's own
    is http:// and the Host it was reached by, a loopback name: not a DNS name rebound to 127.0.0.1."""
    origin = headers.get("origin")
    if origin is None:
        return True
    host = headers.get("host", "")
    try:
        hostname = urlsplit(f"http://{host}").hostname
    except ValueError:
        return False
    return bool(host) and origin == f"http://{host}" and hostname in LOOPBACK


def method_not_allowed(allowed: list[str]) -> tuple[int, dict[str, str], bytes]:
    status, headers, body = _json(405, _error("method_not_allowed", f"This path answers only {', '.join(allowed)}."))
    return status, headers | {"Allow": ", ".join(allowed)}, body


def build_event(
    route: template.Route, params: dict[str, str], method: str, target: str, headers: dict[str, str], body: bytes
) -> dict[str, Any]:
    """The API Gateway v2 (payload format 2.0) event AWS hands to the function."""
    parts = urlsplit(target)
    query: dict[str, str] = {}
    for k, v in parse_qsl(parts.query, keep_blank_values=True):
        query[k] = f"{query[k]},{v}" if k in query else v  # HTTP APIs join repeated keys with commas
    try:
        text, is_b64 = body.decode("utf-8"), False
    except UnicodeDecodeError:
        text, is_b64 = base64.b64encode(body).decode(), True
    now = time.time()
    context: dict[str, Any] = {
        "accountId": ACCOUNT,
        "apiId": "local",
        "domainName": headers.get("host", "127.0.0.1"),
        "domainPrefix": "local",
        "http": {
            "method": method,
            "path": parts.path,
            "protocol": "HTTP/1.1",
            "sourceIp": "127.0.0.1",
            "userAgent": headers.get("user-agent", ""),
        },
        "requestId": str(uuid.uuid4()),
        "routeKey": route.route_key,
        "stage": "$default",
        "time": datetime.now().strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "timeEpoch": int(now * 1000),
    }
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route.route_key,
        "rawPath": parts.path,
        "rawQueryString": parts.query,
        "headers": headers,
        "requestContext": context,
        "isBase64Encoded": is_b64,
    }
    if query:
        event["queryStringParameters"] = query
    if params:
        event["pathParameters"] = params
    if body:
        event["body"] = text
    return event


def route_event(
    routes: list[template.Route], method: str, target: str, headers: dict[str, str], body: bytes
) -> dict[str, Any] | None:
    found = match(routes, method, urlsplit(target).path)
    return build_event(found[0], found[1], method, target, headers, body) if found else None


class ApiGateway:
    """Routing, authorizer and event building, independent of the socket server."""

    def __init__(self, host: FunctionHost, issuer: LocalIssuer, poller: QueuePoller | None):
        self.host = host
        self.issuer = issuer
        self.poller = poller
        self.routes = template.routes()
        self.schedules = {s.payload.get("job", s.name): s for s in template.schedules()}

    # ------------------------------------------------------------ API routes

    def match(self, method: str, path: str) -> tuple[template.Route, dict[str, str]] | None:
        return match(self.routes, method, path)

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        path = urlsplit(target).path
        if local_extra(path):
            if not same_origin(headers):  # else any page a developer visits could mint a token
                return _json(403, _error("forbidden", "The local extras answer the stack's own pages only."))
            return self._local(method, path, body)
        if web.serves(method, path):
            status, out_headers, out = web.serve(path)
            if status >= 400:  # a missing asset: answered in the contract's error body like any other
                return _json(status, _error("not_found", "No such file."))
            return status, out_headers, out
        found = self.match(method, path)
        if found is None:
            allowed = allowed_methods(self.routes, path)
            return method_not_allowed(allowed) if allowed else _json(404, _error("not_found", "No such route."))
        route, params = found
        event = build_event(route, params, method, target, headers, body)
        if not route.public:
            claims = self.issuer.verify(headers.get("authorization"))
            if claims is None:  # API Gateway's authorizer answers before any function runs
                return _json(401, _error("unauthorized", "A valid bearer token is required."))
            event["requestContext"]["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
        try:
            result = self.host.invoke(route.function, event)
        except Exception:
            log.exception("function %s failed", route.function)
            return _json(
                500,
                _error(
                    "internal_error", "Something went wrong on our side; reload to see whether the change was saved."
                ),
            )
        return _proxy_result(result)

    # ------------------------------------------------------------ local extras

    def _local(self, method: str, path: str, body: bytes) -> tuple[int, dict[str, str], bytes]:

        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return _json(400, _error("malformed_json", "The request body is not valid JSON."))
        if not isinstance(data, dict):
            return _json(422, _error("validation_failed", "A JSON object is expected."))
        handlers: dict[tuple[str, str], Callable[[], tuple[int, dict[str, str], bytes]]] = {
            ("POST", "/_local/token"): lambda: self._token(data),
            ("POST", "/_local/clock"): lambda: self._set_clock(data),
            ("DELETE", "/_local/clock"): self._release_clock,
            ("POST", "/_local/drain"): lambda: _json(200, self.poller.drain() if self.poller else {"drained": True}),
            ("GET", "/_local/sms"): lambda: _json(200, {"items": local_sms.sent()}),  # SMS (issue 20): moto's record
        }
        if (method, path) in handlers:
            return handlers[(method, path)]()
        if re.fullmatch(r"/_local/schedules/[^/]+", path):
            return self._run_schedule(path.rsplit("/", 1)[1]) if method == "POST" else method_not_allowed(["POST"])
        allowed = sorted(m for m, p in handlers if p == path)
        return method_not_allowed(allowed) if allowed else _json(404, _error("not_found", "No such local route."))

    def _token(self, data: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        role, sub = data.get("role"), data.get("sub")
        details = []
        if role not in ROLES:
            details.append({"field": "role", "message": f"one of {', '.join(ROLES)}"})
        if not isinstance(sub, str) or not sub:
            details.append({"field": "sub", "message": "a non-empty string"})
        if details:
            return _json(422, _error("validation_failed", "role and sub are required.", details))
        # A caseworker's or admin's token from here counts as signed in with an authenticator app:
        # no Cognito sign-in runs locally, so the sign-in trigger (functions/staff_sign_in) never does.
        token = self.issuer.issue(str(role), str(sub), data.get("org_id"), data.get("participant_id"))
        return _json(200, {"token": token})

    def _set_clock(self, data: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        from tremplin import clock

        try:
            clock.pin(datetime.fromisoformat(str(data.get("now"))))
        except (TypeError, ValueError):
            details = [{"field": "now", "message": "an ISO 8601 time with offset"}]
            return _json(422, _error("validation_failed", "now must be an ISO 8601 time with offset.", details))
        return _json(200, {"now": clock.iso(clock.now())})

    def _release_clock(self) -> tuple[int, dict[str, str], bytes]:
        from tremplin import clock

        clock.pin(None)
        return _json(200, {"now": clock.iso(clock.now())})

    def _run_schedule(self, name: str) -> tuple[int, dict[str, str], bytes]:
        schedule = self.schedules.get(name)
        if schedule is None:
            known = ", ".join(sorted(self.schedules)) or "none"
            return _json(404, _error("not_found", f"No schedule named {name}; known: {known}."))
        result = self.host.invoke(schedule.function, dict(schedule.payload))
        return _json(200, {"schedule": name, "result": result})


def _json(status: int, payload: Any) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(payload).encode()


def _proxy_result(result: Any) -> tuple[int, dict[str, str], bytes]:
    if not isinstance(result, dict) or "statusCode" not in result:
        return _json(200, result)  # HTTP APIs' payload v2 takes a bare JSON answer as a 200
    headers = {k: str(v) for k, v in (result.get("headers") or {}).items()}
    for k, values in (result.get("multiValueHeaders") or {}).items():
        headers[k] = ",".join(map(str, values))
    raw = result.get("body") or ""
    body = base64.b64decode(raw) if result.get("isBase64Encoded") else str(raw).encode()
    return int(result["statusCode"]), headers, body


# http.server's own refusals (before any route is looked at), as error codes of the contract.
SERVER_ERROR_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    411: "length_required",
    413: "payload_too_large",
    414: "uri_too_long",
    431: "headers_too_large",
    500: "internal_error",
    501: "not_implemented",
    505: "http_version_not_supported",
}


def server_error_body(status: int, message: str | None = None) -> bytes:
    try:
        phrase, description = HTTPStatus(status).phrase, HTTPStatus(status).description
    except ValueError:
        phrase, description = "Error", "The request could not be served."
    code = SERVER_ERROR_CODES.get(status) or re.sub(r"[^a-z0-9]+", "_", phrase.lower()).strip("_")
    text = message or description or phrase
    return json.dumps(_error(code, text if text.endswith(".") else f"{text}.")).encode()


def make_server(gateway: ApiGateway, port: int, bind: str = "127.0.0.1") -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _headers(self) -> dict[str, str]:
            """The request's headers by lower-case name, repeated ones joined (none before they were read)."""
            headers: dict[str, str] = {}
            for k, v in (getattr(self, "headers", None) or {}).items():
                key = k.lower()
                headers[key] = f"{headers[key]},{v}" if key in headers else v
            return headers

        def _serve(self) -> None:
            try:
                length = int(self.headers.get("content-length") or 0)
            except ValueError:
                length = -1
            if length < 0:
                self.send_error(400, "The Content-Length header is not a number of bytes")
                return
            body = self.rfile.read(length) if length else b""
            headers = self._headers()
            try:
                status, out_headers, out = gateway.handle(self.command, self.path, headers, body)
            except Exception:
                log.exception("%s %s failed in the gateway", self.command, self.path)
                self.send_error(500, "Something went wrong on our side; reload to see whether the change was saved")
                return
            self.send_response(status)
            for k, v in out_headers.items():
                if k.lower() not in {"content-length", "connection"}:
                    self.send_header(k, v)
            if not local_extra(urlsplit(self.path).path):  # /_local/*: same-origin only, no CORS
                for k, v in cors_headers(headers).items():
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(out)

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            """http.server's own refusals (bad request line, headers too large, ...) in the
            contract's error body instead of its HTML page."""
            self.log_error("code %d, message %s", code, message)
            self.close_connection = True  # the request may not have been read to its end
            if self.request_version == "HTTP/0.9":  # an unreadable request line: answer with a status line all the same
                self.request_version = "HTTP/1.0"
            body = server_error_body(code, message)
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            if not local_extra(urlsplit(getattr(self, "path", "")).path):
                for k, v in cors_headers(self._headers()).items():
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD" and code >= 200 and code not in (HTTPStatus.NO_CONTENT, HTTPStatus.NOT_MODIFIED):
                self.wfile.write(body)

        def do_OPTIONS(self) -> None:  # CORS preflight, as the template's CorsConfiguration allows
            if local_extra(urlsplit(self.path).path):  # none for /_local/*: a 403 or a 405, no CORS
                self._serve()
                return
            self.send_response(204)
            for k, v in cors_preflight(self._headers()).items():
                self.send_header(k, v)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        def __getattr__(self, name: str) -> Any:
            # Any other method (HEAD, TRACE, CONNECT, made-up ones) goes to the gateway too, which
            # answers 405 on a known path and 404 elsewhere, as API Gateway would; never a 501 page.
            if name.startswith("do_"):
                return self._serve
            raise AttributeError(name)

        def log_message(self, format: str, *args: Any) -> None:
            log.info("%s %s", self.address_string(), format % args)

    server = ThreadingHTTPServer((bind, port), Handler)
    server.daemon_threads = True
    return server
