"""The application lifecycle of PRODUCT.md as one table.

Each operation names the statuses it moves an application from and the status it moves it to;
tremplin.logic.applications builds every operation and the condition of its write from here, so
no other module names a from-status. Pure: no AWS, tested on its own (tests/unit/test_lifecycle.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from tremplin.models.applications import HOLDING, ApplicationStatus

S = ApplicationStatus


@dataclass(frozen=True)
class Transition:
    sources: frozenset[ApplicationStatus]
    target: ApplicationStatus
    action: str  # as a refusal says it: "An application that is applied cannot be <action>."

    def allows(self, status: str) -> bool:
        return status in self.sources

    @property
    def takes_slot(self) -> bool:
        """Enters a status that holds a slot on the shift and a place in the participant's week."""
        return self.target in HOLDING and not self.sources & HOLDING

    @property
    def releases_slot(self) -> bool:
        """Leaves the statuses that hold one: the slot goes back to the shift."""
        return bool(self.sources) and self.target not in HOLDING and self.sources <= HOLDING


def _t(sources: set[ApplicationStatus], target: ApplicationStatus, action: str) -> Transition:
    return Transition(frozenset(sources), target, action)


TRANSITIONS: dict[str, Transition] = {
    # participant ("apply" makes a new application: it moves from nothing)
    "apply": _t(set(), S.APPLIED, "made"),
    "withdraw": _t({S.APPLIED}, S.WITHDRAWN, "withdrawn"),
    "confirm": _t({S.OFFERED}, S.CONFIRMED, "confirmed"),
    "decline": _t({S.OFFERED}, S.DECLINED, "declined"),
    "approve_hours": _t({S.HOURS_SUBMITTED}, S.COMPLETED, "approved"),
    "dispute_hours": _t({S.HOURS_SUBMITTED}, S.HOURS_DISPUTED, "disputed"),
    # employer
    "accept": _t({S.APPLIED}, S.OFFERED, "accepted"),
    "reject": _t({S.APPLIED}, S.REJECTED, "rejected"),
    "no_show": _t({S.CONFIRMED}, S.NO_SHOW, "marked as a no-show"),
    "submit_hours": _t({S.CONFIRMED}, S.HOURS_SUBMITTED, "given hours"),
    # either side, once offered
    "cancel": _t({S.OFFERED, S.CONFIRMED}, S.CANCELLED, "cancelled"),
    "rate": _t({S.COMPLETED}, S.COMPLETED, "rated"),
    # admin
    "resolve_hours": _t({S.HOURS_DISPUTED}, S.COMPLETED, "resolved"),
    # schedules
    "expire": _t({S.OFFERED}, S.EXPIRED, "expired"),
    "auto_approve_hours": _t({S.HOURS_SUBMITTED}, S.COMPLETED, "approved"),
    "remind": _t({S.CONFIRMED}, S.CONFIRMED, "reminded"),
    # cascades: a cancelled shift or job, a participant leaving the programme
    "cancel_application": _t({S.APPLIED}, S.CANCELLED, "cancelled"),
    "cancel_held": _t({S.OFFERED, S.CONFIRMED}, S.CANCELLED, "cancelled"),
}

# What a cascade does to an application in each status it can still cancel.
CASCADE_CANCEL = {s: name for name in ("cancel_application", "cancel_held") for s in TRANSITIONS[name].sources}


def transition(name: str) -> Transition:
    return TRANSITIONS[name]
