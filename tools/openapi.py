"""Generates the OpenAPI document of every HTTP function and writes it where the docs
function serves it from. `--check` fails when the committed document is out of date.

    python tools/openapi.py [--check]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "layers" / "shared" / "python")]

from aws_lambda_powertools.event_handler.openapi.merge import OpenAPIMerge  # noqa: E402
from aws_lambda_powertools.event_handler.openapi.models import Server  # noqa: E402

from local import template  # noqa: E402

OUTPUT = ROOT / "functions" / "docs" / "openapi.json"
DESCRIPTION = (
    "Tremplin: short jobs that lead people from social assistance back into work. "
    "Every route but /health, /openapi.json, /docs and the signed partner webhook needs "
    '`Authorization: Bearer <JWT>`. Errors: {"error": {"code", "message", "details"}}; '
    'lists: ?limit= (1-200, default 50) and ?cursor= -> {"items", "next_cursor"}.'
)


def generate() -> str:
    merge = OpenAPIMerge(
        title="Tremplin API",
        version="1.0.0",
        description=DESCRIPTION,
        servers=[Server(url="/")],
        security_schemes={"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},  # type: ignore[dict-item]
        on_conflict="error",
    )
    http_functions = {r.function for r in template.routes()}
    for name, fn in sorted(template.functions().items()):
        if name in http_functions:
            merge.add_file(fn.module_path)
    schema = json.loads(merge.get_openapi_json_schema())
    public = {(r.method.lower(), r.path) for r in template.routes() if r.public}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if (method, path) not in public:
                operation["security"] = [{"bearer": []}]
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    fresh = generate()
    if parser.parse_args().check:
        if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != fresh:
            print(f"{OUTPUT.relative_to(ROOT)} is out of date: run `make openapi`", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(fresh, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
