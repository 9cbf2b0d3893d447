"""Health check, the generated OpenAPI document of every route, and Swagger UI over it.

The document is generated from every function's resolver by `tools/openapi.py` and
shipped with this function (a test fails when it is out of date).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.swagger_ui import generate_swagger_html
from pydantic import BaseModel

from tremplin.api import PUBLIC, install_error_handlers, lambda_entry

OPENAPI_FILE = Path(__file__).with_name("openapi.json")
_SWAGGER_DIR = Path(generate_swagger_html.__code__.co_filename).parent

app = APIGatewayHttpResolver(enable_validation=True)
install_error_handlers(app)

ROUTE_ROLES = {"GET /health": PUBLIC, "GET /openapi.json": PUBLIC, "GET /docs": PUBLIC}


class Health(BaseModel):
    status: str


@cache
def _openapi() -> str:
    return OPENAPI_FILE.read_text(encoding="utf-8")


@app.get("/health", tags=["platform"], summary="Liveness check")
def health() -> Health:
    return Health(status="ok")


@app.get("/openapi.json", tags=["platform"], summary="The OpenAPI document of every route")
def openapi() -> Response[Any]:
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=_openapi())


@cache
def _swagger_page() -> str:
    return generate_swagger_html(
        spec=_openapi().replace("</", "<\\/"),
        swagger_js=(_SWAGGER_DIR / "swagger-ui-bundle.min.js").read_text(encoding="utf-8"),
        swagger_css=(_SWAGGER_DIR / "swagger-ui.min.css").read_text(encoding="utf-8"),
        swagger_base_url="",
        oauth2_config=None,
    )


@app.get("/docs", include_in_schema=False)
def swagger_ui() -> Response[str]:
    return Response(status_code=200, content_type="text/html", body=_swagger_page())


# Serves files, never the table. The page is the same for every call: built at init (reading and
# joining 1.7 MB of script and style took 13 ms of CPU a call; the first call after a cold start
# 93 ms at 256 MB's share).
lambda_handler = lambda_entry(app, ROUTE_ROLES, uses_table=False, at_init=_swagger_page)
