"""The web front end (`web/`), served at `/` as CloudFront serves it from S3 in AWS.

`/config.json` is written here for the local stack (same-origin API, local sign-in); in AWS
`tools/publish_web.py` writes the cloud one (API URL, Cognito's hosted sign-in)."""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path

from local import template

WEB_ROOT = Path(__file__).resolve().parent.parent / "web"
TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".woff2": "font/woff2",  # the Ge'ez and Tamil fonts (issue 20)
}
# As CloudFront's response headers policy would add them: no framing, no sniffing, scripts only from here.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'"
    ),
}


def local_config() -> dict[str, str]:
    consent = template.parameter_defaults().get("ConsentVersions", "")
    versions = [v.strip() for v in consent.split(",") if v.strip()]
    return {"auth": "local", "api_base": "", "consent_version": versions[-1] if versions else ""}


def serves(method: str, path: str) -> bool:
    # /sw.js: the offline service worker (issue 20), at the root so its scope is the whole app
    return method == "GET" and (path in {"/", "/index.html", "/config.json", "/sw.js"} or path.startswith("/assets/"))


def serve(path: str) -> tuple[int, dict[str, str], bytes]:
    if path == "/config.json":
        headers = {"Content-Type": "application/json", "Cache-Control": "no-store"}
        return 200, headers, json.dumps(local_config()).encode()
    name = "index.html" if path in {"/", "/index.html"} else path.lstrip("/")
    file = (WEB_ROOT / name).resolve()
    if not file.is_relative_to(WEB_ROOT) or not file.is_file():  # no ../ out of web/
        return 404, {"Content-Type": "text/plain"}, b"Not found"
    return 200, {"Content-Type": content_type(file), "Cache-Control": "no-cache", **SECURITY_HEADERS}, file.read_bytes()


def content_type(file: Path) -> str:
    """As served here and as uploaded to S3 by tools/publish_web.py."""
    return TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
