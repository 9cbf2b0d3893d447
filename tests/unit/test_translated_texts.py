"""Languages (issue 20): a participant reads the inbox and the payslip in Italian or Arabic.
The payslip is read back with pypdf; Arabic comes from a Unicode font with shaped letters."""

from __future__ import annotations

import io
import unicodedata
from typing import Any

import pypdf
import pytest

from tests.unit.test_payslip_pdf import pages, render
from tremplin import pdf_fonts
from tremplin.messages import render as message
from tremplin.models.languages import BY_CODE

FACTS = {
    "recipient_role": "participant",
    "job_title": "Reinigung",
    "org_name": "Bäckerei Roth",
    "starts_at": "2026-11-28T07:00:00+00:00",
    "ends_at": "2026-11-28T11:30:00+00:00",
    "offer_expires_at": "2026-11-26T16:00:00+00:00",
}


def _read(data: bytes) -> str:
    # Shaped Arabic comes back as presentation forms with stray marks and signs between letters:
    # NFKC folds the forms into letters, keeping only letters, figures, spaces and points leaves
    # the words (not every word: the test looks for some).
    text = unicodedata.normalize("NFKC", " ".join(pages(data)))
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN" or c in " .")


def test_an_offer_reaches_an_italian_speaker_in_italian() -> None:
    said = message("offer_made", "it", FACTS, "https://tremplin.example")
    assert said.subject == "Un'offerta per Lei: Reinigung, sab 28.11., 08:00"
    assert said.text == (
        "Ha un'offerta per il turno «Reinigung» presso Bäckerei Roth il sab 28.11., 08:00\u201312:30. "
        "Confermi o rifiuti entro gio 26.11., 17:00; dopo l'offerta scade."
    )
    assert said.link == "https://tremplin.example/#/applications"


def test_an_offer_reaches_an_arabic_speaker_in_arabic() -> None:
    said = message("offer_made", "ar", FACTS)
    assert said.subject == "عرض لك: Reinigung, السبت 28.11., 08:00"
    assert said.text.startswith(
        "لديك عرض لنوبة العمل «Reinigung» لدى Bäckerei Roth يوم السبت 28.11., 08:00\u201312:30."
    )
    assert "قبل الخميس 26.11., 17:00" in said.text


def test_simple_german_says_one_thing_a_sentence() -> None:
    said = message("offer_made", "de-simple", FACTS)
    assert said.text.startswith(
        "Sie können die Arbeit «Reinigung» bei Bäckerei Roth am Samstag 28.11., 08:00\u201312:30 machen."
    )
    assert max(len(sentence.split()) for sentence in said.text.split(". ")) <= 15


@pytest.mark.parametrize("role", ["employer", "caseworker"])
def test_employers_and_staff_read_german_whatever_the_participant_speaks(role: str) -> None:
    for kind in ("offer_confirmed", "no_show"):
        assert message(kind, "ar", FACTS | {"recipient_role": role}) == message(
            kind, "de", FACTS | {"recipient_role": role}
        )


def test_an_italian_payslip() -> None:
    shown = " ".join(pages(render(language="it")))
    assert shown.startswith("Conteggio salariale")
    for words in ("Datore di lavoro: Tremplin", "Anna Keller", "Mese di lavoro 11.2026", "Salario netto (CHF) 524.55"):
        assert words in shown
    assert "Nettolohn" not in shown


def test_an_arabic_payslip_in_a_unicode_font_with_joined_letters() -> None:
    data = render(language="ar", name="Amina Haddad")
    shown = _read(data)
    for words in ("الراتب", "صاحب العمل", "الاسم", "شهر العمل", "مكان العمل", "الاستقطاعات", "Amina Haddad", "524.55"):
        assert words in shown, words
    assert "Lohnabrechnung" not in shown
    assert "Bäckerei Roth" in shown  # Latin letters from the same font
    assert b"NotoSansArabic" in data and b"Helvetica" not in data


def test_latin_script_payslips_keep_the_core_font() -> None:
    assert b"Helvetica" in render(language="it") and b"Noto" not in render(language="it")


@pytest.mark.parametrize("script", sorted(pdf_fonts.SCRIPT_FONTS))
def test_every_script_beyond_latin_has_its_font_in_the_pdf_layer(script: str) -> None:
    font = pdf_fonts.for_script(script)
    assert font is not None and font.is_file()
    assert "layers/pdf/python/tremplin_fonts" in font.as_posix()


def test_every_language_has_a_font_for_its_script() -> None:
    for language in BY_CODE.values():
        assert language.script == "Latn" or language.script in pdf_fonts.SCRIPT_FONTS, language.code


def _x_of(data: bytes, wanted: str) -> float:
    """Where on the first page (0 = left edge, 1 = right edge) the text `wanted` starts."""
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    found: list[float] = []

    def visit(text: str, _cm: Any, tm: Any, _font: Any, _size: Any) -> None:
        if wanted in text:
            found.append(float(tm[4]))

    page.extract_text(visitor_text=visit)
    assert found, wanted
    return found[0] / float(page.mediabox.width)


def test_an_arabic_payslip_mirrors_its_layout() -> None:
    # The net pay's figure sits at the left edge right to left, at the right edge left to right.
    assert _x_of(render(language="ar"), "524.55") < 0.3
    assert _x_of(render(language="en"), "524.55") > 0.7
