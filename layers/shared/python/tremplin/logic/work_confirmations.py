"""Work confirmations (Swiss Code of Obligations art. 330a para. 2) and their public verification.

A confirmation lists the participant's completed applications whose shift started (Europe/Zurich
date) in the period asked for: the organisations, the kinds of work, the dates and hours, and the
references the participant chose to include. A late cancellation's compensation is pay, not work:
only completed applications count. Each download is a new paper with a new verification code,
stored with its issue date, its holder and the hash of its bytes before the PDF is handed out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from tremplin import access, clock, paper_codes, work_confirmation_pdf
from tremplin.data import keys, parallel
from tremplin.data import papers as store
from tremplin.errors import Conflict, NotFound, ServiceUnavailable, field_error
from tremplin.identity import Caller
from tremplin.logic import participants
from tremplin.models.applications import ApplicationStatus
from tremplin.models.papers import Verification

DOCUMENT = "work_confirmation"
AUDITED_FIELDS = ("applications", "hours", "references")
"""What a staff download shows of the participant (its audit entry names them)."""
_TRIES = 3  # a code already taken (80 random bits: never in practice) is drawn again


def _not_found(participant_id: str) -> NotFound:
    return NotFound(f"Participant {participant_id} was not found.")


def mine(caller: Caller, start: date | None, end: date | None, language: str | None, verify_base: str) -> bytes:
    participant_id = caller.participant_id or ""
    with parallel.reads() as reads:
        completed = reads.start(_completed, participant_id, start, end)  # answered only if the profile is theirs
        profile = store.read(keys.profile(participant_id))[0]
        if not access.acts_as_participant(profile, caller):
            raise _not_found(participant_id)
        apps = completed.result()
    return _issue(profile, apps, start, end, language, verify_base)


def of_participant(
    caller: Caller,
    participant_id: str,
    start: date | None,
    end: date | None,
    language: str | None,
    verify_base: str,
) -> bytes:
    """A caseworker's (own caseload) or an admin's download; audited like every staff read."""
    with parallel.reads() as reads:
        completed = reads.start(_completed, participant_id, start, end)  # answered only if the caller may see them
        profile = store.read(keys.profile(participant_id))[0]
        if profile is None or not access.may_see_participant(caller, profile):
            raise _not_found(participant_id)
        if profile.get("status") == "erased":  # a paper would tie a new record to someone erased
            raise Conflict("An erased participant's work is confirmed no more.", code="participant_erased")
        apps = completed.result()
    audit = participants.audit_write(caller, participant_id, "read_work_confirmation", AUDITED_FIELDS)
    return _issue(profile, apps, start, end, language, verify_base, also=[audit])  # in the paper's transaction


def verify(typed: str) -> Verification:
    """The public check: the paper is genuine, its kind and issue date; nothing of its holder."""
    code = paper_codes.canonical(typed)
    record = store.verification(code) if code else None
    if record is None:
        raise NotFound("No paper was issued with this code.")
    return Verification(document=record["document"], issued_on=record["issued_on"])


# ---------------------------------------------------------------- the paper


def _period(profile: dict[str, Any], start: date | None, end: date | None) -> tuple[date, date]:
    """Whole history by default: from the enrolment to today (Europe/Zurich)."""
    today = clock.now().astimezone(clock.ZURICH).date()
    enrolled = datetime.fromisoformat(profile["created_at"]).astimezone(clock.ZURICH).date()
    first, last = start or min(enrolled, end or today), end or today
    if first > last:
        raise field_error("from", "must be on or before to")
    return first, last


def _zurich_day(instant: str) -> date:
    return datetime.fromisoformat(instant).astimezone(clock.ZURICH).date()


def _completed(participant_id: str, start: date | None, end: date | None) -> list[dict[str, Any]]:
    """Completed applications whose shift may have started in the period asked for, read while
    the profile is (without a start, the period begins at the enrolment: from their first). The
    index orders by the UTC start: a day either side is read; _worked places each exactly."""
    last = end or clock.now().astimezone(clock.ZURICH).date()
    if start and start > last:
        return []  # no such period: _period says so
    low = (start - timedelta(days=1)).isoformat() if start else None
    found = store.work_between(participant_id, low, keys.up_to((last + timedelta(days=1)).isoformat()))
    return [app for app in found if app["status"] == ApplicationStatus.COMPLETED]


def _worked(apps: list[dict[str, Any]], first: date, last: date) -> list[dict[str, Any]]:
    """Those of `apps` whose shift started on a Zurich day from `first` to `last`."""
    return [app for app in apps if first <= _zurich_day(app["shift_starts_at"]) <= last]


def _hours(values: Iterable[Any]) -> str:
    return str(sum((Decimal(str(v)) for v in values), Decimal(0)).quantize(Decimal("0.01")))


def _employers(apps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per organisation, in the order first worked for, each shift by date."""
    jobs = sorted({a["job_id"] for a in apps})
    orgs = sorted({a["org_id"] for a in apps})
    found = store.read(*(keys.job(j) for j in jobs), *(keys.org(o) for o in orgs)) if apps else []
    job_items = {j: item or {} for j, item in zip(jobs, found[: len(jobs)], strict=True)}
    org_names = {o: (item or {}).get("name", "") for o, item in zip(orgs, found[len(jobs) :], strict=True)}
    employers: dict[str, dict[str, Any]] = {}
    for app in sorted(apps, key=lambda a: (a["shift_starts_at"], a["application_id"])):
        job = job_items[app["job_id"]]
        entry = employers.setdefault(
            app["org_id"], {"name": org_names[app["org_id"]], "kinds": [], "shifts": [], "references": []}
        )
        if job.get("category") and job["category"] not in entry["kinds"]:
            entry["kinds"].append(job["category"])
        hours = (app.get("pay") or {}).get("hours", "0")
        day = _zurich_day(app["shift_starts_at"]).isoformat()
        entry["shifts"].append({"date": day, "title": job.get("title", ""), "hours": hours})
        reference = app.get("reference") or {}
        if reference.get("included"):
            entry["references"].append(reference["text"])
    for entry in employers.values():
        entry["hours"] = _hours(s["hours"] for s in entry["shifts"])
    return list(employers.values())


