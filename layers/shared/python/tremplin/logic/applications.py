"""The shift lifecycle: apply, offer, confirm, work, hours, pay (PRODUCT.md).

Each operation loads the application, asks tremplin.access whether the caller may act on it and
makes its move from tremplin.lifecycle's TRANSITIONS: one conditional write, or one transaction
where the shift's slot and the participant's schedule move with it. The invariants (filled <=
slots, one application per participant and shift, no overlap, the weekly cap) are conditions
DynamoDB holds; a failed one is a 409 naming the rule, with nothing changed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from aws_lambda_powertools import Logger

from tremplin import access, clock, events, pay, reliability
from tremplin.data import applications as store
from tremplin.data import dynamo, keys
from tremplin.data import favourites as favourites_store
from tremplin.data.dynamo import TransactionRefused, strip_keys
from tremplin.errors import Conflict, NotFound, ServiceUnavailable
from tremplin.identity import Caller, Role
from tremplin.lifecycle import CASCADE_CANCEL, Transition, transition
from tremplin.logic import jobs, participants, pay_scheme, payslips
from tremplin.models import Page
from tremplin.models.applications import (
    CONFIRMED_OR_LATER,
    ApplicantCard,
    Application,
    ApplicationStatus,
    ApplyRequest,
    EmployerApplicationView,
    ExcuseRequest,
    HoursRequest,
    RatingRequest,
)

logger = Logger(child=True)
S = ApplicationStatus
OFFER_WINDOW = timedelta(hours=24)
CONFIRM_BEFORE_START = timedelta(hours=2)
LATE_CANCELLATION = timedelta(hours=24)
AUTO_APPROVAL = timedelta(hours=72)
REMINDER_AHEAD = timedelta(hours=24)
SCHEDULE_MEMORY = timedelta(days=8)  # held shifts older than this cannot matter for overlaps or the week
# Re-reads after a concurrent change of the participant's schedule (optimistic concurrency: each
# round sends a new transaction, with dynamo's own conflict budget), not retries of one request.
SCHEDULE_REREADS = 5
DUE = store.DUE_INDEX_KEYS


def _outcome(app: dict[str, Any], month: str | None = None) -> dict[str, str]:
    """Applications that ended as completed, no-show or cancelled, by the Zurich month of the
    work (the shift's start; for completed work, the start of the hours worked): reports read
    a period's outcomes from here, never the whole table."""
    worked = month or clock.month_of(app["shift_starts_at"])
    return {"work_month": worked} | store.outcome_keys(worked, app["org_id"], app["application_id"])


def _iso(instant: datetime) -> str:
    return clock.iso(instant)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _not_found(app_id: str) -> NotFound:
    return NotFound(f"Application {app_id} was not found.")


def _invalid(app: dict[str, Any], move: Transition) -> Conflict:
    return Conflict(
        f"An application that is {app['status']} cannot be {move.action}.",
        code="invalid_transition",
        details=[{"status": app["status"], "action": move.action}],
    )


def _check(app: dict[str, Any], move: Transition) -> None:
    if not move.allows(app["status"]):
        raise _invalid(app, move)


def _load(caller: Caller, app_id: str) -> dict[str, Any]:
    return _load_for_pay(caller, app_id, with_scheme=False)[0]


PayInputs = tuple[dict[str, Any] | None, dict[str, Any] | None]
"""What fixing pay reads besides the application: the participant's profile (date of birth)
and the pay scheme's item (None: none stored)."""


def _load_for_pay(caller: Caller, app_id: str, *, with_scheme: bool = True) -> tuple[dict[str, Any], PayInputs | None]:
    """The application; for a participant, read in the same BatchGetItem as their profile (an
    erased participant acts on nothing) and, `with_scheme`, the pay scheme, which approval needs."""
    inputs: PayInputs | None = None
    current: dict[str, Any] | None  # the participant's profile, when the access rule needs it
    if caller.role is Role.PARTICIPANT:
        wanted = [store.app_key(app_id), store.profile_key(caller.participant_id or "")]
        app, profile, *scheme = store.read(*wanted, *([keys.pay_scheme()] if with_scheme else []))
        if not access.acts_as_participant(profile, caller):
            raise _not_found(app_id)
        inputs = (profile, scheme[0]) if with_scheme else None
        current = profile
    elif access.reads_profile_to_see_application(caller):
        participant_id = keys.participant_of(app_id) or ""
        app, current = store.read(store.app_key(app_id), store.profile_key(participant_id))
    else:
        app, current = store.get(app_id), None
    if app is None or not access.may_see_application(caller, app, current):
        raise _not_found(app_id)
    return app, inputs


def _refresh_refusal(app_id: str, move: Transition) -> Conflict:
    """After a refused write: say why, from the state as it is now."""
    current = store.get(app_id)
    return _invalid(current, move) if current else Conflict("The application changed.", code="invalid_transition")


def _update(app_id: str, move: Transition, **write: Any) -> dict[str, Any]:
    """The write that makes `move`, conditioned on the application still being in one of its sources."""
    return store.app_update(app_id, tuple(sorted(move.sources)), **write)


def _due(kind: str, at: datetime, app_id: str) -> dict[str, str]:
    return store.due_keys(kind, _iso(at), app_id)


def _view(app: dict[str, Any]) -> Application:
    return Application.model_validate(app)


# ---------------------------------------------------------------- participants


def apply(caller: Caller, shift_id: str, body: ApplyRequest) -> Application:
    participant_id = caller.participant_id or ""
    shift, profile, favoured = store.read(
        store.shift_key(shift_id), store.profile_key(participant_id), favourites_store.favoured_key(participant_id)
    )
    now = clock.now()
    at = _iso(now)
    favoured_orgs = frozenset((favoured or {}).get("orgs") or ())
    if shift is None or jobs.hidden_until_everyone(caller, shift["job"], at, favoured_orgs):
        raise NotFound(f"Shift {shift_id} was not found.")  # as unpublished, while for favourites first
    if not access.acts_as_participant(profile, caller) or profile["status"] != "active":
        raise Conflict("Only participants who gave consent can apply.", code="participant_not_active")
    app = new_application(shift, profile, at) | {
        "status": transition("apply").target.value,
        "message": body.message or None,
    }
    try:
        store.insert(app, at, for_favourites_too=access.is_favourite_of(caller, shift["org_id"], favoured_orgs))
    except TransactionRefused as refused:
        if refused.failed(0):
            raise Conflict("You have applied to this shift already.", code="already_applied") from None
        if refused.failed(2):
            raise Conflict("Only participants who gave consent can apply.", code="participant_not_active") from None
        if shift["status"] == "cancelled" or shift["starts_at"] <= at:
            raise Conflict("This shift no longer takes applications.", code="shift_closed") from None
        raise NotFound(f"Shift {shift_id} was not found.") from None  # a draft, or its organisation is suspended
    return _view(app)


def new_application(shift: dict[str, Any], profile: dict[str, Any], at: str) -> dict[str, Any]:
    """What every application of the participant (`profile`) on the shift holds from the start."""
    participant_id = str(profile["participant_id"])
    return {
        "application_id": keys.application_id(shift["shift_id"], participant_id),
        "shift_id": shift["shift_id"],
        "job_id": shift["job_id"],
        "org_id": shift["org_id"],
        "participant_id": participant_id,
        "caseworker_id": profile["caseworker_id"],
        "shift_starts_at": shift["starts_at"],
        "shift_ends_at": shift["ends_at"],
        "shift_break_minutes": shift["break_minutes"],
        "hourly_wage": shift["job"]["hourly_wage"],
        "job_published_at": shift.get("published_at"),
        "created_at": at,
        "updated_at": at,
    }


def withdraw(caller: Caller, app_id: str) -> Application:
    app = _load(caller, app_id)
    return _move(app, transition("withdraw"), {})


def confirm(caller: Caller, app_id: str) -> Application:
    app = _load(caller, app_id)
    now = clock.now()
    if app["status"] == S.OFFERED and app["offer_expires_at"] <= _iso(now):
        raise Conflict("The offer has expired.", code="offer_expired")
    starts = _at(app["shift_starts_at"])
    sets = {"confirmed_at": _iso(now)} | _due("reminder", starts - REMINDER_AHEAD, app_id)
    return _move(
        app,
        transition("confirm"),
        sets,
        extra_condition="offer_expires_at > :now",
        extra_values={":now": _iso(now)},
    )


def decline(caller: Caller, app_id: str) -> Application:
    app = _load(caller, app_id)
    return _move(app, transition("decline"), {})


def approve_hours(caller: Caller, app_id: str) -> Application:
    app, inputs = _load_for_pay(caller, app_id)
    return _complete(app, transition("approve_hours"), app.get("hours"), inputs)


def dispute_hours(caller: Caller, app_id: str, reason: str) -> Application:
    app = _load(caller, app_id)
    return _move(app, transition("dispute_hours"), {"dispute_reason": reason}, remove=DUE)


def mine(caller: Caller, limit: int, cursor: str | None) -> Page[Application]:
    profile = store.read(store.profile_key(caller.participant_id or ""))[0]
    if not access.acts_as_participant(profile, caller):  # an erased participant's token reads nothing
        return Page(items=[], next_cursor=None)
    items, nxt = store.list_for_participant(caller.participant_id or "", limit, cursor)
    return Page(items=[_view(i) for i in items], next_cursor=nxt)


# ---------------------------------------------------------------- employers


def accept(caller: Caller, app_id: str) -> Application:
    participant_id = keys.participant_of(app_id)
    if participant_id is None:
        raise _not_found(app_id)
    move = transition("accept")
    for _ in range(SCHEDULE_REREADS):
        app, schedule, profile = store.read_raw(
            store.app_key(app_id), store.schedule_key(participant_id), store.profile_key(participant_id)
        )
        if app is None or app["org_id"] != caller.org_id:
            raise _not_found(app_id)
        _check(app, move)
        now = clock.now()
        starts, ends = _at(app["shift_starts_at"]), _at(app["shift_ends_at"])
        expires = min(now + OFFER_WINDOW, starts - CONFIRM_BEFORE_START)
        if expires <= now:
            raise Conflict("The shift starts too soon for an offer to be confirmed.", code="too_late_to_offer")
        held: dict[str, Any] = dict((schedule or {}).get("held") or {})
        minutes = int((ends - starts).total_seconds() // 60) - int(app["shift_break_minutes"])
        check_schedule(held, starts, ends, minutes, (profile or {}).get("weekly_hours_limit"))
        interval = {"start": app["shift_starts_at"], "end": app["shift_ends_at"], "minutes": minutes}
        stale = [a for a, iv in held.items() if _at(iv["end"]) < now - SCHEDULE_MEMORY]
        sets = {
            "status": move.target.value,
            "offered_at": _iso(now),
            "offer_expires_at": _iso(expires),
            "updated_at": _iso(now),
        }
        writes = [
            _update(app_id, move, set_=sets | _due("offer", expires, app_id)),
            store.take_slot(app["shift_id"], _iso(now)),
            store.hold(participant_id, int(schedule["version"]) if schedule else None, app_id, interval, stale),
        ]
        try:
            store.run(writes)
        except TransactionRefused as refused:
            if refused.failed(0):
                raise _refresh_refusal(app_id, move) from None
            if refused.failed(1):
                shift = store.read(store.shift_key(app["shift_id"]))[0] or {}
                if shift.get("status") == "open" and shift.get("filled", 0) >= shift.get("slots", 0):
                    raise Conflict("Every slot of this shift is taken.", code="shift_full") from None
                raise Conflict("This shift no longer takes offers.", code="shift_closed") from None
            continue  # the schedule changed under us: read it again
        offered = {**app, **sets}
        return _view(strip_keys(offered))
    raise ServiceUnavailable("Too many changes at once for this participant; please try again.")


def check_schedule(held: dict[str, Any], starts: datetime, ends: datetime, minutes: int, cap_hours: Any) -> None:
    for interval in held.values():
        if _at(interval["start"]) < ends and starts < _at(interval["end"]):
            raise Conflict("The participant holds an overlapping shift.", code="overlapping_shift")
    if cap_hours is None:
        return
    week = _week_of(starts)
    booked = sum(int(iv["minutes"]) for iv in held.values() if _week_of(_at(iv["start"])) == week)
    if booked + minutes > int(cap_hours) * 60:
        # The cap is case data: the employer accepting learns only that this week is full for them.
        raise Conflict("This participant cannot take this shift in that week.", code="weekly_hours_exceeded")


def _week_of(instant: datetime) -> str:
    """The Monday of the week (Mon-Sun, Europe/Zurich) in which a shift starts; it counts there."""
    local = instant.astimezone(clock.ZURICH).date()
    return (local - timedelta(days=local.weekday())).isoformat()


def reject(caller: Caller, app_id: str) -> Application:
    app = _load(caller, app_id)
    return _move(app, transition("reject"), {})


def no_show(caller: Caller, app_id: str) -> Application:
    app = _load(caller, app_id)
    move = transition("no_show")
    _check(app, move)
    now = _iso(clock.now())
    if app["shift_starts_at"] > now:
        raise Conflict("A no-show can be recorded once the shift has started.", code="shift_not_started")
    sets = {"status": move.target.value, "updated_at": now} | _outcome(app)  # replaces the reminder's index keys
    writes = [
        _update(
            app_id,
            move,
            set_=sets,
            extra_condition="shift_starts_at <= :now",
            extra_values={":now": now},
        ),
        _miss(app, reliability.MissKind.NO_SHOW, {"no_show_count": 1}),  # the count: every no-show ever
    ]
    _run_or_refuse(writes, app_id, move)
    return _view({**app, **sets})


def submit_hours(caller: Caller, app_id: str, body: HoursRequest) -> Application:
    app = _load(caller, app_id)
    move = transition("submit_hours")
    _check(app, move)
    now = clock.now()
    if app["shift_starts_at"] > _iso(now):
        raise Conflict("Hours can be recorded once the shift has started.", code="shift_not_started")
    hours = {
        "started_at": _iso(body.started_at),
        "ended_at": _iso(body.ended_at),
        "break_minutes": body.break_minutes,
        "submitted_at": _iso(now),
    }
    sets = {"hours": hours} | _due("hours", now + AUTO_APPROVAL, app_id)
    return _move(
        app,
        move,
        sets,
        extra_condition="shift_starts_at <= :now",
        extra_values={":now": _iso(now)},
    )


def applicants(caller: Caller, shift_id: str, limit: int, cursor: str | None) -> Page[EmployerApplicationView]:
    shift = store.read(store.shift_key(shift_id))[0]
    if shift is None or not access.may_see_shift_applicants(caller, shift):
        raise NotFound(f"Shift {shift_id} was not found.")
    apps, nxt = store.list_for_shift(shift_id, limit, cursor)
    profiles = store.read(*[store.profile_key(a["participant_id"]) for a in apps]) if apps else []
    views = [_employer_view(a, p or {}) for a, p in zip(apps, profiles, strict=True)]
    return Page(items=views, next_cursor=nxt)


def _card(app: dict[str, Any], profile: dict[str, Any]) -> ApplicantCard:
    return card(app["participant_id"], profile, confirmed=app["status"] in CONFIRMED_OR_LATER)


def card(participant_id: str, profile: dict[str, Any], *, confirmed: bool = False) -> ApplicantCard:
    """The participant as an employer may see them; with name and phone once `confirmed`."""
    ratings = int(profile.get("rating_count", 0))
    record = reliability.record(profile.get("misses") or [], profile.get("excused_misses") or (), clock.now())
    return ApplicantCard(
        participant_id=participant_id,
        first_name=str(profile.get("first_name", "")),
        last_initial=str(profile.get("last_name", ""))[:1] + "." if profile.get("last_name") else "",
        skills=list(profile.get("skills", [])),
        languages=list(profile.get("languages", [])),
        completed_shifts=int(profile.get("completed_shifts", 0)),
        no_show_count=record.no_shows,
        late_cancellation_count=record.late_cancellations,
        average_rating=round(float(profile.get("rating_sum", 0)) / ratings, 2) if ratings else None,
        full_name=f"{profile.get('first_name', '')} {profile.get('last_name', '')}".strip() if confirmed else None,
        phone=profile.get("phone") if confirmed else None,
    )


def _employer_view(app: dict[str, Any], profile: dict[str, Any]) -> EmployerApplicationView:
    return EmployerApplicationView(
        application_id=app["application_id"],
        shift_id=app["shift_id"],
        status=app["status"],
        message=app.get("message"),
        created_at=app["created_at"],
        offer_expires_at=app.get("offer_expires_at"),
        hours=app.get("hours"),
        pay=app.get("pay"),
        reference=app.get("reference"),
        invited=bool(app.get("invited")),
        check_in=app.get("check_in"),
        applicant=_card(app, profile),
    )


AUDITED_FIELDS = ("hours", "pay", "dispute_reason", "cancel_reason", "ratings", "reference", "check_in")
"""What a staff read of an application shows of the participant (its audit entry names them)."""


def get(caller: Caller, app_id: str) -> Application | EmployerApplicationView:
    app = _load(caller, app_id)
    if access.sees_applicant_card_only(caller):
        return _employer_view(app, store.read(store.profile_key(app["participant_id"]))[0] or {})
    participants.audit_staff_read(caller, app["participant_id"], "read_application", AUDITED_FIELDS)
    return _view(app)


# ---------------------------------------------------------------- both sides


def cancel(caller: Caller, app_id: str, reason: str) -> Application:
    app = _load(caller, app_id)
    now = clock.now()
    late = _at(app["shift_starts_at"]) - now < LATE_CANCELLATION
    sets = {"cancelled_by": caller.role.value, "cancelled_late": late, "cancel_reason": reason} | _outcome(app)
    if caller.role is Role.EMPLOYER:
        return _move(app, transition("cancel"), sets, then=_compensation(app, sets, now))
    then = [_miss(app, reliability.MissKind.LATE_CANCELLATION)] if late and caller.role is Role.PARTICIPANT else []
    return _move(app, transition("cancel"), sets, then=then)


def rate(caller: Caller, app_id: str, body: RatingRequest) -> Application:
    app = _load(caller, app_id)
    move = transition("rate")
    side = "rating_by_participant" if caller.role is Role.PARTICIPANT else "rating_by_employer"
    if not move.allows(app["status"]):
        raise Conflict("Ratings are given once the shift is completed.", code="invalid_transition")
    if app.get(side):
        raise Conflict("This side has rated already.", code="already_rated")
    rating = {"stars": body.stars, "comment": body.comment, "at": _iso(clock.now())}
    rated = (
        store.org_key(app["org_id"]) if caller.role is Role.PARTICIPANT else store.profile_key(app["participant_id"])
    )
    writes = [
        _update(
            app_id,
            move,
            set_={side: {k: v for k, v in rating.items() if v is not None}},
            extra_condition=f"attribute_not_exists({side})",
        ),
        store.add_to(rated, {"rating_sum": body.stars, "rating_count": 1}),
    ]
    _run_or_refuse(writes, app_id, move)
    return _view({**app, side: rating})


# ---------------------------------------------------------------- the reliability record (tremplin.reliability)


def _miss(app: dict[str, Any], kind: reliability.MissKind, counters: dict[str, Any] | None = None) -> dict[str, Any]:
    """The write that puts a no-show or a late cancellation on the participant's record, dated
    by the shift's start (from then its six months run)."""
    return store.record_miss(app["participant_id"], app["application_id"], kind.value, app["shift_starts_at"], counters)


def excuse(caller: Caller, app_id: str, body: ExcuseRequest) -> Application:
    """A caseworker (own caseload) or an admin excuses a no-show or a late cancellation by the
    participant: it never counts on the card again. Once per application; asked again, it answers
    the excuse already given and changes nothing."""
    app = _load(caller, app_id)
    if app.get("excuse"):
        return _view(app)
    if reliability.miss_kind(app) is None:
        raise Conflict(
            "Only a no-show or a late cancellation by the participant can be excused.",
            code="not_excusable",
            details=[{"status": app["status"]}],
        )
    excused = {"reason": body.reason.value, "excused_at": _iso(clock.now()), "excused_by": caller.role.value}
    writes = [
        store.app_update(
            app_id,
            (app["status"],),
            set_={"excuse": excused},
            extra_condition="attribute_not_exists(excuse)",
        ),
        store.excuse_miss(app["participant_id"], app_id),
        participants.audit_write(caller, app["participant_id"], "excuse_miss", ("excuse",)),
    ]
    try:
        store.run(writes)
    except TransactionRefused:
        current = store.get(app_id)  # excused at the same moment by someone else: that excuse stands
        if current is not None and current.get("excuse"):
            return _view(current)
        raise Conflict("The application changed; please try again.", code="not_excusable") from None
    return _view({**app, "excuse": excused})


# ---------------------------------------------------------------- admins


def resolve_hours(caller: Caller, app_id: str, body: HoursRequest) -> Application:
    app = _load(caller, app_id)
    hours = {
        **(app.get("hours") or {}),
        "started_at": _iso(body.started_at),
        "ended_at": _iso(body.ended_at),
        "break_minutes": body.break_minutes,
    }
    audit = participants.audit_write(caller, app["participant_id"], "resolve_hours", ("hours", "pay"))
    return _complete(app, transition("resolve_hours"), hours, then=[audit])


# ---------------------------------------------------------------- schedules


SWEEP_BUDGET_S = 45.0  # of the schedules function's 60 s: what is left stays due for the next run


def _sweep(kind: str, until: str, act: Callable[[dict[str, Any]], bool]) -> int:
    """Each due item on its own: one that moved on meanwhile is skipped, one that fails is
    logged and left due for the next sweep, and neither stops the rest. Pages through any
    backlog; stops starting new items when the run's time is nearly up."""
    done = 0
    stop = time.monotonic() + SWEEP_BUDGET_S
    for app in store.due(kind, until):
        if time.monotonic() > stop:
            logger.warning("sweep out of time; the rest stays due", extra={"kind": kind, "done": done})
            break
        dynamo.begin_call()
        try:
            done += act(app)
        except (Conflict, TransactionRefused):
            continue  # confirmed, declined, answered meanwhile
        except Exception:
            logger.exception(
                "due item failed; left for the next sweep", extra={"kind": kind, "id": app.get("application_id")}
            )
    return done


def expire_offers() -> int:
    """Offers not confirmed by their deadline expire and give their slot back."""
    now = _iso(clock.now())

    def expire(app: dict[str, Any]) -> bool:
        _move(
            app,
            transition("expire"),
            {},
            extra_condition="offer_expires_at <= :now",
            extra_values={":now": now},
        )
        return True

    return _sweep("offer", now, expire)


def auto_approve_hours() -> int:
    """Hours the participant left unanswered for 72 h are approved."""
    now = clock.now()

    def approve(app: dict[str, Any]) -> bool:
        _complete(
            app,
            transition("auto_approve_hours"),
            app.get("hours"),
            extra_condition="#hours.submitted_at <= :cutoff",
            extra_values={":cutoff": _iso(now - AUTO_APPROVAL)},
            extra_names={"#hours": "hours"},
        )
        return True

    return _sweep("hours", _iso(now), approve)


def send_reminders() -> int:
    """Marks confirmed shifts starting within 24 h as reminded, once (the condition sees to it);
    the reminder itself follows from that change."""
    now = _iso(clock.now())

    def remind(app: dict[str, Any]) -> bool:
        started = app["shift_starts_at"] <= now
        sets = {"reminder_skipped_at": now} if started else {"reminder_sent_at": now}  # too late to remind
        once = "attribute_not_exists(reminder_sent_at) AND attribute_not_exists(reminder_skipped_at)"
        store.run([_update(app["application_id"], transition("remind"), set_=sets, remove=DUE, extra_condition=once)])
        return not started

    return _sweep("reminder", now, remind)


def cancel_for_shift(shift_id: str) -> int:
    """A cancelled shift cancels every application still open on it (followed from the shift's
    change; run again, it finishes what an interrupted run left)."""
    return _cancel_all(store.all_for_shift(shift_id), events.SHIFT_CANCELLED, "shift cancelled")


def release_participant(participant_id: str) -> int:
    """An erased participant's open applications, offers and confirmed shifts are cancelled:
    slots go back to the shifts, employers are told."""
    return _cancel_all(store.all_for_participant(participant_id), "programme", "participant left the programme")


def _cancel_all(apps: list[dict[str, Any]], by: str, reason: str) -> int:
    done = 0
    for app in apps:
        name = CASCADE_CANCEL.get(app["status"])
        if name is None:
            continue  # ended already, or past the point a cascade undoes
        sets = {"cancelled_by": by, "cancelled_late": False, "cancel_reason": reason} | _outcome(app)
        then = _compensation(app, sets, clock.now()) if by == events.SHIFT_CANCELLED else []
        try:
            _move(app, transition(name), sets, then=then)
        except Conflict:
            continue  # it moved on meanwhile (or an earlier run cancelled it)
        done += 1
    return done


# ---------------------------------------------------------------- the moves themselves


def _run_or_refuse(writes: list[dict[str, Any]], app_id: str, move: Transition) -> None:
    try:
        store.run(writes)
    except TransactionRefused:
        raise _refresh_refusal(app_id, move) from None


def _move(
    app: dict[str, Any],
    move: Transition,
    sets: dict[str, Any],
    *,
    remove: tuple[str, ...] = (),
    extra_condition: str = "",
    extra_values: dict[str, Any] | None = None,
    then: list[dict[str, Any]] | None = None,
) -> Application:
    """One transition, conditioned on the status it moves from; one that gives the slot back
    frees the shift's slot and the participant's time in the same transaction, as do `then`'s
    writes (a compensation's pay line)."""
    _check(app, move)
    sets = {"updated_at": _iso(clock.now()), "status": move.target.value} | sets
    if move.releases_slot and DUE[0] not in sets:  # an outcome's index keys replace what was due
        remove = (*remove, *DUE)
    writes = [
        _update(
            app["application_id"],
            move,
            set_=sets,
            remove=remove,
            extra_condition=extra_condition,
            extra_values=extra_values,
        )
    ]
    if move.releases_slot:
        writes += [store.free_slot(app["shift_id"]), store.unhold(app["participant_id"], app["application_id"])]
    writes += then or []
    _run_or_refuse(writes, app["application_id"], move)
    return _view({k: v for k, v in {**app, **sets}.items() if k not in remove})


def _pay(app: dict[str, Any], minutes: int, inputs: PayInputs, *, compensation: bool = False) -> pay.ApplicationPay:
    """The application's pay by the scheme's version in force on the shift's start date (Europe/
    Zurich), the holiday rate by the participant's age on that date (standard without a date of birth)."""
    profile, scheme = inputs
    day = _at(app["shift_starts_at"]).astimezone(clock.ZURICH).date()
    version = pay.version_in_force(pay_scheme.rules(list((scheme or {}).get("versions") or [])), day)
    born = (profile or {}).get("date_of_birth")
    birth = date.fromisoformat(str(born)) if born else None
    age = pay.age_on(birth, day) if birth and birth <= day else None
    return pay.application_pay(minutes, Decimal(str(app["hourly_wage"])), version, age, compensation=compensation)


def _compensation(app: dict[str, Any], sets: dict[str, Any], now: datetime) -> list[dict[str, Any]]:
    """A confirmed shift cancelled by the employer's side less than 24 h before it starts pays
    the planned hours, at most 4 (PRODUCT.md): the pay goes into `sets`, its pay line is the
    write returned, for the cancellation's own transaction. Nothing for any other cancellation."""
    if app["status"] != S.CONFIRMED or _at(app["shift_starts_at"]) - now >= LATE_CANCELLATION:
        return []
    profile, scheme = store.read(store.profile_key(app["participant_id"]), keys.pay_scheme())
    planned = pay.worked_minutes(
        _at(app["shift_starts_at"]), _at(app["shift_ends_at"]), int(app.get("shift_break_minutes") or 0)
    )
    amounts = _pay(app, planned, (profile, scheme), compensation=True)
    sets["pay"] = amounts
    return [payslips.line_put(app, amounts, _iso(now))]


def _complete(
    app: dict[str, Any],
    move: Transition,
    hours: dict[str, Any] | None,
    inputs: PayInputs | None = None,
    *,
    extra_condition: str = "",
    extra_values: dict[str, Any] | None = None,
    extra_names: dict[str, str] | None = None,
    then: list[dict[str, Any]] | None = None,
) -> Application:
    """Fixes pay on the application and adds it to the participant's totals, together (with
    `then`'s writes: an admin's audit entry). Reads the profile and the pay scheme (one
    BatchGetItem) unless the caller's load brought them along."""
    if not move.allows(app["status"]) or not hours:
        raise _invalid(app, move)
    if inputs is None:
        profile, scheme = store.read(store.profile_key(app["participant_id"]), keys.pay_scheme())
        inputs = (profile, scheme)
    started = _at(hours["started_at"])
    minutes = pay.worked_minutes(started, _at(hours["ended_at"]), int(hours["break_minutes"]))
    amounts = _pay(app, minutes, inputs)
    now = _iso(clock.now())
    sets = {
        "status": move.target.value,
        "hours": hours,
        "pay": amounts,
        "completed_at": now,
        "updated_at": now,
    } | _outcome(app, clock.month_of(started))
    totals = {"completed_shifts": 1, "hours_total": Decimal(amounts["hours"]), "pay_total": Decimal(amounts["gross"])}
    writes = [
        _update(
            app["application_id"],
            move,
            set_=sets,
            extra_condition=extra_condition,
            extra_values=extra_values,
            extra_names=extra_names,
        ),
        store.add_to(store.profile_key(app["participant_id"]), totals, condition="attribute_exists(PK)"),
        payslips.line_put(app, amounts, now),
        favourites_store.worked_with(app["org_id"], app["participant_id"], now),  # may become a favourite
        *(then or []),
    ]
    _run_or_refuse(writes, app["application_id"], move)
    return _view(strip_keys({**app, **sets}))
