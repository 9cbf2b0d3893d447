"""Writes the sample work confirmation the README shows: two organisations, three days of work,
one reference the participant included, made by the domain's own renderer, as
docs/work-confirmation-sample.pdf and its first page as docs/screenshots/work-confirmation-sample.png.

    python tools/sample_work_confirmation.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pypdfium2

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "layers" / "shared" / "python")]

from tremplin import work_confirmation_pdf  # noqa: E402

CODE = "7KQ2-M9XD-4TZC-HW0P"  # a sample: the real ones are drawn by tremplin.paper_codes


def sample() -> dict[str, object]:
    return {
        "name": "Anna Keller",
        "date_of_birth": "1988-03-14",
        "start": "2026-11-01",
        "end": "2026-12-31",
        "issued_at": "2027-01-08T09:30:00+00:00",
        "code": CODE,
        "verify_url": f"https://api.tremplin.example/verify/{CODE}",
        "shifts": 3,
        "days": 3,
        "hours": "20.00",
        "employers": [
            {
                "name": "Bäckerei Glauser",
                "kinds": ["kitchen", "retail"],
                "shifts": [
                    {"date": "2026-11-14", "title": "Backstube: Teig und Gebäck", "hours": "8.00"},
                    {"date": "2026-11-21", "title": "Verkauf am Samstagsmarkt", "hours": "6.00"},
                ],
                "hours": "14.00",
                "references": [
                    "Frau Keller hat in der Backstube und am Marktstand mitgearbeitet. Sie hat sich schnell "
                    "eingearbeitet, sorgfältig gearbeitet und war bei Kundschaft und Team geschätzt."
                ],
            },
            {
                "name": "Stadtgärtnerei Bern",
                "kinds": ["gardening"],
                "shifts": [{"date": "2026-12-05", "title": "Winterschnitt im Rosengarten", "hours": "6.00"}],
                "hours": "6.00",
                "references": [],
            },
        ],
    }


def main() -> None:
    data = work_confirmation_pdf.render(sample(), language="de")
    (ROOT / "docs" / "work-confirmation-sample.pdf").write_bytes(data)
    page = pypdfium2.PdfDocument(data)[0]
    page.render(scale=1.6).to_pil().save(ROOT / "docs" / "screenshots" / "work-confirmation-sample.png")
    print("wrote docs/work-confirmation-sample.pdf and docs/screenshots/work-confirmation-sample.png")


if __name__ == "__main__":
    main()