def _issue(
    profile: dict[str, Any],
    completed: list[dict[str, Any]],
    start: date | None,
    end: date | None,
    language: str | None,
    base: str,
    also: Sequence[dict[str, Any]] = (),
) -> bytes:
    first, last = _period(profile, start, end)
    apps = _worked(completed, first, last)
    now = clock.now()
    content = {
        "name": " ".join(str(profile.get(k) or "") for k in ("first_name", "last_name")).strip(),
        "date_of_birth": profile.get("date_of_birth"),
        "start": first.isoformat(),
        "end": last.isoformat(),
        "issued_at": clock.iso(now),
        "employers": _employers(apps),
        "shifts": len(apps),
        "days": len({_zurich_day(a["shift_starts_at"]) for a in apps}),
        "hours": _hours((a.get("pay") or {}).get("hours", "0") for a in apps),
    }
    lang = work_confirmation_pdf.language_of(language or profile.get("preferred_language"))
    for _ in range(_TRIES):
        code = paper_codes.new_code()
        pdf = work_confirmation_pdf.render(
            {**content, "code": code, "verify_url": f"{base}/verify/{code}"}, language=lang
        )
        record = {
            "code": code,
            "document": DOCUMENT,
            "issued_on": now.astimezone(clock.ZURICH).date().isoformat(),
            "issued_at": clock.iso(now),
            "participant_id": profile["participant_id"],
            "document_sha256": hashlib.sha256(pdf).hexdigest(),
        }
        if store.issue(record, also):
            return pdf
    raise ServiceUnavailable("No verification code could be stored; please try again.")
