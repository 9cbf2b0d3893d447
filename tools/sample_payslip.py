"""Writes the sample payslip the README shows: PRODUCT.md's example (8 h at CHF 22.39, age 30)
and a late cancellation's compensation, made by the domain's own rules and renderer, as
docs/payslip-sample.pdf and its first page as docs/screenshots/payslip-sample.png.

    python tools/sample_payslip.py
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pypdfium2

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "layers" / "shared" / "python")]

from tremplin import pay, payslip_pdf  # noqa: E402

WORK_MONTH, RUN_MONTH = "2026-12", "2027-01"


def sample() -> dict[str, object]:
    version = pay.FIRST_VERSION
    worked = pay.application_pay(8 * 60, Decimal("22.39"), version, 30)
    compensated = pay.application_pay(6 * 60, Decimal("24.50"), version, 30, compensation=True)
    lines = [
        {"application_id": "app.shf_1.par_1", "shift_date": "2026-12-01", "employer": "Bäckerei Glauser"} | worked,
        {"application_id": "app.shf_2.par_1", "shift_date": "2026-12-12", "employer": "Stadtgärtnerei Bern"}
        | compensated,
    ]
    return {
        "payslip_id": f"ps.{RUN_MONTH}.par_1",
        "participant_id": "par_1",
        "work_month": WORK_MONTH,
        "payout_date": pay.payout_date(RUN_MONTH).isoformat(),
        "lines": lines,
        **pay.payslip_totals(lines, version, WORK_MONTH),
    }


def main() -> None:
    data = payslip_pdf.render(sample(), language="de", name="Anna Keller", withholding_tax=False)
    (ROOT / "docs" / "payslip-sample.pdf").write_bytes(data)
    page = pypdfium2.PdfDocument(data)[0]
    page.render(scale=1.6).to_pil().save(ROOT / "docs" / "screenshots" / "payslip-sample.png")
    print("wrote docs/payslip-sample.pdf and docs/screenshots/payslip-sample.png")


if __name__ == "__main__":
    main()
