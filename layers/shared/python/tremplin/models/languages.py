"""The languages Tremplin speaks: the one list everything else derives from.

Python takes `UiLanguage` (participants' preferred_language, the papers' ?lang=) and `CODES`
from here; the web app takes web/assets/i18n/languages.js, which tools/languages.py writes from
this list (`--check` in `make lint` fails when they drift). Adding a language: a line here, the
web catalogue web/assets/i18n/<code>.js, the server texts tremplin/translations/<module>.py, and
for a script the payslip's core font cannot show, its font (tremplin.pdf_fonts). README "Languages".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["ltr", "rtl"]


@dataclass(frozen=True)
class Language:
    code: str  # the web's code; "de-simple" is German in simple language
    name: str  # in the language itself, as the header's picker shows it
    script: str  # ISO 15924: which font a payslip needs
    direction: Direction = "ltr"
    reviewed: bool = False  # False: a machine translation no native speaker has checked yet

    @property
    def module(self) -> str:
        """The Python module of its server texts: tremplin.translations.<module> ("de_simple")."""
        return self.code.replace("-", "_")

    @property
    def html_lang(self) -> str:
        """The BCP 47 tag for <html lang>: simple German is German to a screen reader."""
        return self.code.split("-")[0]

    @property
    def locale(self) -> str:
        """The locale dates and amounts are written in (Latin digits, as on every Swiss paper)."""
        return f"{self.html_lang}-CH" + ("-u-nu-latn" if self.script == "Arab" else "")


LANGUAGES: tuple[Language, ...] = (
    Language("de", "Deutsch", "Latn", reviewed=True),
    Language("de-simple", "Einfaches Deutsch", "Latn"),
    Language("fr", "Français", "Latn", reviewed=True),
    Language("it", "Italiano", "Latn"),
    Language("en", "English", "Latn", reviewed=True),
    Language("ar", "العربية", "Arab", direction="rtl"),
    Language("ti", "ትግርኛ", "Ethi"),
    Language("pt", "Português", "Latn"),
    Language("sq", "Shqip", "Latn"),
    Language("ta", "தமிழ்", "Taml"),
    Language("uk", "Українська", "Cyrl"),
)

CODES: tuple[str, ...] = tuple(language.code for language in LANGUAGES)
BY_CODE: dict[str, Language] = {language.code: language for language in LANGUAGES}
BASE_CODES = ("de", "fr", "en")  # every text exists in these; staff and employer texts only in these

# Literals built from the lists, so pydantic and the OpenAPI document name every code.
UiLanguage = Literal[CODES]  # type: ignore[valid-type]
BaseLanguage = Literal[BASE_CODES]  # type: ignore[valid-type]  # papers for employers: work confirmations
