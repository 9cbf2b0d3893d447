"""Languages (issue 20): one list, and every text in every language of it.

The Python list (tremplin.models.languages) is the only source: the web's list is written from it,
every web catalogue has every key of en.js with the same placeholders, every server translation
has every participant wording, piece, weekday and payslip text with the same placeholders."""

from __future__ import annotations

import re
import string
from importlib import import_module
from typing import Any

import pytest

from tests.helpers import ROOT, web_catalogue
from tools import languages as languages_tool
from tremplin import messages, payslip_pdf
from tremplin.models.languages import BASE_CODES, CODES, LANGUAGES
from tremplin.models.participants import ProfileUpdate
from tremplin.translations import TRANSLATIONS

I18N = ROOT / "web" / "assets" / "i18n"
UNREVIEWED = "// unreviewed: machine translation, no native speaker has reviewed it"
TRANSLATED = [language for language in LANGUAGES if language.code not in BASE_CODES]


def _catalogues() -> dict[str, dict[str, str]]:
    return {code: web_catalogue(code) for code in CODES}


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


def test_the_web_language_list_is_written_from_the_python_one() -> None:
    assert (I18N / "languages.js").read_text(encoding="utf-8") == languages_tool.generate()
    for language in LANGUAGES:
        assert f'"code": "{language.code}"' in languages_tool.generate()


def test_there_is_one_catalogue_per_language_and_no_other() -> None:
    files = {path.stem for path in I18N.glob("*.js")} - {"languages"}
    assert files == set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_every_catalogue_has_every_key_with_the_same_placeholders(code: str) -> None:
    catalogues = _catalogues()
    english, catalogue = catalogues["en"], catalogues[code]
    assert set(catalogue) ^ set(english) == set(), "missing or unknown keys"
    for key, text in english.items():
        assert _placeholders(catalogue[key]) == _placeholders(text), (code, key)
        assert catalogue[key].strip(), (code, key)


@pytest.mark.parametrize("language", LANGUAGES, ids=CODES)
def test_a_catalogue_names_its_language_and_says_whether_anyone_reviewed_it(language: Any) -> None:
    first, second = (I18N / f"{language.code}.js").read_text(encoding="utf-8").splitlines()[:2]
    assert first.startswith("// ")
    assert (second == UNREVIEWED) is not language.reviewed


@pytest.mark.parametrize("language", TRANSLATED, ids=[language.code for language in TRANSLATED])
def test_a_translation_module_follows_the_contract(language: Any) -> None:
    module = import_module(f"tremplin.translations.{language.module}")
    assert module.REVIEWED is language.reviewed
    assert set(module.PIECES) == set(messages._PIECES["en"])
    for key, piece in module.PIECES.items():
        assert piece.count("{}") == messages._PIECES["en"][key].count("{}"), key
    assert len(module.WEEKDAYS) == 7 and all(module.WEEKDAYS)
    assert set(module.PAYSLIP) == set(payslip_pdf.TEXTS["en"])
    for key, text in module.PAYSLIP.items():
        assert _placeholders(text) == _placeholders(payslip_pdf.TEXTS["en"][key]), key


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _shape(template: Any) -> list[set[str]]:
    """The fields of each alternative: a translation keeps the alternatives and their facts."""
    return [_fields(alternative) for alternative in ((template,) if isinstance(template, str) else template)]


@pytest.mark.parametrize("language", TRANSLATED, ids=[language.code for language in TRANSLATED])
def test_every_participant_wording_is_translated_with_the_same_facts(language: Any) -> None:
    wordings = import_module(f"tremplin.translations.{language.module}").WORDINGS
    english = {
        kind: by_audience["participant"] for kind, by_audience in messages._EN.items() if "participant" in by_audience
    }
    assert set(wordings) == set(english)
    for kind, wording in english.items():
        assert set(wordings[kind]) == {"participant"}, kind
        subject, *text = wordings[kind]["participant"]
        assert _shape(subject) == _shape(wording.subject), kind
        assert [_shape(t) for t in text] == [_shape(t) for t in wording.text], kind


def test_the_loaded_translations_are_the_languages_beyond_german_french_and_english() -> None:
    assert set(TRANSLATIONS) == set(CODES) - set(BASE_CODES)
    assert set(payslip_pdf.TEXTS) == set(CODES)
    assert set(messages.CATALOGUE) == set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_a_participant_may_prefer_every_language(code: str) -> None:
    assert ProfileUpdate.model_validate({"preferred_language": code}).preferred_language == code


def test_a_language_not_in_the_list_is_refused() -> None:
    with pytest.raises(ValueError, match="preferred_language"):
        ProfileUpdate.model_validate({"preferred_language": "es"})
