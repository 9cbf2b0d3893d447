"""Which font a PDF needs for a language's script (ISO 15924, tremplin.models.languages).

Latin-script languages keep core Helvetica (latin-1, nothing to ship). Other scripts need a
Unicode TrueType font from the PDF layer (layers/pdf/python/tremplin_fonts, which Lambda
unpacks beside this package into /opt/python), its Latin letters merged in for names, figures
and "CHF", and text shaping (uharfbuzz) for Arabic's joined letters and right-to-left order. A
new script needs only its font file here.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent
_DIRECTORIES = (
    _HERE.parent / "tremplin_fonts",  # Lambda: the shared and the PDF layer both unpack into /opt/python
    _HERE.parents[2] / "pdf" / "python" / "tremplin_fonts",  # the repository: tests, the local stack
)

SCRIPT_FONTS: dict[str, str] = {  # each with Noto Sans's Latin merged in: names, figures, "CHF"
    "Arab": "NotoSansArabic-Latin-Regular.ttf",
    "Ethi": "NotoSansEthiopic-Latin-Regular.ttf",  # ti
    "Taml": "NotoSansTamil-Latin-Regular.ttf",  # ta
    "Cyrl": "NotoSans-Cyrillic-Latin-Regular.ttf",  # uk
}


def for_script(script: str) -> Path | None:
    """The font file a script needs; None for Latin (core fonts). Raises KeyError for a script
    without a font: adding a language in a new script means adding its font."""
    if script == "Latn":
        return None
    name = SCRIPT_FONTS[script]
    for directory in _DIRECTORIES:
        if (directory / name).is_file():
            return directory / name
    raise FileNotFoundError(f"font {name} is in neither {_DIRECTORIES[0]} nor {_DIRECTORIES[1]}")
