"""The report files as written, read back as the social office's spreadsheet would read them."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from tremplin import report_files

COLUMNS = ["last_name", "first_name", "net", "hours", "correction"]


def read_back(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_a_cell_a_spreadsheet_would_take_for_a_formula_is_written_as_text() -> None:
    rows = [
        {"last_name": '=HYPERLINK("http://x")', "first_name": "@SUM(A1)", "net": "1.00"},
        {"last_name": "+41 79", "first_name": "-Anna", "net": "\tx", "hours": "\r=1+1", "correction": "-1+1"},
    ]
    first, second = read_back(report_files.to_csv(rows, COLUMNS))
    assert first["last_name"] == '\'=HYPERLINK("http://x")'
    assert first["first_name"] == "'@SUM(A1)"
    assert second == {
        "last_name": "'+41 79",
        "first_name": "'-Anna",
        "net": "'\tx",
        "hours": "'\r=1+1",
        "correction": "'-1+1",
    }


def test_amounts_and_other_plain_text_stay_as_they_are() -> None:
    rows = [
        {"last_name": "Muster", "first_name": "Anna-Lena", "net": "-0.50", "hours": Decimal("-2.25"), "correction": -3},
        {"last_name": "O'Neil", "first_name": "", "net": "580.25", "hours": 4, "correction": None},
    ]
    first, second = read_back(report_files.to_csv(rows, COLUMNS))
    assert first == {
        "last_name": "Muster",
        "first_name": "Anna-Lena",
        "net": "-0.50",
        "hours": "-2.25",
        "correction": "-3",
    }
    assert second == {"last_name": "O'Neil", "first_name": "", "net": "580.25", "hours": "4", "correction": ""}
