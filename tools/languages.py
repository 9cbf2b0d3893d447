"""Writes web/assets/i18n/languages.js from tremplin.models.languages, the one list of languages.
`--check` fails when the committed file is out of date (make lint runs it).

    python tools/languages.py [--check]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "layers" / "shared" / "python")]

from tools.generated import write_or_check  # noqa: E402
from tremplin.models.languages import LANGUAGES  # noqa: E402

OUTPUT = ROOT / "web" / "assets" / "i18n" / "languages.js"
HEADER = (
    "// Written by tools/languages.py from layers/shared/python/tremplin/models/languages.py: edit that,\n"
    "// then run `.venv/bin/python tools/languages.py`. Each language's catalogue is ./<code>.js.\n"
)


def generate() -> str:
    entries = [
        {
            "code": language.code,
            "name": language.name,
            "lang": language.html_lang,
            "locale": language.locale,
            "dir": language.direction,
            "reviewed": language.reviewed,
        }
        for language in LANGUAGES
    ]
    lines = ",\n".join(f"  {json.dumps(entry, ensure_ascii=False)}" for entry in entries)
    return f"{HEADER}export const LANGUAGES = [\n{lines},\n];\n"


def main() -> int:
    return write_or_check(OUTPUT, generate, "python tools/languages.py", ROOT)


if __name__ == "__main__":
    sys.exit(main())
