"""The payslip PDF, read back with pypdf: what it says, in which language, and what it must not say."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pypdf
import pytest

from tremplin import payslip_pdf
from tremplin.models.languages import BY_CODE, CODES
from tremplin.payslip_pdf import TEXTS

DEDUCTIONS = {"ahv_iv_eo": "38.50", "alv": "8.00", "nbu": "0.00", "ktg": "5.10", "gav": "2.95", "bvg": "1.15"}


def line(shift_date: str, gross: str, employer: str = "Bäckerei Roth", compensation: bool = False) -> dict[str, Any]:
    return {
        "application_id": f"app_{shift_date}_{gross}",
        "shift_date": shift_date,
        "employer": employer,
        "hours": "8.00",
        "base": "200.00",
        "public_holiday": "6.40",
        "holiday": "17.20",
        "thirteenth_month": "18.60",
        "gross": gross,
        "compensation": compensation,
    }


def payslip(lines: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "payslip_id": "ps_018f3a2b4c5d6e7f8091a2b3",
        "participant_id": "par_1",
        "work_month": "2026-11",
        "payout_date": "2026-12-07",
        "lines": lines
        if lines is not None
        else [
            line("2026-11-03", "242.20"),
            line("2026-11-14", "216.95", "Gärtnerei Müller AG"),
            line("2026-11-21", "121.10", "Umzüge Keller GmbH", compensation=True),
        ],
        "hours": "24.00",
        "gross": "580.25",
        "deductions": dict(DEDUCTIONS),
        "net": "524.55",
        "income_allowance": "133.35",
        "counted_income": "391.20",
    }


def render(slip: dict[str, Any] | None = None, **kwargs: Any) -> bytes:
    options: dict[str, Any] = {"language": "de", "name": "Anna Keller", "withholding_tax": False} | kwargs
    return payslip_pdf.render(slip or payslip(), **options)


def pages(data: bytes) -> list[str]:
    """Each page's text, whitespace folded (table cells wrap onto lines of their own)."""
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def text(data: bytes) -> str:
    return " ".join(pages(data))


def test_every_language_has_the_same_texts() -> None:
    assert set(TEXTS) == set(CODES)
    assert all(TEXTS[lang].keys() == TEXTS["de"].keys() for lang in TEXTS)
    for lang in TEXTS:
        if BY_CODE[lang].script == "Latn":
            for value in TEXTS[lang].values():
                value.encode("latin-1")  # core Helvetica shows latin-1 only


def test_holds_the_name_lines_totals_and_net() -> None:
    shown = text(render())
    assert render()[:5] == b"%PDF-"
    assert "Anna Keller" in shown
    assert "ps_018f3a2b4c5d6e7f8091a2b3" in shown
    assert "11.2026" in shown and "07.12.2026" in shown
    for day_, gross in (("03.11.2026", "242.20"), ("14.11.2026", "216.95"), ("21.11.2026", "121.10")):
        assert day_ in shown and gross in shown
    assert "Gärtnerei Müller AG" in shown
    assert "Umzüge Keller GmbH (Entschädigung)" in shown
    assert "Bäckerei Roth (Entschädigung)" not in shown
    assert "Total Stunden 24.00" in shown
    assert "Bruttolohn 580.25" in shown
    assert "Nettolohn (CHF) 524.55" in shown


def test_shows_all_six_deductions_and_their_total() -> None:
    shown = text(render())
    for label, amount in (
        ("AHV/IV/EO", "38.50"),
        ("ALV", "8.00"),
        ("NBU (Nichtberufsunfall)", "0.00"),
        ("KTG (Krankentaggeld)", "5.10"),
        ("GAV (Vollzugskosten)", "2.95"),
        ("BVG (Pensionskasse)", "1.15"),
        ("Total Abzüge", "55.70"),
    ):
        assert f"{label} {amount}" in shown


@pytest.mark.parametrize(
    ("language", "title", "net", "marker"),
    [
        ("de", "Lohnabrechnung", "Nettolohn", "Entschädigung"),
        ("fr", "Fiche de salaire", "Salaire net", "indemnité"),
        ("en", "Payslip", "Net pay", "compensation"),
    ],
)
def test_speaks_the_participants_language(language: str, title: str, net: str, marker: str) -> None:
    shown = text(render(language=language))
    assert shown.startswith(title)
    assert f"{net} (CHF) 524.55" in shown
    assert f"Umzüge Keller GmbH ({marker})" in shown
    others = {"Lohnabrechnung", "Fiche de salaire", "Payslip"} - {title}
    assert not any(other in shown for other in others)


def test_an_unknown_language_gives_german() -> None:
    shown = text(render(language="es"))
    assert shown.startswith("Lohnabrechnung") and "Nettolohn" in shown
    assert render(language="es") == render(language="de")


@pytest.mark.parametrize("language", ["de", "fr", "en"])
def test_withholding_tax_only_when_flagged(language: str) -> None:
    sentence = TEXTS[language]["withholding_tax"]
    assert sentence in text(render(language=language, withholding_tax=True))
    assert sentence.split(":")[0].strip() not in text(render(language=language, withholding_tax=False))


@pytest.mark.parametrize("language", ["de", "fr", "en", "xx"])
def test_never_reveals_social_assistance(language: str) -> None:
    data = render(language=language, withholding_tax=True)
    shown = text(data).lower()
    for word in ("assistance", "sozialhilfe", "aide sociale", "social"):
        assert word not in shown
    # The office's figures are its own business: income allowance and counted income stay off.
    assert "133.35" not in shown and "391.20" not in shown
    metadata = pypdf.PdfReader(io.BytesIO(data)).metadata
    assert metadata is not None
    assert metadata.author == "Tremplin"
    assert "assistance" not in str(metadata.title).lower()


def test_the_same_payslip_gives_the_same_bytes() -> None:
    first = render()
    assert render() == first
    assert render(name="Anna Kellerr") != first
    metadata = pypdf.PdfReader(io.BytesIO(first)).metadata
    assert metadata is not None and metadata.creation_date is not None
    assert metadata.creation_date.date() == date(2026, 12, 7)


def test_many_lines_run_onto_further_pages_with_the_heading_repeated() -> None:
    start = date(2026, 1, 1)
    lines = [line((start + timedelta(days=i)).isoformat(), f"{100 + i}.05") for i in range(80)]
    found = pages(render(payslip(lines)))
    assert len(found) > 1
    assert all("Datum Einsatzbetrieb Stunden Grundlohn" in page for page in found)
    shown = " ".join(found)
    for i in range(80):
        assert (start + timedelta(days=i)).strftime("%d.%m.%Y") in shown
        assert f"{100 + i}.05" in shown
    assert found[-1].count("Nettolohn (CHF) 524.55") == 1
    assert f"Seite {len(found)}/{len(found)}" in found[-1]


def test_names_beyond_latin1_do_not_crash() -> None:
    shown = text(render(name="Łukasz Tesfay ተስፋይ", withholding_tax=True))
    assert "Lukasz Tesfay" in shown
    slip = payslip([line("2026-11-03", "242.20", "Café \u201cZürich\u201d \u2013 Ōsaka")])
    assert 'Café "Zürich" - Osaka' in text(render(slip))
