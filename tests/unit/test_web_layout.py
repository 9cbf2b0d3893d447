"""Issue 20, phone layout: the style sheet lays out in logical directions only, so that a
right-to-left language (dir="rtl") mirrors every screen without a second set of rules."""

from __future__ import annotations

import re

from tests.helpers import ROOT

STYLES = ROOT / "web" / "assets" / "styles.css"

# left/right as a property (left: 0), in a property's name (margin-left, border-right-color),
# or as a value of text-align, float or clear.
PHYSICAL = re.compile(
    r"(?<![\w-])(?:left|right)\s*:"
    r"|(?<![\w-])(?:margin|padding|border|inset)-(?:left|right)\b"
    r"|(?:text-align|float|clear)\s*:\s*(?:left|right)\b"
)


def physical_directions(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)  # comments may say "left"
    return [line.strip() for line in css.splitlines() if PHYSICAL.search(line)]


def test_the_style_sheet_names_no_physical_left_or_right() -> None:
    assert physical_directions(STYLES.read_text()) == []


def test_the_check_finds_physical_directions() -> None:
    css = """.a { margin-left: 1rem; }
    .b { left: 0; }
    .c { text-align: right; }
    .d { border-right-width: 2px; }
    /* left alone in a comment */
    .e { margin-inline-start: 1rem; text-align: start; inset-inline-end: 0; }"""
    assert physical_directions(css) == [
        ".a { margin-left: 1rem; }",
        ".b { left: 0; }",
        ".c { text-align: right; }",
        ".d { border-right-width: 2px; }",
    ]
