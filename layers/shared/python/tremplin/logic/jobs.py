"""Jobs and shifts: partner organisations post missions, participants find them.

A shift takes applications while its job is open, its organisation active, the shift open,
not full and not started; such shifts (and only they) sit in the browsing index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from tremplin import access, clock, pay
from tremplin.access import Slice
from tremplin.data import favourites as favourites_store
from tremplin.data import jobs as store
from tremplin.data import organisations as org_store
from tremplin.data import parallel
from tremplin.errors import Conflict, NotFound, ValidationFailed, field_error
from tremplin.identity import Caller
from tremplin.ids import new_id
from tremplin.logic import pay_scheme
from tremplin.models import Page
from tremplin.models.jobs import (
    MAX_SHIFTS_PER_JOB,
    Job,
    JobCreate,
    JobStatus,
    JobSummary,
    JobUpdate,
    Shift,
    ShiftCreate,
    ShiftStatus,
)
from tremplin.patching import changes_of

CENT = Decimal("0.01")


@dataclass(frozen=True)
class JobSearch:
    """What participants browse for: shifts starting in [after, until], a category, a postcode prefix."""

    after: str | None = None
    until: str | None = None
    category: str | None = None
    postcode: str | None = None


def _now() -> str:
    return clock.iso(clock.now())


def _job_not_found(job_id: str) -> NotFound:
    return NotFound(f"Job {job_id} was not found.")


def _shift_not_found(shift_id: str) -> NotFound:
    return NotFound(f"Shift {shift_id} was not found.")


def _check_wage(
    versions: list[pay.PaySchemeVersion], wage: Decimal, wage_class: str, days: Iterable[date] = ()
) -> None:
    """The wage is at least the class's minimum in the pay scheme's `versions` (pay_scheme.rules_now,
    read while the request reads what it changes) in force today (Europe/Zurich) and on each of
    `days` (the shifts' start dates); 422 on hourly_wage naming the minimum, or on wage_class for a
    class the scheme does not know."""
    today = clock.now().astimezone(clock.ZURICH).date()
    for day in sorted({today, *days}):
        minimum = pay.below_minimum(pay.version_in_force(versions, day), wage_class, wage)
        if minimum is not None:
            raise field_error(
                "hourly_wage",
                f"below the minimum of CHF {minimum:.2f} for wage class {wage_class}"
                + ("" if day == today else f" (pay scheme from {day.isoformat()})"),
            )


def _zurich_day(instant: datetime) -> date:
    return instant.astimezone(clock.ZURICH).date()


def _check_future(shifts: list[tuple[str, ShiftCreate]]) -> None:
    """A published shift must not have started: who would apply to it?"""
    now = clock.now()
    late = [(where, s) for where, s in shifts if s.starts_at <= now]
    if late:
        raise ValidationFailed(
            "Shifts of a published job must start in the future.",
            details=[{"field": f"{where}.starts_at", "message": "must be in the future"} for where, _ in late],
        )


def summary(job: dict[str, Any]) -> dict[str, Any]:
    """What a shift carries of its job, for browsing (and applying) without a second read."""
    return {
        "job_id": job["job_id"],
        "org_id": job["org_id"],
        "title": job["title"],
        "category": job["category"],
        "postcode": job["location"]["postcode"],
        "city": job["location"]["city"],
        "hourly_wage": job["hourly_wage"],
    } | ({"favourites_until": job["favourites_until"]} if job.get("favourites_until") else {})


# ---------------------------------------------------------------- favourites first


def favourites_until(published_at: str | None, hours: int) -> str | None:
    """The end of the window in which only the organisation's favourites see a job (None: none)."""
    if not published_at or hours <= 0:
        return None
    return clock.iso(datetime.fromisoformat(published_at) + timedelta(hours=hours))


def hidden_until_everyone(
    caller: Caller, job: dict[str, Any], now: str, favoured: frozenset[str] | None = None
) -> bool:
    """Whether the job (or a shift's job summary) is still only for its organisation's favourites
    and the caller is not one: they get what an unpublished job gives. `favoured`: the caller's
    favoured organisations, when already read."""
    until = job.get("favourites_until")
    if not until or until <= now or not access.waits_for_favourites(caller):
        return False
    if favoured is None:
        favoured = favourites_store.favoured_orgs(caller.participant_id) if caller.participant_id else frozenset()
    return not access.is_favourite_of(caller, job["org_id"], favoured)


def _shift_record(job: dict[str, Any], body: ShiftCreate, at: str) -> dict[str, Any]:
    return {
        "shift_id": new_id("shf"),
        "job_id": job["job_id"],
        "org_id": job["org_id"],
        "starts_at": clock.iso(body.starts_at),
        "ends_at": clock.iso(body.ends_at),
        "break_minutes": body.break_minutes,
        "slots": body.slots,
        "filled": 0,
        "status": ShiftStatus.OPEN.value,
        "created_at": at,
        "published_at": job.get("published_at"),
        "job": summary(job),
    }


def _to_job(job: dict[str, Any], shifts: list[dict[str, Any]]) -> Job:
    return Job.model_validate({**job, "shifts": shifts})


def _load_visible(caller: Caller, job_id: str) -> dict[str, Any]:
    job = store.get_job(job_id)
    if job is None or not access.may_see_job(caller, job) or hidden_until_everyone(caller, job, _now()):
        raise _job_not_found(job_id)
    return job


def _load_own(caller: Caller, job_id: str) -> dict[str, Any]:
    job = store.get_job(job_id)
    if job is None or not access.may_change_job(caller, job):
        raise _job_not_found(job_id)
    return job


# ---------------------------------------------------------------- employers


def create(caller: Caller, body: JobCreate) -> Job:
    org_id = caller.org_id or ""
    return create_for(org_id, body)


def create_for(org_id: str, body: JobCreate) -> Job:
    """Creates a job for an organisation (employers through the API, partners by webhook)."""
    with parallel.reads() as reads:
        versions = reads.start(pay_scheme.rules_now)  # while the organisation is read
        org = org_store.get(org_id)
        _check_wage(
            versions.result(), body.hourly_wage, body.wage_class, [_zurich_day(s.starts_at) for s in body.shifts]
        )
    if body.publish:
        _check_future([(f"shifts.{i}", s) for i, s in enumerate(body.shifts)])
    if org is None:
        raise NotFound(f"Organisation {org_id} was not found.")
    at = _now()
    job: dict[str, Any] = {
        "job_id": new_id("job"),
        "org_id": org_id,
        "org_kind": org["kind"],
        "org_active": org["status"] == "active",
        "title": body.title,
        "description": body.description,
        "category": body.category.value,
        "location": body.location.model_dump(),
        "hourly_wage": str(body.hourly_wage.quantize(CENT)),
        "wage_class": body.wage_class,
        "requirements": body.requirements.model_dump(),
        "status": (JobStatus.OPEN if body.publish else JobStatus.DRAFT).value,
        "external_ref": body.external_ref,
        "created_at": at,
        "updated_at": at,
        "published_at": at if body.publish else None,
        "favourites_first_hours": body.favourites_first_hours,
        "favourites_until": favourites_until(at if body.publish else None, body.favourites_first_hours),
    }
    shifts = [_shift_record(job, s, at) for s in body.shifts]
    job["shift_ids"] = [s["shift_id"] for s in shifts]
    store.insert(job, shifts, browsable=body.publish)
    return _to_job(job, shifts)


def update(caller: Caller, job_id: str, body: JobUpdate) -> Job:
    """The answer, as publish's and cancel's: the job as read with the change applied, and its
    shifts as read (a change of the job leaves what a shift shows as it was), with no read after
    the write; what another request changed in the same moment (a shift filled, another field)
    shows at the next read."""
    job = _load_own(caller, job_id)
    changes = changes_of(body, JobUpdate.model_fields)
    wage_changes = body.hourly_wage is not None or body.wage_class is not None
    with parallel.reads() as reads:
        versions = reads.start(pay_scheme.rules_now) if wage_changes else None  # while the shifts are read
        shifts = store.get_shifts(job["shift_ids"])
        if versions is not None:
            wage = body.hourly_wage if body.hourly_wage is not None else Decimal(str(job["hourly_wage"]))
            days = [
                _zurich_day(datetime.fromisoformat(s["starts_at"])) for s in shifts if s["status"] == ShiftStatus.OPEN
            ]
            _check_wage(
                versions.result(), wage, changes.get("wage_class") or job.get("wage_class") or "unskilled", days
            )
    if body.hourly_wage is not None:
        changes["hourly_wage"] = str(body.hourly_wage.quantize(CENT))
    if body.favourites_first_hours is not None:  # the window counts from publishing, as set now
        changes["favourites_until"] = favourites_until(job.get("published_at"), body.favourites_first_hours)
    if job["status"] == JobStatus.CANCELLED:
        raise Conflict("A cancelled job cannot be changed.", code="invalid_transition")
    if changes:
        job = store.update(job, changes, summary({**job, **changes}), _now())
    return _to_job(job, shifts)


def publish(caller: Caller, job_id: str) -> Job:
    job = _load_own(caller, job_id)
    if job["status"] != JobStatus.DRAFT:
        raise Conflict(f"Only a draft job can be published; this one is {job['status']}.", code="invalid_transition")
    shifts = store.get_shifts(job["shift_ids"])
    open_shifts = [s for s in shifts if s["status"] == ShiftStatus.OPEN]
    if not open_shifts:
        raise Conflict("A job needs at least one open shift to be published.", code="no_open_shift")
    now = clock.iso(clock.now())
    late = [s for s in open_shifts if s["starts_at"] <= now]
    if late:
        raise Conflict(
            "Shifts that have started cannot be published; cancel them first.",
            code="shift_in_past",
            details=[{"shift_id": s["shift_id"], "starts_at": s["starts_at"]} for s in late],
        )
    at = _now()
    until = favourites_until(at, int(job.get("favourites_first_hours") or 0))
    published = store.publish(job, open_shifts, at, summary({**job, "favourites_until": until}), until)
    return _to_job(published, shifts)  # as read, changed: what a shift shows stays as it was


def cancel(caller: Caller, job_id: str, reason: str) -> Job:
    job = _load_own(caller, job_id)
    if job["status"] == JobStatus.CANCELLED:
        raise Conflict("The job is cancelled already.", code="invalid_transition")
    # Each shift's applications follow from its change (tremplin.events).
    return _to_job(*store.cancel_job(job, store.get_shifts(job["shift_ids"]), _now(), reason))


def add_shift(caller: Caller, job_id: str, body: ShiftCreate) -> Shift:
    with parallel.reads() as reads:
        versions = reads.start(pay_scheme.rules_now)  # while the job is read
        job, rules = _load_own(caller, job_id), versions.result()
    if job["status"] == JobStatus.CANCELLED:
        raise Conflict("Shifts cannot be added to a cancelled job.", code="invalid_transition")
    if len(job["shift_ids"]) >= MAX_SHIFTS_PER_JOB:
        raise Conflict(f"A job has at most {MAX_SHIFTS_PER_JOB} shifts.", code="too_many_shifts")
    browsable = job["status"] == JobStatus.OPEN
    if browsable:
        _check_future([("body", body)])
    # The job's wage must meet the minimum of the version in force on the new shift's date too.
    wage_class, day = job.get("wage_class") or "unskilled", _zurich_day(body.starts_at)
    _check_wage(rules, Decimal(str(job["hourly_wage"])), wage_class, [day])
    shift = _shift_record(job, body, _now())
    store.add_shift(job, shift, browsable=browsable, max_shifts=MAX_SHIFTS_PER_JOB)
    return Shift.model_validate(shift)


def cancel_shift(caller: Caller, shift_id: str, reason: str | None) -> Shift:
    shift = store.get_shift(shift_id)
    if shift is None or shift["org_id"] != caller.org_id:
        raise _shift_not_found(shift_id)
    if (cancelled := store.cancel_shift(shift_id, _now(), reason)) is None:
        raise Conflict("Only an open shift can be cancelled.", code="invalid_transition")
    # Its applications are cancelled as what follows from the shift's change (tremplin.events).
    return Shift.model_validate(cancelled)


# ---------------------------------------------------------------- everyone


def check_visible(caller: Caller, job_id: str) -> None:
    """NotFound unless the caller may see the job (one read: its shifts are not needed)."""
    _load_visible(caller, job_id)


def get(caller: Caller, job_id: str) -> Job:
    job = _load_visible(caller, job_id)
    return _to_job(job, store.get_shifts(job["shift_ids"]))


def get_shift(caller: Caller, shift_id: str) -> Shift:
    shift = store.get_shift(shift_id)
    if shift is None:
        raise _shift_not_found(shift_id)
    try:
        _load_visible(caller, shift["job_id"])
    except NotFound:
        raise _shift_not_found(shift_id) from None
    return Shift.model_validate(shift)


def list_for(caller: Caller, search: JobSearch, limit: int, cursor: str | None) -> Page[Job] | Page[JobSummary]:
    """Employers: their organisation's jobs, any status, newest first. Admins: all jobs.
    Participants and caseworkers: what is open to apply to, filtered by `search`."""
    reach = access.jobs_slice(caller)
    if reach is Slice.OPEN:
        # Shifts published to favourites first: only the participant's favouring organisations'.
        favoured = favourites_store.favoured_orgs(caller.participant_id) if caller.participant_id else frozenset()
        return browse(search, limit, cursor, favoured)
    if reach is Slice.ORGANISATION:
        items, nxt = store.list_org(caller.org_id or "", limit, cursor)
    else:
        items, nxt = store.list_all(limit, cursor)
    return Page(items=[_to_job(j, store.get_shifts(j["shift_ids"])) for j in items], next_cursor=nxt)


def browse(
    search: JobSearch, limit: int, cursor: str | None, favoured: frozenset[str] = frozenset()
) -> Page[JobSummary]:
    """Open jobs with an open future shift, by the start of those shifts. A job whose shifts
    fall on two pages appears on both, each time with that page's shifts. A job still only for
    its organisation's favourites shows only if the organisation is in `favoured`."""
    now = clock.iso(clock.now())
    start = max(search.after or now, now)
    until = search.until
    if until is not None and until < start:
        return Page(items=[], next_cursor=None)  # nothing starts in an empty window
    shifts, nxt = store.browse(
        after=start,
        until=until,
        category=search.category,
        postcode=search.postcode,
        limit=limit,
        cursor=cursor,
        now=now,
        favoured=sorted(favoured),
    )
    jobs: dict[str, JobSummary] = {}
    for s in shifts:
        summary_ = s["job"]
        entry = jobs.setdefault(
            s["job_id"], JobSummary(**{k: v for k, v in summary_.items() if k in JobSummary.model_fields}, shifts=[])
        )
        entry.shifts.append(Shift.model_validate(s))
    return Page(items=list(jobs.values()), next_cursor=nxt)


# ---------------------------------------------------------------- organisations


def on_organisation_status(org_id: str, active: bool) -> None:
    """A suspended organisation's jobs vanish from browsing; activation brings back the shifts
    that still take applications."""
    now = clock.iso(clock.now())
    for job in store.org_jobs(org_id):
        store.set_org_active(job["job_id"], active)
        if job["status"] != JobStatus.OPEN:
            continue
        shifts = [s for s in store.get_shifts(job["shift_ids"]) if s["status"] == ShiftStatus.OPEN]
        store.set_browsable([s for s in shifts if s["starts_at"] > now] if active else shifts, active)
