"""Writes web/assets/i18n/languages.js from tremplin.models.languages, the one list of languages.
`--check` fails when the committed file is out of date (make lint runs it).

    python tools/languages.py [--check]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "layers" / "shared" / "python")]

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
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    fresh = generate()
    if parser.parse_args().check:
        if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != fresh:
            print(f"{OUTPUT.relative_to(ROOT)} is out of date: run `python tools/languages.py`", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(fresh, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
