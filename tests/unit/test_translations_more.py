"""The translations into Tigrinya, Portuguese, Albanian, Tamil and Ukrainian: every server-side
module keeps the contract (names, kinds, placeholders, weekdays, payslip words), every web
catalogue has exactly English's keys and placeholders, and the payslip words print in a PDF that
gives its text back."""

from __future__ import annotations

import importlib
import io
import re
import unicodedata
from types import ModuleType
from typing import Any

import pytest
from fontTools.ttLib import TTFont
from fpdf import FPDF
from pypdf import PdfReader

from tests.helpers import ROOT, web_catalogue
from tremplin import messages, payslip_pdf, pdf_fonts
from tremplin.models.languages import BY_CODE as LANGUAGES_BY_CODE

LANGUAGES = ("ti", "pt", "sq", "ta", "uk")
# The font a payslip in that language needs (tremplin.pdf_fonts, by script); the others print
# with core Helvetica (latin-1).
FONT_OF = {code: font for code in LANGUAGES if (font := pdf_fonts.for_script(LANGUAGES_BY_CODE[code].script))}
UNREVIEWED = "// unreviewed: machine translation, no native speaker has reviewed it"
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _module(code: str) -> ModuleType:
    return importlib.import_module(f"tremplin.translations.{code}")


def _placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


def _shape(template: Any) -> Any:
    """A template's structure with each text reduced to its placeholders."""
    if isinstance(template, str):
        return _placeholders(template)
    return tuple(_shape(part) for part in template)


def _catalogue(code: str) -> dict[str, str]:
    return web_catalogue(code)


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_module_keeps_the_contract(code: str) -> None:
    module = _module(code)
    assert module.REVIEWED is False
    assert set(module.PIECES) == set(messages._PIECES["en"])
    for key, piece in messages._PIECES["en"].items():
        assert _placeholders(module.PIECES[key]) == _placeholders(piece), key
        assert module.PIECES[key].strip(), key
    assert len(module.WEEKDAYS) == 7
    assert len(set(module.WEEKDAYS)) == 7
    assert set(module.PAYSLIP) == set(payslip_pdf.TEXTS["en"])
    assert all(text.strip() and "{" not in text for text in module.PAYSLIP.values())


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_participant_message_has_the_same_placeholders_as_english(code: str) -> None:
    wordings = _module(code).WORDINGS
    english = {kind: wording["participant"] for kind, wording in messages._EN.items() if "participant" in wording}
    assert set(wordings) == set(english)
    for kind, wording in english.items():
        assert set(wordings[kind]) == {"participant"}, kind
        assert _shape(wordings[kind]["participant"]) == _shape((wording.subject, *wording.text)), kind


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_translated_message_reads_with_facts_and_without(code: str) -> None:
    """Filled in as messages.py fills them: no stray braces, and a missing fact leaves no gap."""
    module = _module(code)
    known = {"job_title": "Küche", "org_name": "Migros", "deadline": "Sa 28.11., 08:00", "start_day": "01.02.2027"}
    known["position_title"] = "Koch"
    facts = {key: module.PIECES[key].format(value) for key, value in (("title", "Küche"), ("org", "Migros"))}
    facts |= {"when": module.PIECES["when"].format("Sa 28.11., 08:00"), "topic": module.PIECES["topic"].format("Küche")}
    facts["position"] = module.PIECES["title"].format("Koch")
    without = dict.fromkeys(facts, "")
    for wording in module.WORDINGS.values():
        for template in wording["participant"]:
            for alternative in (template,) if isinstance(template, str) else template:
                for values in (known | facts, known | without):
                    text = alternative.format_map(values)
                    assert "{" not in text and "  " not in text and text == text.strip(), alternative


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_web_catalogue_has_exactly_englishs_keys_and_placeholders(code: str) -> None:
    english, catalogue = _catalogue("en"), _catalogue(code)
    assert set(catalogue) == set(english)
    for key, text in english.items():
        assert _placeholders(catalogue[key]) == _placeholders(text), key
        assert catalogue[key].strip(), key
    first, second = (ROOT / "web" / "assets" / "i18n" / f"{code}.js").read_text().splitlines()[:2]
    assert first.startswith("// ")
    assert second == UNREVIEWED


def _pdf_text(code: str, line: str) -> str:
    pdf = FPDF()
    pdf.add_page()
    if code in FONT_OF:
        pdf.add_font("script", fname=str(FONT_OF[code]))
        pdf.set_font("script", size=11)
        pdf.set_text_shaping(True)
    else:
        pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, line)
    text = PdfReader(io.BytesIO(bytes(pdf.output()))).pages[0].extract_text()
    return " ".join(text.split())


@pytest.mark.parametrize("code", ["pt", "sq", "uk", "ti"])
def test_the_payslip_words_print_and_extract_back(code: str) -> None:
    words = _module(code).PAYSLIP
    line = " · ".join(words.values())
    if code not in FONT_OF:
        assert payslip_pdf.latin1(line) == line, "core Helvetica shows every letter"
    assert _pdf_text(code, line) == " ".join(line.split())


def _letters(text: str) -> str:
    return unicodedata.normalize("NFC", "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cc"))


def test_tamil_payslip_words_print_and_extract_back_letter_for_letter() -> None:
    """pypdf reads shaped Tamil back with control characters around the vowel signs written
    before their consonant (ெ ே ை), and in the long withholding-tax sentence a stray "$" after
    "செ": so the labels are compared letter for letter, and the sentence is left to the test
    below that the font has every letter."""
    words = _module("ta").PAYSLIP
    for key, text in words.items():
        if key != "withholding_tax":
            assert _letters(_pdf_text("ta", text)) == _letters(text), key
    assert "CHF" in _pdf_text("ta", words["amounts"])


@pytest.mark.parametrize("code", list(FONT_OF))
def test_the_font_has_every_letter_of_the_translation(code: str) -> None:
    module = _module(code)
    cmap = TTFont(FONT_OF[code]).getBestCmap()
    texts = [*module.PAYSLIP.values(), *module.WEEKDAYS, *module.PIECES.values()]
    for wording in module.WORDINGS.values():
        for template in wording["participant"]:
            texts.extend((template,) if isinstance(template, str) else template)
    assert {char for text in texts for char in text if ord(char) not in cmap} == set()
