"""Papers for the next step (API.md): the public check of an issued paper, and the reference an
employer may write on a completed application, which its participant includes or not."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from tremplin.models import Model, Strict

REFERENCE_MAX = 1000

Document = Literal["work_confirmation"]


class Verification(Model):
    """What GET /verify/{code} answers: the paper is genuine, its kind and date; nothing personal."""

    valid: Literal[True] = True
    document: Document
    issued_on: str


class ReferenceRequest(Strict):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=REFERENCE_MAX)]


class WrittenReference(Model):
    """An employer's reference (Arbeitszeugnis) on a completed application, as its writer sees
    it: whether the participant prints it is their own business."""

    text: str
    written_at: str


class Reference(WrittenReference):
    """The reference as its participant (and staff) see it. `included`: the participant chose to
    have it printed in their work confirmation; never without their choice, and a changed text
    waits for their choice again."""

    included: bool = False
