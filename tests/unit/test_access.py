"""The access rules on their own (no AWS); tests/unit/test_authorization_*.py check them through the API."""

from __future__ import annotations

import pytest

from tremplin import access
from tremplin.access import Slice
from tremplin.identity import Caller, Role

ME = Caller(sub="u-me", role=Role.PARTICIPANT, participant_id="par-me")
OTHER = Caller(sub="u-other", role=Role.PARTICIPANT, participant_id="par-other")
EMPLOYER = Caller(sub="u-emp", role=Role.EMPLOYER, org_id="org-a")
RIVAL = Caller(sub="u-rival", role=Role.EMPLOYER, org_id="org-b")
CASEWORKER = Caller(sub="cw-1", role=Role.CASEWORKER)
OTHER_CASEWORKER = Caller(sub="cw-2", role=Role.CASEWORKER)
ADMIN = Caller(sub="u-admin", role=Role.ADMIN)

APP = {"participant_id": "par-me", "org_id": "org-a", "caseworker_id": "cw-1"}


@pytest.mark.parametrize(
    ("caller", "sees"),
    [
        (ME, True),
        (OTHER, False),
        (EMPLOYER, True),
        (RIVAL, False),
        (CASEWORKER, True),
        (OTHER_CASEWORKER, False),
        (ADMIN, True),
    ],
)
def test_an_application_is_seen_by_its_parties_only(caller: Caller, sees: bool) -> None:
    profile = {"participant_id": APP["participant_id"], "caseworker_id": APP["caseworker_id"]}
    assert access.may_see_application(caller, APP, profile) is sees


def test_a_caseworker_sees_applications_by_the_participants_caseworker_now() -> None:
    moved = {"participant_id": APP["participant_id"], "caseworker_id": OTHER_CASEWORKER.sub}
    assert not access.may_see_application(CASEWORKER, APP, moved)  # the copy on APP names CASEWORKER
    assert access.may_see_application(OTHER_CASEWORKER, APP, moved)
    assert not access.may_see_application(CASEWORKER, APP, None)  # no profile, nothing to see


def test_a_draft_or_a_suspended_organisations_job_is_hidden_from_participants_and_caseworkers() -> None:
    open_job = {"org_id": "org-a", "status": "open", "org_active": True}
    for hidden in ({**open_job, "status": "draft"}, {**open_job, "org_active": False}):
        assert not access.may_see_job(ME, hidden)
        assert not access.may_see_job(CASEWORKER, hidden)
        assert access.may_see_job(EMPLOYER, hidden) and access.may_see_job(ADMIN, hidden)
        assert not access.may_see_job(RIVAL, hidden)
    assert access.may_see_job(ME, open_job)
    assert access.may_change_job(EMPLOYER, open_job)
    assert not access.may_change_job(RIVAL, open_job) and not access.may_change_job(ADMIN, open_job)


def test_a_caseworker_reaches_their_own_caseload_only() -> None:
    profile = {"caseworker_id": "cw-1"}
    assert access.may_see_participant(CASEWORKER, profile)
    assert not access.may_see_participant(OTHER_CASEWORKER, profile)
    assert access.may_see_participant(ADMIN, profile)
    assert not access.may_see_participant(EMPLOYER, profile)
    assert access.may_assign_caseworker(CASEWORKER, "cw-1")
    assert not access.may_assign_caseworker(CASEWORKER, "cw-2")
    assert access.may_assign_caseworker(ADMIN, "cw-2")


def test_an_erased_or_unknown_participant_acts_on_nothing() -> None:
    assert access.acts_as_participant({"status": "active"})
    assert not access.acts_as_participant({"status": "erased"})
    assert not access.acts_as_participant(None)


def test_reports_and_their_parts() -> None:
    earnings = {"report_type": "earnings", "org_id": None}
    employer = {"report_type": "employer", "org_id": "org-a"}
    assert access.may_see_report(CASEWORKER, earnings) and not access.may_see_report(CASEWORKER, employer)
    assert access.may_see_report(EMPLOYER, employer) and not access.may_see_report(RIVAL, employer)
    assert not access.may_see_report(EMPLOYER, earnings) and not access.may_see_report(ME, earnings)
    assert access.report_part(CASEWORKER, earnings) == "caseworker-cw-1"
    assert access.report_part(ADMIN, earnings) == "all"
    assert access.report_part(EMPLOYER, employer) == "org-org-a"


def test_what_each_role_lists() -> None:
    assert [access.jobs_slice(c) for c in (ME, CASEWORKER, EMPLOYER, ADMIN)] == [
        Slice.OPEN,
        Slice.OPEN,
        Slice.ORGANISATION,
        Slice.ALL,
    ]
    assert access.participants_slice(CASEWORKER) is Slice.CASELOAD and access.participants_slice(ADMIN) is Slice.ALL
    assert access.reports_slice(ME) is Slice.NONE and access.reports_slice(EMPLOYER) is Slice.ORGANISATION
    assert access.organisations_slice(EMPLOYER) is Slice.ORGANISATION and access.organisations_slice(ADMIN) is Slice.ALL
    assert access.may_see_organisation(EMPLOYER, "org-a") and not access.may_see_organisation(EMPLOYER, "org-b")
    assert not access.may_see_organisation(CASEWORKER, "org-a")
