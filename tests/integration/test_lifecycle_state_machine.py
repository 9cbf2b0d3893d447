"""Random sequences of every transition of the lifecycle, checking the invariants after
each step on the state DynamoDB Local holds."""

from __future__ import annotations

import itertools
import os
import uuid
from datetime import datetime, timedelta
from typing import Any

import boto3
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from local import resources
from local.environment import LocalEnvironment
from tests.helpers import Api, create_org, job_body, participant_body, shift_body

pytestmark = pytest.mark.integration

NOW = datetime.fromisoformat("2026-11-25T09:00:00+01:00")
# Three shifts: a and b overlap; c is the next day. Participant 0 has a 7 h weekly cap.
SHIFTS = [
    ("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00", 2),
    ("2026-12-01T10:00:00+01:00", "2026-12-01T14:00:00+01:00", 1),
    ("2026-12-02T08:00:00+01:00", "2026-12-02T12:00:00+01:00", 2),
]
HOLDING = {"offered", "confirmed", "hours_submitted", "hours_disputed", "completed", "no_show"}
# Which statuses each action may leave from (PRODUCT.md's lifecycle).
LEGAL = {
    "withdraw": {"applied"},
    "reject": {"applied"},
    "accept": {"applied"},
    "confirm": {"offered"},
    "decline": {"offered"},
    "cancel": {"offered", "confirmed"},
    "no-show": {"confirmed"},
    "hours": {"confirmed"},
    "hours/approve": {"hours_submitted"},
    "hours/dispute": {"hours_submitted"},
    "hours/resolve": {"hours_disputed"},
}
# A legal move may still be refused by a rule that is not about the status.
RULE_CODES = {
    "shift_full",
    "overlapping_shift",
    "weekly_hours_exceeded",
    "too_late_to_offer",
    "offer_expired",
    "shift_not_started",
}
HOURS = {"started_at": "2026-12-01T08:00:00+01:00", "ended_at": "2026-12-01T11:00:00+01:00", "break_minutes": 0}


