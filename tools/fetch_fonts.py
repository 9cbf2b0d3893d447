"""Makes the payslip fonts for scripts that core Helvetica cannot show (Arabic, Ethiopic for
Tigrinya, Tamil, Cyrillic for Ukrainian) from the Noto Sans packages on the npm registry.

    python tools/fetch_fonts.py [--check]

Each font is the regular weight of one @fontsource package, its script subset merged with its
Latin subset (payslips mix both: names, CHF, AHV/IV/EO) and cut down with fontTools' subsetter
to those Unicode blocks, so the layer stays small. Also copies the web app's woff2 fonts for
Ge'ez and Tamil into web/assets/fonts/. Writes TTF files and the OFL licence into
the PDF layer, layers/pdf/python/tremplin_fonts/ (tremplin/pdf_fonts.py picks one per script;
one file per script: fpdf2's fallback fonts misplace glyphs once text shaping is on). `--check`
rebuilds into a temporary folder and fails when a committed file differs. Needs npm (the
packages come through `npm pack`).
"""

from __future__ import annotations

import argparse
import filecmp
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "layers" / "pdf" / "python" / "tremplin_fonts"
LICENCE = "OFL.txt"  # SIL Open Font License 1.1, the same for every Noto Sans package
# The web app's fonts for scripts a phone may lack (Tigrinya's Ge'ez, Tamil): the packages' own
# woff2 files, which styles.css loads only for characters in their unicode-range.
WEB_OUTPUT = ROOT / "web" / "assets" / "fonts"
WEB_FONTS = {
    "@fontsource/noto-sans-ethiopic@5.3.0": "noto-sans-ethiopic-ethiopic-400-normal.woff2",
    "@fontsource/noto-sans-tamil@5.3.0": "noto-sans-tamil-tamil-400-normal.woff2",
}

# Basic Latin, Latin-1, general punctuation (dashes, quotes, ellipsis), the euro and CHF's
# apostrophe grouping; each font adds its script's blocks.
_COMMON = [(0x20, 0x7E), (0xA0, 0xFF), (0x2010, 0x2027), (0x2030, 0x203A), (0x20AC, 0x20AC), (0x2212, 0x2212)]


@dataclass(frozen=True)
class Font:
    file: str  # the TTF written
    package: str  # exact npm package and version
    subsets: tuple[str, ...]  # fontsource's files/<name>-400-normal.woff, merged in this order
    blocks: tuple[tuple[int, int], ...]  # the script's Unicode blocks kept
    cut: bool = True  # False: kept whole (cut down, Arabic's shaped text no longer reads back from the PDF)
    latin_from: str | None = None  # the Latin subset from this package instead (its figures and letters)


FONTS = (
    Font(
        "NotoSansArabic-Latin-Regular.ttf",
        "@fontsource/noto-sans-arabic@5.3.0",
        ("noto-sans-arabic-arabic", "noto-sans-latin"),
        (),
        cut=False,
        latin_from="@fontsource/noto-sans@5.3.0",
    ),
    Font(
        "NotoSansEthiopic-Latin-Regular.ttf",
        "@fontsource/noto-sans-ethiopic@5.3.0",
        ("noto-sans-ethiopic-latin", "noto-sans-ethiopic-ethiopic"),
        ((0x1200, 0x139F), (0x2D80, 0x2DDF)),  # Ethiopic, its supplement and extension: Tigrinya
    ),
    Font(
        "NotoSansTamil-Latin-Regular.ttf",
        "@fontsource/noto-sans-tamil@5.3.0",
        ("noto-sans-tamil-latin", "noto-sans-tamil-tamil"),
        ((0x0B80, 0x0BFF), (0x200C, 0x200D), (0x25CC, 0x25CC)),  # Tamil, joiners, dotted circle
    ),
    Font(
        "NotoSans-Cyrillic-Latin-Regular.ttf",
        "@fontsource/noto-sans@5.3.0",
        ("noto-sans-latin", "noto-sans-cyrillic"),
        ((0x0400, 0x04FF), (0x2116, 0x2116)),  # Cyrillic (with Ukrainian's own letters), numero sign
    ),
)


def _unpack(package: str, into: Path) -> Path:
    """The package's tarball through the ordinary client, unpacked; its root folder."""
    name = subprocess.run(  # noqa: S603 - a fixed command with a pinned package
        ["npm", "pack", package, "--silent", "--pack-destination", str(into)],  # noqa: S607 - npm is a prerequisite
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    folder = into / name.removesuffix(".tgz")
    with tarfile.open(into / name) as tar:
        tar.extractall(folder, filter="data")
    return folder / "package"


def build(font: Font, into: Path, work: Path) -> None:
    package = _unpack(font.package, work)
    if font.latin_from:
        (work / "latin").mkdir()
    latin = _unpack(font.latin_from, work / "latin") if font.latin_from else package
    parts = []
    for name in font.subsets:  # the merger wants plain TTFs
        ttf = work / f"{name}.ttf"
        source = latin if name.endswith("-latin") else package
        woff = TTFont(source / "files" / f"{name}-400-normal.woff", recalcTimestamp=False)
        woff.flavor = None
        woff.save(ttf)
        parts.append(str(ttf))
    merged = Merger().merge(parts)
    options = subset.Options()
    options.layout_features = ["*"]  # shaping (Tamil conjuncts, marks) needs every lookup
    options.name_IDs = ["*"]
    options.notdef_outline = True
    if font.cut:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[c for first, last in (*_COMMON, *font.blocks) for c in range(first, last + 1)])
        subsetter.subset(merged)
    # The merger stamps the current time; the package's own date gives the same bytes every run.
    head = TTFont(parts[0])["head"]
    merged["head"].created, merged["head"].modified = head.created, head.modified
    merged.recalcTimestamp = False
    merged.save(into / font.file, reorderTables=True)
    (into / LICENCE).write_bytes((package / "LICENSE").read_bytes())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail when a committed font is out of date")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        into = Path(temp) / "out" if args.check else OUTPUT
        into.mkdir(parents=True, exist_ok=True)
        web = Path(temp) / "web" if args.check else WEB_OUTPUT
        web.mkdir(parents=True, exist_ok=True)
        for font in FONTS:
            work = Path(temp) / font.file
            work.mkdir()
            build(font, into, work)
        for package_name, file in WEB_FONTS.items():
            work = Path(temp) / file
            work.mkdir()
            package = _unpack(package_name, work)
            (web / file).write_bytes((package / "files" / file).read_bytes())
            (web / LICENCE).write_bytes((package / "LICENSE").read_bytes())
        if args.check:
            names = [*(font.file for font in FONTS), LICENCE]
            _, differ, missing = filecmp.cmpfiles(into, OUTPUT, names, shallow=False)
            web_names = [*WEB_FONTS.values(), LICENCE]
            _, web_differ, web_missing = filecmp.cmpfiles(web, WEB_OUTPUT, web_names, shallow=False)
            differ, missing = differ + web_differ, missing + web_missing
            if differ or missing:
                print(f"out of date: {', '.join(differ + missing)}; run tools/fetch_fonts.py", file=sys.stderr)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
