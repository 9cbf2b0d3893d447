"""The command line of a tool that writes a generated file (the OpenAPI document, the web's
language list): write it, or with --check fail when the committed file differs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def write_or_check(output: Path, generate: Callable[[], str], command: str, root: Path) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help=f"fail when {output.name} is out of date")
    fresh = generate()
    if parser.parse_args().check:
        if not output.exists() or output.read_text(encoding="utf-8") != fresh:
            print(f"{output.relative_to(root)} is out of date: run `{command}`", file=sys.stderr)
            return 1
        return 0
    output.write_text(fresh, encoding="utf-8")
    print(f"wrote {output.relative_to(root)}")
    return 0