class Lifecycle(RuleBasedStateMachine):
    env: LocalEnvironment

    @initialize()
    def setup(self) -> None:
        from tremplin.data import reset

        refs = resources.provision(f"sm-{uuid.uuid4().hex[:10]}")
        os.environ.update(resources.function_environment(refs))
        reset()
        self.table = boto3.resource("dynamodb").Table(refs["Table"])
        self.api = Api()
        self.now = NOW
        self._clock()
        org = create_org(self.api)
        self.employer = self.api.employer(org)
        self.shifts = []
        for start, end, slots in SHIFTS:
            body = job_body(shift_body(start, end, slots=slots, break_minutes=30), publish=True)
            self.shifts.append(
                self.api.call("POST", "/jobs", token=self.employer, json_body=body).body["shifts"][0]["shift_id"]
            )
        self.tokens = []
        for i in range(3):
            extra = {"weekly_hours_limit": 7} if i == 0 else {}
            p = self.api.call(
                "POST",
                "/participants",
                token=self.api.token("caseworker", "cw"),
                json_body=participant_body(email=f"s{i}@example.ch", **extra),
            ).body
            token = self.api.token("participant", f"u{i}", participant_id=p["participant_id"])
            self.api.call("POST", "/me/consent", token=token, json_body={"version": "2026-01"})
            self.tokens.append(token)
        self.apps: dict[str, str] = {}  # application id -> participant token

    def _clock(self) -> None:
        self.api.call("POST", "/_local/clock", json_body={"now": self.now.isoformat()})

    def _stored(self, app_id: str) -> dict[str, Any]:
        return dict(self.table.get_item(Key={"PK": f"APP#{app_id}", "SK": "APP"}, ConsistentRead=True)["Item"])

    @rule(p=st.integers(0, 2), s=st.integers(0, 2))
    def apply(self, p: int, s: int) -> None:
        answer = self.api.call("POST", f"/shifts/{self.shifts[s]}/applications", token=self.tokens[p])
        assert answer.status in (201, 409), answer.body
        if answer.status == 201:
            self.apps[answer.body["application_id"]] = self.tokens[p]
        else:
            assert answer.error_code in {"already_applied", "shift_closed"}

    def _do(self, data: st.DataObject, action: str, side: str) -> None:
        if not self.apps:
            return
        app_id = data.draw(st.sampled_from(sorted(self.apps)))
        before = self._stored(app_id)
        token = {"admin": self.api.admin(), "employer": self.employer, "participant": self.apps[app_id]}[side]
        body = {
            "cancel": {"reason": "test"},
            "hours/dispute": {"reason": "test"},
            "hours": HOURS,
            "hours/resolve": HOURS,
        }.get(action)
        answer = self.api.call("POST", f"/applications/{app_id}/{action}", token=token, json_body=body)
        after = self._stored(app_id)
        if before["status"] not in LEGAL[action]:
            assert answer.status == 409, (action, before["status"], answer.body)
            assert answer.error_code == "invalid_transition"
        if answer.status == 409:
            assert after == before, (action, "a refused transition changed the application")
            assert answer.error_code == "invalid_transition" or answer.error_code in RULE_CODES
        else:
            assert answer.status == 200, answer.body
            assert after["status"] != before["status"]

    # Accepting is the move that tests the invariants most: it has a rule of its own.
    @rule(data=st.data())
    def accept(self, data: st.DataObject) -> None:
        self._do(data, "accept", "employer")

    @rule(
        data=st.data(),
        action=st.sampled_from(["withdraw", "confirm", "decline", "cancel", "hours/approve", "hours/dispute"]),
    )
    def participant_moves(self, data: st.DataObject, action: str) -> None:
        self._do(data, action, "participant")

    @rule(data=st.data(), action=st.sampled_from(["reject", "cancel", "no-show", "hours"]))
    def employer_moves(self, data: st.DataObject, action: str) -> None:
        self._do(data, action, "employer")

    @rule(data=st.data())
    def admin_resolves(self, data: st.DataObject) -> None:
        self._do(data, "hours/resolve", "admin")

    @rule(hours=st.sampled_from([1, 6, 25, 72]))
    def time_passes(self, hours: int) -> None:
        self.now += timedelta(hours=hours)
        self._clock()

    @rule(job=st.sampled_from(["expire-offers", "auto-approve-hours", "shift-reminders"]))
    def schedule(self, job: str) -> None:
        assert self.api.call("POST", f"/_local/schedules/{job}").status == 200

    @invariant()
    def slots_match_held_applications(self) -> None:
        if not getattr(self, "apps", None):
            return
        apps = [self._stored(a) for a in self.apps]
        for shift_id, (_, _, slots) in zip(self.shifts, SHIFTS, strict=True):
            stored = self.table.get_item(Key={"PK": f"SHIFT#{shift_id}", "SK": "SHIFT"}, ConsistentRead=True)["Item"]
            held = [a for a in apps if a["shift_id"] == shift_id and a["status"] in HOLDING]
            assert int(stored["filled"]) == len(held) <= slots

    @invariant()
    def no_participant_holds_overlapping_shifts_or_exceeds_the_cap(self) -> None:
        if not getattr(self, "apps", None):
            return
        apps = [self._stored(a) for a in self.apps]
        by_participant: dict[str, list[dict[str, Any]]] = {}
        for a in apps:
            if a["status"] in HOLDING:
                by_participant.setdefault(a["participant_id"], []).append(a)
        for held in by_participant.values():
            spans = sorted((a["shift_starts_at"], a["shift_ends_at"]) for a in held)
            for (_, end), (start, _) in itertools.pairwise(spans):
                assert end <= start, f"overlapping held shifts {spans}"
        capped = self.tokens[0]
        capped_apps = [a for a, t in self.apps.items() if t == capped]
        minutes = sum(210 for a in capped_apps if self._stored(a)["status"] in HOLDING)
        assert minutes <= 7 * 60


@pytest.mark.usefixtures("dynamodb_local")
def test_lifecycle_invariants_hold_for_random_sequences(local_env: LocalEnvironment) -> None:
    Lifecycle.TestCase.settings = settings(
        max_examples=40, stateful_step_count=40, deadline=None, suppress_health_check=list(HealthCheck)
    )
    Lifecycle.TestCase().runTest()
