"""The assistance statement: the HTML page parsed back, the PDF read back with pypdf."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import Any

import pypdf

from tremplin import statement_files


def row(last: str, first: str, payslip_id: str, net: str, allowance: str, counted: str) -> dict[str, Any]:
    return {
        "participant_id": f"par_{payslip_id}",
        "first_name": first,
        "last_name": last,
        "case_reference": f"SD-{payslip_id[-3:]}",
        "caseworker_id": "cw-1",
        "payslip_id": payslip_id,
        "work_month": "2026-11",
        "payout_date": "2026-12-07",
        "hours": "24.00",
        "gross": "580.25",
        "ahv_iv_eo": "30.75",
        "alv": "6.40",
        "nbu": "0.00",
        "ktg": "5.10",
        "gav": "2.95",
        "bvg": "0.00",
        "deductions": "45.20",
        "net": net,
        "income_allowance": allowance,
        "counted_income": counted,
    }


def document(rows: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    rows = (
        rows
        if rows is not None
        else [
            row("Keller", "Anna", "ps_001", "535.05", "133.35", "401.70"),
            row("Nowak", "Łukasz", "ps_002", "120.40", "150.00", "0.00"),
            row("Gebre", "Tesfay ተስፋይ", "ps_003", "812.15", "200.00", "612.15"),
        ]
    )
    return {
        "report_id": "rep_1",
        "type": "earnings",
        "period": "2026-12",
        "generated_at": "2027-01-02T06:00:00+00:00",
        "summary": {
            "participants": len(rows),
            "payslips": len(rows),
            "hours": "72.00",
            "gross": "1740.75",
            "deductions": "135.60",
            "net": "1467.60",
            "income_allowance": "483.35",
            "counted_income": "1013.85",
        },
        "rows": rows,
    }


class Table(HTMLParser):
    """The page's table cells, by section (thead, tbody, tfoot), row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, list[list[str]]] = {"thead": [], "tbody": [], "tfoot": []}
        self.section = ""
        self.cell: list[str] | None = None
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in self.sections:
            self.section = tag
        elif tag == "tr" and self.section:
            self.sections[self.section].append([])
        elif tag in ("th", "td"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self.cell is not None and self.section:
            self.sections[self.section][-1].append("".join(self.cell))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def parse(page: str) -> Table:
    table = Table()
    table.feed(page)
    return table


def pdf_pages(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_page_has_one_row_per_payslip_and_the_totals() -> None:
    page = statement_files.page(document())
    assert page.startswith("<!doctype html>") and '<html lang="en">' in page
    assert "<h1>Assistance statement 2026-12</h1>" in page
    assert "counted income = max(0, net - income allowance)" in page
    table = parse(page)
    assert table.sections["thead"] == [list(statement_files.HEADINGS)]
    assert [(r[0], r[2], r[-3], r[-1]) for r in table.sections["tbody"]] == [
        ("Keller, Anna", "ps_001 (2026-11)", "535.05", "401.70"),
        ("Nowak, Łukasz", "ps_002 (2026-11)", "120.40", "0.00"),
        ("Gebre, Tesfay ተስፋይ", "ps_003 (2026-11)", "812.15", "612.15"),
    ]
    assert table.sections["tfoot"] == [
        ["Total: 3 participants", "", "3 payslips", "", "72.00", "1740.75", "135.60", "1467.60", "483.35", "1013.85"]
    ]
    assert sum(1 for tag, attrs in table.tags if tag == "th" and attrs.get("scope") == "col") == 10


def test_page_is_self_contained() -> None:
    page = statement_files.page(document())
    table = parse(page)
    assert not any(tag in ("script", "img", "link", "iframe") for tag, _ in table.tags)
    assert "http" not in page and "src=" not in page and "url(" not in page


def test_page_escapes_what_it_is_given() -> None:
    rows = [row("<script>alert(1)</script>", 'Eve "&"', "ps_666", "10.00", "5.00", "5.00")]
    page = statement_files.page(document(rows))
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;, Eve &quot;&amp;&quot;" in page
    assert parse(page).sections["tbody"][0][0] == '<script>alert(1)</script>, Eve "&"'


def test_page_says_so_when_nothing_was_paid() -> None:
    page = statement_files.page(document([]))
    assert "No payslips paid in this period." in page
    assert parse(page).sections["tbody"] == [["No payslips paid in this period."]]


def test_pdf_holds_the_rows_and_totals() -> None:
    shown = " ".join(pdf_pages(statement_files.pdf(document())))
    assert shown.startswith("Assistance statement 2026-12")
    assert "counted income = max(0, net - income allowance)" in shown
    for name, payslip_id, counted in (
        ("Keller, Anna", "ps_001", "401.70"),
        ("Nowak, Lukasz", "ps_002", "0.00"),
        ("Gebre, Tesfay ????", "ps_003", "612.15"),
    ):
        assert name in shown and payslip_id in shown and counted in shown
    assert "Total: 3 participants" in shown and "3 payslips" in shown
    assert "72.00 1740.75 135.60 1467.60 483.35 1013.85" in shown


def test_pdf_is_landscape_and_deterministic() -> None:
    data = statement_files.pdf(document())
    assert statement_files.pdf(document()) == data
    reader = pypdf.PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert box.width > box.height
    assert reader.metadata is not None and reader.metadata.creation_date is not None
    assert reader.metadata.creation_date.isoformat().startswith("2027-01-02T06:00:00")
    assert reader.metadata.title == "Assistance statement 2026-12"


def test_pdf_runs_onto_further_pages_with_the_heading_repeated() -> None:
    rows = [row(f"Muster{i:03d}", "Max", f"ps_{i:03d}", f"{i}.05", "100.00", "0.00") for i in range(120)]
    found = pdf_pages(statement_files.pdf(document(rows)))
    assert len(found) > 1
    assert all("Name Case reference Payslip (work month)" in page for page in found)
    shown = " ".join(found)
    assert all(f"Muster{i:03d}, Max" in shown and f"ps_{i:03d}" in shown for i in range(120))
    assert "Total: 120 participants" in found[-1]


def test_pdf_of_an_empty_month() -> None:
    shown = " ".join(pdf_pages(statement_files.pdf(document([]))))
    assert "No payslips paid in this period." in shown and "Total: 0 participants" in shown
