"""References (Arbeitszeugnis): an employer's short text on a completed application, printed in
the participant's work confirmation only when the participant chose to include it.

Each change is one conditional update of the application: writing only while it is completed
(completed is final, so that is once and for all), choosing only on the text the participant
read, so a text the employer changed meanwhile is never included unseen. A
repeated request finds the state it asks for and writes nothing.
"""

from __future__ import annotations

from typing import Any

from tremplin import access, clock
from tremplin.data import applications as store
from tremplin.data.dynamo import TransactionRefused, write_one
from tremplin.errors import Conflict, NotFound
from tremplin.identity import Caller, Role
from tremplin.models.applications import Application, ApplicationStatus
from tremplin.models.papers import ReferenceRequest, WrittenReference

COMPLETED = (ApplicationStatus.COMPLETED.value,)


def _not_found(app_id: str) -> NotFound:
    return NotFound(f"Application {app_id} was not found.")


def _not_completed() -> Conflict:
    return Conflict("A reference is written on completed work only.", code="application_not_completed")


def _load(caller: Caller, app_id: str) -> dict[str, Any]:
    """The application, if the caller may see it (a participant's token only while they act)."""
    if caller.role is Role.PARTICIPANT:
        app, profile = store.read(store.app_key(app_id), store.profile_key(caller.participant_id or ""))
        if not access.acts_as_participant(profile, caller):
            raise _not_found(app_id)
    else:
        app = store.get(app_id)
    if app is None or not access.may_see_application(caller, app):
        raise _not_found(app_id)
    return app


def write(caller: Caller, app_id: str, body: ReferenceRequest) -> WrittenReference:
    """The organisation's reference on its completed application, written or rewritten; a new
    text is excluded until the participant includes it."""
    app = _load(caller, app_id)
    if app["status"] != ApplicationStatus.COMPLETED:
        raise _not_completed()
    current = app.get("reference") or {}
    if current.get("text") == body.text:
        return WrittenReference.model_validate(current)  # a repeat: as it is
    reference = {"text": body.text, "written_at": clock.iso(clock.now()), "included": False}
    try:
        write_one(store.app_update(app_id, COMPLETED, set_={"reference": reference}))
    except TransactionRefused:
        raise _not_completed() from None
    return WrittenReference.model_validate(reference)


def choose(caller: Caller, app_id: str, included: bool) -> Application:
    """The participant includes the reference in their work confirmation, or leaves it out."""
    app = _load(caller, app_id)
    reference = app.get("reference")
    if not reference:
        raise Conflict("No reference was written on this application.", code="no_reference")
    if bool(reference.get("included")) == included:
        return Application.model_validate(app)
    update = store.app_update(
        app_id,
        COMPLETED,
        set_={"reference": {**reference, "included": included}},
        extra_condition="#ref.#text = :seen",
        extra_names={"#ref": "reference", "#text": "text"},
        extra_values={":seen": reference["text"]},
    )
    try:
        write_one(update)
    except TransactionRefused:
        raise Conflict("The reference was changed meanwhile; please read it again.", code="reference_changed") from None
    return Application.model_validate({**app, "reference": {**reference, "included": included}})
