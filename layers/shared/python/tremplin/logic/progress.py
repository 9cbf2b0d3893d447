"""Contribution months toward unemployment insurance, for the participant and their caseworker
(API.md: /me/progress, /participants/{id}/progress). The rule is tremplin.contributions'."""

from __future__ import annotations

from datetime import datetime, timedelta

from tremplin import access, clock, contributions
from tremplin.data import applications as app_store
from tremplin.errors import NotFound
from tremplin.identity import Caller
from tremplin.logic import participants
from tremplin.models.progress import Progress

PROGRESS_FIELDS = ("hours", "pay", "contribution_months")
"""What a staff read of the progress shows of the participant (its audit entry names them)."""


def mine(caller: Caller) -> Progress:
    participant_id = caller.participant_id or ""
    profile = app_store.read(app_store.profile_key(participant_id))[0]
    if not access.acts_as_participant(profile, caller):  # an erased participant's token reads nothing
        raise NotFound("Participant was not found.")
    return _progress(participant_id)


def of_participant(caller: Caller, participant_id: str) -> Progress:
    profile = app_store.read(app_store.profile_key(participant_id))[0]
    if profile is None or not access.may_see_participant(caller, profile):
        raise NotFound(f"Participant {participant_id} was not found.")
    participants.audit_staff_read(caller, participant_id, "read_progress", PROGRESS_FIELDS)
    return _progress(participant_id)


def _progress(participant_id: str) -> Progress:
    today = clock.now().astimezone(clock.ZURICH).date()
    window = contributions.window(today)
    # A shift's start (the index's order, UTC) lies within a day of its Zurich work day; the
    # rule keeps only the work inside the window.
    first = datetime.combine(window.first - timedelta(days=1), datetime.min.time(), clock.ZURICH)
    last = datetime.combine(window.last + timedelta(days=2), datetime.min.time(), clock.ZURICH)
    apps = app_store.started_between(participant_id, clock.iso(first), clock.iso(last))
    found = contributions.progress(apps, today)
    return Progress(
        participant_id=participant_id,
        contribution_months=str(found.contribution_months),
        required_months=contributions.REQUIRED_MONTHS,
        worked_days=found.worked_days,
        months_worked=found.months_worked,
        window_from=window.first.isoformat(),
        window_to=window.last.isoformat(),
        completed_shifts=found.completed_shifts,
        employers=found.employers,
        hours=str(found.hours),
        gross=str(found.gross),
        average_monthly_gross=str(found.average_monthly_gross),
    )
