"""The shipped copy of ISO 639-1 is pycountry's list, and participants' languages are checked against it."""

from __future__ import annotations

import pycountry
import pytest
from pydantic import ValidationError

from tests.helpers import participant_body
from tremplin.models.iso639 import ISO_639_1
from tremplin.models.participants import ParticipantCreate


def test_the_copy_is_pycountrys_two_letter_list() -> None:
    assert {language.alpha_2 for language in pycountry.languages if hasattr(language, "alpha_2")} == ISO_639_1


@pytest.mark.parametrize(("given", "stored"), [("ti", "ti"), (" AR ", "ar"), ("de", "de")])
def test_a_participants_languages_are_iso_639_1_codes(given: str, stored: str) -> None:
    assert ParticipantCreate.model_validate(participant_body(languages=[given])).languages == [stored]


@pytest.mark.parametrize("given", ["xx", "deu", "", "d"])
def test_anything_else_is_refused_by_name(given: str) -> None:
    with pytest.raises(ValidationError, match="ISO 639-1"):
        ParticipantCreate.model_validate(participant_body(languages=[given]))
