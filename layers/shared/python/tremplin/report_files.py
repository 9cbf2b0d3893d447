"""Report files: JSON, CSV, and a self-contained HTML page with charts (inline SVG, no
scripts, no outside requests), so the social office can look rather than read."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from typing import Any

# What a spreadsheet reads as the start of a formula (OWASP's CSV injection list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def to_json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True, default=str) + "\n"


def to_csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """CRLF line ends (RFC 4180): a cell holding a carriage return is quoted, never split."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: _cell(value) for column, value in row.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    """A cell a spreadsheet would run as a formula, as text: a `'` before it (OWASP's rule)."""
    text = "" if value is None else str(value)
    # Plain decimals ("-0.50", a refund) are left as they are, so amounts stay numbers in the sheet.
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return value


def bar_chart(title: str, bars: list[tuple[str, float]], unit: str = "") -> str:
    """A horizontal bar chart as inline SVG, with the values written beside the bars."""
    width, row, label_w = 640, 28, 170
    top = max((v for _, v in bars), default=0) or 1
    parts = [
        f"<figure><figcaption>{html.escape(title)}</figcaption>",
        f'<svg role="img" aria-label="{html.escape(title)}" width="{width}" height="{row * max(len(bars), 1) + 8}" '
        f'viewBox="0 0 {width} {row * max(len(bars), 1) + 8}" xmlns="http://www.w3.org/2000/svg">',
    ]
    for i, (label, value) in enumerate(bars):
        y = i * row + 4
        length = (width - label_w - 90) * value / top
        parts.append(
            f'<text x="0" y="{y + 17}" font-size="13">{html.escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{row - 8}" fill="#1f6f8b"/>'
            f'<text x="{label_w + length + 6:.1f}" y="{y + 17}" font-size="13">{value:g}{html.escape(unit)}</text>'
        )
    if not bars:
        parts.append('<text x="0" y="20" font-size="13">No data in this period.</text>')
    parts.append("</svg></figure>")
    return "".join(parts)


def programme_page(document: dict[str, Any]) -> str:
    summary = document["summary"]
    months = document["by_month"]
    exits = summary.get("exits_by_outcome", {})
    charts = [
        bar_chart("Participants placed (at least one completed shift)", [(m["month"], m["placed"]) for m in months]),
        bar_chart("Fill rate", [(m["month"], round(100 * float(m["fill_rate"] or 0), 1)) for m in months], " %"),
        bar_chart("Hours worked", [(m["month"], float(m["hours"])) for m in months], " h"),
        bar_chart("Pay (gross, CHF)", [(m["month"], float(m["gross"])) for m in months]),
        bar_chart("Exits by outcome", [(k.replace("_", " "), v) for k, v in sorted(exits.items())]),
    ]
    figures = "".join(
        f"<tr><th scope='row'>{html.escape(k.replace('_', ' '))}</th><td>{html.escape(str(v))}</td></tr>"
        for k, v in summary.items()
        if not isinstance(v, dict)
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tremplin programme report {html.escape(document["period"])}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:760px;margin:2rem auto;color:#1b1b1b}}
figure{{margin:1.5rem 0}}figcaption{{font-weight:600;margin-bottom:.4rem}}
table{{border-collapse:collapse}}th,td{{text-align:left;padding:.2rem .8rem;border-bottom:1px solid #ddd}}</style>
</head><body>
<h1>Programme report {html.escape(document["period"])}</h1>
<p>Generated {html.escape(str(document["generated_at"]))}. Months are Europe/Zurich months.</p>
{"".join(charts)}
<h2>Figures</h2><table>{figures}</table>
</body></html>
"""
