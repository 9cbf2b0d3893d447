"""The monthly assistance statement for the social office, as an HTML page and a PDF.

One row per payslip paid in the period: the office counts income in the month it is paid, and
needs each payslip's net, income allowance and counted income to adjust the assistance. The
HTML page is self-contained (no scripts, no outside requests) like the other report pages; the
PDF's creation date is the document's `generated_at`, so the same statement gives the same bytes.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from tremplin.payslip_pdf import latin1

EXPLANATION = "Income counted in the month it is paid (payout date); counted income = max(0, net - income allowance)."
NOTHING_PAID = "No payslips paid in this period."
HEADINGS = (
    "Name",
    "Case reference",
    "Payslip (work month)",
    "Payout date",
    "Hours",
    "Gross",
    "Deductions",
    "Net",
    "Income allowance",
    "Counted income",
)
AMOUNTS = ("hours", "gross", "deductions", "net", "income_allowance", "counted_income")
"""The numeric columns, after the four that say whose payslip it is; amounts are CHF."""

_HEADINGS = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
_BOLD = FontFace(emphasis="BOLD")


def title(document: Mapping[str, Any]) -> str:
    return f"Assistance statement {document['period']}"


def cells(row: Mapping[str, Any]) -> list[str]:
    """A row's cells, in HEADINGS' order."""
    return [
        f"{row['last_name']}, {row['first_name']}",
        str(row["case_reference"]),
        f"{row['payslip_id']} ({row['work_month']})",
        str(row["payout_date"]),
        *(str(row[key]) for key in AMOUNTS),
    ]


def totals(document: Mapping[str, Any]) -> list[str]:
    """The totals row, in HEADINGS' order, from the document's summary."""
    summary = document["summary"]
    return [
        f"Total: {summary['participants']} participants",
        "",
        f"{summary['payslips']} payslips",
        "",
        *(str(summary[key]) for key in AMOUNTS),
    ]


def page(document: Mapping[str, Any]) -> str:
    """The statement as one self-contained HTML page."""
    e = html.escape
    num = ' class="num"'
    heading = "".join(f'<th scope="col">{e(h)}</th>' for h in HEADINGS)

    def row_html(values: list[str]) -> str:
        """The name heads its row; the amounts (from the fifth column) align right."""
        tds = (f"<td{num if i >= 4 else ''}>{e(v)}</td>" for i, v in enumerate(values) if i)
        return f'<tr><th scope="row">{e(values[0])}</th>{"".join(tds)}</tr>'

    body = "".join(row_html(cells(r)) for r in document["rows"]) or (
        f'<tr><td colspan="{len(HEADINGS)}">{NOTHING_PAID}</td></tr>'
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{e(title(document))}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b}}
table{{border-collapse:collapse}}caption{{text-align:left;font-weight:600;margin-bottom:.4rem}}
th,td{{text-align:left;padding:.2rem .6rem;border-bottom:1px solid #ddd}}.num{{text-align:right}}
tfoot th,tfoot td{{font-weight:600;border-top:2px solid #1b1b1b}}</style>
</head><body>
<h1>{e(title(document))}</h1>
<p>{e(EXPLANATION)} Amounts in CHF.</p>
<p>Generated {e(str(document["generated_at"]))}. Report {e(str(document["report_id"]))}.</p>
<table><caption>{e(title(document))}: one row per payslip</caption>
<thead><tr>{heading}</tr></thead>
<tbody>{body}</tbody>
<tfoot>{row_html(totals(document))}</tfoot>
</table>
</body></html>
"""


class _Statement(FPDF):
    """A4 landscape with the statement's name and page number at the foot of every page."""

    def __init__(self, footer: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self._footer = latin1(footer)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 5, f"{self._footer} - page {self.page_no()}/{{nb}}", align="C")


def pdf(document: Mapping[str, Any]) -> bytes:
    """The statement as PDF bytes: the page's table, its heading row repeated on every page."""
    created = datetime.fromisoformat(str(document["generated_at"]))
    doc = _Statement(title(document))
    doc.set_creation_date(created if created.tzinfo else created.replace(tzinfo=UTC))
    doc.set_title(latin1(title(document)))
    doc.set_author("Tremplin")
    doc.set_lang("en")
    doc.set_margins(12, 12, 12)
    doc.set_auto_page_break(True, margin=16)
    doc.add_page()
    doc.set_font("Helvetica", "B", 15)
    doc.cell(0, 8, latin1(title(document)), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", size=9)
    doc.cell(0, 5, latin1(f"{EXPLANATION} Amounts in CHF."), new_x="LMARGIN", new_y="NEXT")
    doc.cell(
        0,
        5,
        latin1(f"Generated {document['generated_at']}. Report {document['report_id']}."),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    doc.ln(3)
    doc.set_font("Helvetica", size=8)
    with doc.table(
        col_widths=(40, 24, 46, 20, 14, 20, 20, 20, 20, 20),
        text_align=("LEFT",) * 4 + ("RIGHT",) * len(AMOUNTS),
        headings_style=_HEADINGS,
        line_height=4.5,
        padding=1,
        repeat_headings=1,
    ) as table:
        table.row(list(HEADINGS))
        for row in document["rows"]:
            table.row([latin1(c) for c in cells(row)])
        if not document["rows"]:
            table.row().cell(NOTHING_PAID, colspan=len(HEADINGS))
        table.row([latin1(c) for c in totals(document)], style=_BOLD)
    return bytes(doc.output())
