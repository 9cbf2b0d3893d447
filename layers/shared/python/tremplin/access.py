"""Who may see and change what (PRODUCT.md "Roles"), in one place.

Every rule is a pure function of the caller and the item as stored; the domain logic loads the
item, asks here, and answers 404 for anything the caller may not see, as if it did not exist.
Listing rules say which slice of an index a caller reads (their organisation, their caseload, all).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeGuard

from tremplin.identity import Caller, Role


class Slice(StrEnum):
    """Which part of a collection a caller lists."""

    ALL = "all"
    ORGANISATION = "organisation"  # the caller's organisation's own
    CASELOAD = "caseload"  # the caseworker's own participants
    OPEN = "open"  # what participants browse: published, of active organisations
    NONE = "none"


# ---------------------------------------------------------------- participants' own data


def acts_as_participant(own_profile: dict[str, Any] | None, caller: Caller | None = None) -> TypeGuard[dict[str, Any]]:
    """A participant's token acts only while their profile (read by the token's participant id)
    exists and is not erased, and, once the profile names its account's `sub`, only with a
    token of that account."""
    if own_profile is None or own_profile.get("status") == "erased":
        return False
    bound = own_profile.get("identity_sub")
    return caller is None or not bound or bound == caller.sub


# ---------------------------------------------------------------- applications


def may_see_application(caller: Caller, app: dict[str, Any], profile: dict[str, Any] | None = None) -> bool:
    """The participant, the employer of the shift, the participant's caseworker as their
    `profile` names them now (not the copy the application took when it was made: a
    participant moved to another caseload takes their applications along), admins."""
    allowed = {
        Role.PARTICIPANT: app["participant_id"] == caller.participant_id,
        Role.EMPLOYER: app["org_id"] == caller.org_id,
        Role.CASEWORKER: profile is not None and profile.get("caseworker_id") == caller.sub,
        Role.ADMIN: True,
    }
    return bool(allowed[caller.role])


def reads_profile_to_see_application(caller: Caller) -> bool:
    """Whether `may_see_application` needs the participant's profile for this caller."""
    return caller.role is Role.CASEWORKER


def sees_applicant_card_only(caller: Caller) -> bool:
    """An employer sees the applicant card, never the case data (nor that it is a case)."""
    return caller.role is Role.EMPLOYER


# ---------------------------------------------------------------- jobs and shifts


def may_see_job(caller: Caller, job: dict[str, Any]) -> bool:
    """Employers their own organisation's jobs, admins all, participants and caseworkers the
    published jobs of active organisations."""
    if caller.role is Role.EMPLOYER:
        return bool(job["org_id"] == caller.org_id)
    if caller.role is Role.ADMIN:
        return True
    return job["status"] != "draft" and bool(job.get("org_active", True))


def may_change_job(caller: Caller, job: dict[str, Any]) -> bool:
    """Only the organisation that posted it (the routes admit employers alone)."""
    return caller.role is Role.EMPLOYER and job["org_id"] == caller.org_id


def may_see_shift_applicants(caller: Caller, shift: dict[str, Any]) -> bool:
    return caller.role is Role.EMPLOYER and shift["org_id"] == caller.org_id


def waits_for_favourites(caller: Caller) -> bool:
    """While a job is published to its organisation's favourites first, participants (unless
    favourites) and caseworkers see it as not yet published; its organisation and admins see it."""
    return caller.role in (Role.PARTICIPANT, Role.CASEWORKER)


def is_favourite_of(caller: Caller, org_id: str, favoured_orgs: frozenset[str]) -> bool:
    """The participant calling is a favourite of the organisation (`favoured_orgs`: theirs, as stored)."""
    return caller.role is Role.PARTICIPANT and org_id in favoured_orgs


# ---------------------------------------------------------------- favourites


def may_manage_favourites(caller: Caller, org_id: str) -> bool:
    """An organisation's employers mark, unmark and list its favourites; admins list and change any."""
    return caller.role is Role.ADMIN or (caller.role is Role.EMPLOYER and caller.org_id == org_id)


