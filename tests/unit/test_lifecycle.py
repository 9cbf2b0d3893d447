"""The lifecycle table on its own: no AWS, just the rules of PRODUCT.md's diagram."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tremplin.lifecycle import CASCADE_CANCEL, TRANSITIONS, transition
from tremplin.models.applications import HOLDING, ApplicationStatus

S = ApplicationStatus
ENDED = {S.WITHDRAWN, S.REJECTED, S.DECLINED, S.EXPIRED, S.CANCELLED, S.NO_SHOW, S.COMPLETED}


def moves_from(status: ApplicationStatus) -> list[str]:
    return sorted(name for name, t in TRANSITIONS.items() if t.allows(status) and t.target != status)


def test_the_diagram_of_product_md() -> None:
    assert moves_from(S.APPLIED) == ["accept", "cancel_application", "reject", "withdraw"]
    assert moves_from(S.OFFERED) == ["cancel", "cancel_held", "confirm", "decline", "expire"]
    assert moves_from(S.CONFIRMED) == ["cancel", "cancel_held", "no_show", "submit_hours"]
    assert moves_from(S.HOURS_SUBMITTED) == ["approve_hours", "auto_approve_hours", "dispute_hours"]
    assert moves_from(S.HOURS_DISPUTED) == ["resolve_hours"]


def test_ended_statuses_have_no_way_out() -> None:
    for status in ENDED:
        assert moves_from(status) == [], status


def test_every_status_is_reachable_from_a_new_application() -> None:
    reached, frontier = {S.APPLIED}, [S.APPLIED]
    while frontier:
        status = frontier.pop()
        for name in moves_from(status):
            target = TRANSITIONS[name].target
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(ApplicationStatus)


def test_a_move_either_holds_on_every_source_or_on_none() -> None:
    """Otherwise whether it frees a slot would depend on where it came from."""
    for name, t in TRANSITIONS.items():
        assert t.sources <= HOLDING or not t.sources & HOLDING, name


def test_only_accepting_takes_a_slot_and_only_leaving_the_holding_statuses_frees_one() -> None:
    assert [n for n, t in TRANSITIONS.items() if t.takes_slot] == ["accept"]
    assert sorted(n for n, t in TRANSITIONS.items() if t.releases_slot) == [
        "cancel",
        "cancel_held",
        "decline",
        "expire",
    ]
    assert not transition("apply").releases_slot  # a new application frees nothing


def test_a_cascade_cancels_whatever_is_still_open_and_nothing_else() -> None:
    assert set(CASCADE_CANCEL) == {S.APPLIED, S.OFFERED, S.CONFIRMED}
    for status, name in CASCADE_CANCEL.items():
        assert transition(name).allows(status) and transition(name).target is S.CANCELLED


@given(st.lists(st.integers(min_value=0, max_value=50), max_size=12))
def test_slots_held_follow_the_status_on_every_path(choices: list[int]) -> None:
    """The shift's `filled` counts exactly the applications in a holding status: along any path
    through the table, slots taken minus slots freed is 1 while the status holds, else 0."""
    status, held = S.APPLIED, 0
    for choice in choices:
        options = [n for n, t in TRANSITIONS.items() if t.allows(status)]
        if not options:
            break
        move = TRANSITIONS[options[choice % len(options)]]
        held += move.takes_slot - move.releases_slot
        status = move.target
        assert held == (status in HOLDING), (status, held)
