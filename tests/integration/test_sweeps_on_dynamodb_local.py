"""The schedules' sweeps on DynamoDB Local: more than a page of due items, each handled."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

import pytest

from tests.helpers import Api, all_items

pytestmark = pytest.mark.integration


def test_150_due_offers_and_150_due_hours_are_all_handled_in_one_sweep(
    api: Api, dynamodb_local: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """More than a page of due items, in a schedules function that reads no cursor secret."""
    from tests.helpers import create_org, job_body, participant_body, shift_body
    from tremplin import clock
    from tremplin.identity import Caller, Role
    from tremplin.logic import applications, participants
    from tremplin.models.applications import ApplyRequest, HoursRequest
    from tremplin.models.participants import ConsentRequest, ParticipantCreate

    clock.pin(datetime.fromisoformat("2026-11-25T09:00:00+01:00"))
    org = create_org(api)
    employer = Caller(sub="employer-1", role=Role.EMPLOYER, org_id=org)
    days = [shift_body(f"2026-12-0{d}T08:00:00+01:00", f"2026-12-0{d}T12:00:00+01:00", slots=50) for d in range(1, 7)]
    posted = api.call("POST", "/jobs", token=api.employer(org), json_body=job_body(*days, publish=True)).body
    shifts = [s["shift_id"] for s in posted["shifts"]]
    caseworker = Caller(sub="cw-1", role=Role.CASEWORKER)
    app_ids = []
    for n in range(300):
        enrolled = participants.enrol(
            caseworker, ParticipantCreate.model_validate(participant_body(email=f"p{n}@x.ch"))
        )
        me = Caller(sub=f"p{n}", role=Role.PARTICIPANT, participant_id=enrolled.participant_id)
        participants.give_consent(me, ConsentRequest(version="2026-01"), frozenset({"2026-01"}))
        app_id = applications.apply(me, shifts[n // 50], ApplyRequest()).application_id
        applications.accept(employer, app_id)
        if n % 2:  # every other one confirms and works the shift: its hours are due for approval
            applications.confirm(me, app_id)
        app_ids.append((app_id, bool(n % 2)))
    clock.pin(datetime.fromisoformat("2026-12-06T13:00:00+01:00"))
    for n, (app_id, worked) in enumerate(app_ids):
        day = f"2026-12-0{n // 50 + 1}"
        worked_hours = {"started_at": f"{day}T08:00:00+01:00", "ended_at": f"{day}T12:00:00+01:00", "break_minutes": 30}
        if worked:
            applications.submit_hours(employer, app_id, HoursRequest.model_validate(worked_hours))
    clock.pin(datetime.fromisoformat("2026-12-10T13:00:00+01:00"))  # offers expired, hours over 72 h old
    from tremplin.data import reset

    # A secret the schedules function may not read: a sweep that signed a cursor would fail.
    monkeypatch.setenv("CURSOR_SECRET_ARN", "arn:aws:secretsmanager:eu-central-2:123456789012:secret:none")
    reset()
    assert applications.expire_offers() == 150
    assert applications.auto_approve_hours() == 150
    statuses = Counter(i["status"] for i in all_items(dynamodb_local["Table"]) if i["type"] == "application")
    assert statuses == {"expired": 150, "completed": 150}