def jobs_slice(caller: Caller) -> Slice:
    return {Role.EMPLOYER: Slice.ORGANISATION, Role.ADMIN: Slice.ALL}.get(caller.role, Slice.OPEN)


# ---------------------------------------------------------------- organisations


def may_see_organisation(caller: Caller, org_id: str) -> bool:
    """Admins every organisation, employers their own (its settings, secret and deliveries too)."""
    return caller.role is Role.ADMIN or (caller.role is Role.EMPLOYER and caller.org_id == org_id)


def organisations_slice(caller: Caller) -> Slice:
    return Slice.ORGANISATION if caller.role is Role.EMPLOYER else Slice.ALL


# ---------------------------------------------------------------- participants


def may_see_participant(caller: Caller, profile: dict[str, Any]) -> bool:
    """A caseworker their own caseload, admins everyone (the routes admit staff alone)."""
    if caller.role is Role.CASEWORKER:
        return bool(profile["caseworker_id"] == caller.sub)
    return caller.role is Role.ADMIN


def may_see_payslip(caller: Caller, payslip: dict[str, Any], profile: dict[str, Any] | None) -> bool:
    """The participant it pays, their current caseworker, admins; never an employer (pay shows
    deductions and the allowance the office counts, which would tell of the assistance)."""
    if caller.role is Role.PARTICIPANT:
        return payslip["participant_id"] == caller.participant_id and acts_as_participant(profile, caller)
    if caller.role is Role.CASEWORKER:
        return profile is not None and may_see_participant(caller, profile)
    return caller.role is Role.ADMIN


def may_assign_caseworker(caller: Caller, caseworker_id: str | None) -> bool:
    """Caseworkers keep participants in their own caseload; admins move them anywhere."""
    return caller.role is Role.ADMIN or caseworker_id == caller.sub


def participants_slice(caller: Caller) -> Slice:
    return Slice.CASELOAD if caller.role is Role.CASEWORKER else Slice.ALL


# ---------------------------------------------------------------- reports


def may_see_report(caller: Caller, report: dict[str, Any]) -> bool:
    """Admins every report, caseworkers the earnings reports (their caseload's part of them),
    employers their organisation's employer reports."""
    allowed = {
        Role.ADMIN: True,
        Role.CASEWORKER: report["report_type"] == "earnings",
        Role.EMPLOYER: report["report_type"] == "employer" and report.get("org_id") == caller.org_id,
        Role.PARTICIPANT: False,
    }
    return bool(allowed[caller.role])


def report_part(caller: Caller, report: dict[str, Any]) -> str:
    """Which of a report's files and figures the caller gets: a caseworker only their caseload's."""
    if caller.role is Role.CASEWORKER:
        return f"caseworker-{caller.sub}"
    if report["report_type"] == "employer":
        return f"org-{report['org_id']}"
    return "all"


def reports_slice(caller: Caller) -> Slice:
    return {Role.ADMIN: Slice.ALL, Role.CASEWORKER: Slice.CASELOAD, Role.EMPLOYER: Slice.ORGANISATION}.get(
        caller.role, Slice.NONE
    )


# ---------------------------------------------------------------- offers of regular employment


def may_see_regular_offer(caller: Caller, offer: dict[str, Any], profile: dict[str, Any] | None) -> bool:
    """The participant it is made to, the organisation that made it, the participant's caseworker
    as their `profile` names them now, admins."""
    allowed = {
        Role.PARTICIPANT: offer["participant_id"] == caller.participant_id and acts_as_participant(profile, caller),
        Role.EMPLOYER: offer["org_id"] == caller.org_id,
        Role.CASEWORKER: profile is not None and may_see_participant(caller, profile),
        Role.ADMIN: True,
    }
    return bool(allowed[caller.role])


def may_offer_regular_job(worked_for_org: bool, profile: dict[str, Any] | None) -> bool:
    """An organisation offers a regular job to a participant it worked with (a completed shift)
    who is still in the programme; to anyone else the participant does not exist (404)."""
    return worked_for_org and profile is not None and profile.get("status") in ("invited", "active")
