"""Participants' texts in the languages beyond German, French and English: inbox messages and
payslips. One module per language, named as tremplin.models.languages says (`de_simple` for
"de-simple"), defining

    REVIEWED: bool                     # False: machine translation, no native speaker checked it
    PIECES: dict[str, str]             # the keys of messages._PIECES["en"]
    WEEKDAYS: tuple[str, ...]          # Monday first, 7 items
    WORDINGS: dict[str, dict[str, tuple[str | tuple[str, ...], ...]]]
        # kind -> {"participant": (subject, *text)}, every kind with a participant wording in English
    PAYSLIP: dict[str, str]            # the keys of payslip_pdf.TEXTS["en"]

Staff and employer texts stay in de, fr and en (tests/unit/test_translations.py checks each
module against the English ones: every key, the same placeholders).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from tremplin.models.languages import BASE_CODES, LANGUAGES

Template = str | tuple[str, ...]


@dataclass(frozen=True)
class Translation:
    code: str
    reviewed: bool
    pieces: dict[str, str]
    weekdays: tuple[str, ...]
    wordings: dict[str, dict[str, tuple[Template, ...]]]
    payslip: dict[str, str]


def _load(code: str, module_name: str) -> Translation:
    module: Any = import_module(f"{__name__}.{module_name}")
    return Translation(code, module.REVIEWED, module.PIECES, module.WEEKDAYS, module.WORDINGS, module.PAYSLIP)


TRANSLATIONS: dict[str, Translation] = {
    language.code: _load(language.code, language.module) for language in LANGUAGES if language.code not in BASE_CODES
}
