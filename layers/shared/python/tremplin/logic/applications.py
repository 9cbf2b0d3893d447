"""The shift lifecycle: apply, offer, confirm, work, hours, pay (PRODUCT.md).

Every transition is one conditional write (a transaction where several items move
together); a condition that fails means the state moved on, and the caller gets a 409
naming the rule with nothing changed. The invariants are held by DynamoDB, not by Python:

- filled <= slots: the slot is taken by `filled < slots` inside the offer's transaction;
- one application per participant and shift: the application's key is the pair;
- no overlapping held shifts and the weekly cap: checked against the participant's schedule
  item, whose version is a condition of the same transaction (a concurrent offer changes
  the version, the loser re-reads and is refused).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from tremplin import clock, pay
from tremplin.data import applications as store
from tremplin.data.dynamo import TransactionRefused
from tremplin.errors import Conflict, NotFound, ServiceUnavailable
from tremplin.identity import Caller, Role
from tremplin.logic import notifications as notify
from tremplin.models import Page
from tremplin.models.applications import (
    CONFIRMED_OR_LATER,
    ApplicantCard,
    Application,
    ApplicationStatus,
    ApplyRequest,
    EmployerApplicationView,
    HoursRequest,
    RatingRequest,
)
from tremplin.models.webhooks import OutboundEvent
from tremplin.settings import get_settings


def _emit_now(org_id: str, event: OutboundEvent, data: dict[str, Any]) -> None:
    from tremplin.ids import new_id
    from tremplin.partners import outbound

    outbound.emit(org_id, event, data, new_id("evt"), _iso(clock.now()))


S = ApplicationStatus
OFFER_WINDOW = timedelta(hours=24)
CONFIRM_BEFORE_START = timedelta(hours=2)
LATE_CANCELLATION = timedelta(hours=24)
AUTO_APPROVAL = timedelta(hours=72)
REMINDER_AHEAD = timedelta(hours=24)
SCHEDULE_MEMORY = timedelta(days=8)  # held shifts older than this cannot matter for overlaps or the week
OFFER_ATTEMPTS = 5
DUE = store.DUE_INDEX_KEYS


def _outcome(app: dict[str, Any], month: str | None = None) -> dict[str, str]:
    """Applications that ended as completed, no-show or cancelled, by the Zurich month of the
    work (the shift's start; for completed work, the start of the hours worked): reports read
    a period's outcomes from here, never the whole table."""
    worked = month or clock.month_of(app["shift_starts_at"])
    return {"work_month": worked} | store.outcome_keys(worked, app["org_id"], app["application_id"])


def application_id(shift_id: str, participant_id: str) -> str:
    return f"app.{shift_id}.{participant_id}"


def _participant_of(app_id: str) -> str | None:
    parts = app_id.split(".")
    return parts[2] if len(parts) == 3 and parts[0] == "app" else None


def _iso(instant: datetime) -> str:
    return clock.iso(instant)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _not_found(app_id: str) -> NotFound:
    return NotFound(f"Application {app_id} was not found.")


def _invalid(app: dict[str, Any], action: str) -> Conflict:
    return Conflict(
        f"An application that is {app['status']} cannot be {action}.",
        code="invalid_transition",
        details=[{"status": app["status"], "action": action}],
    )


def _may_see(caller: Caller, app: dict[str, Any]) -> bool:
    return bool(
        {
            Role.PARTICIPANT: app["participant_id"] == caller.participant_id,
            Role.EMPLOYER: app["org_id"] == caller.org_id,
            Role.CASEWORKER: app.get("caseworker_id") == caller.sub,
            Role.ADMIN: True,
        }[caller.role]
    )


def _load(caller: Caller, app_id: str) -> dict[str, Any]:
    app = store.get(app_id)
    if app is None or not _may_see(caller, app):
        raise _not_found(app_id)
    return app


def _refresh_refusal(app_id: str, action: str) -> Conflict:
    """After a refused write: say why, from the state as it is now."""
    current = store.get(app_id)
    return _invalid(current, action) if current else Conflict("The application changed.", code="invalid_transition")


def _due(kind: str, at: datetime, app_id: str) -> dict[str, str]:
    return store.due_keys(kind, _iso(at), app_id)


def _view(app: dict[str, Any]) -> Application:
    return Application.model_validate(app)


def _notify(app: dict[str, Any], recipients: str | tuple[str, ...], kind: str, **extra: str) -> None:
    """One queue call, whoever is told."""
    to = (recipients,) if isinstance(recipients, str) else recipients
    notify.send(
        *(
            notify.message(r, kind, about_participant=app["participant_id"], shift_id=app["shift_id"], **extra)
            for r in to
        )
    )


def _emit(app: dict[str, Any], event: OutboundEvent, **extra: Any) -> None:
    """Tells the employer's HR system, if it subscribed to this event."""
    data = {k: app[k] for k in ("application_id", "shift_id", "job_id", "participant_id")} | extra
    _emit_now(app["org_id"], event, data)


def _participant_inbox(app: dict[str, Any]) -> str:
    return notify.participant_inbox(app["participant_id"])


def _employer_inbox(app: dict[str, Any]) -> str:
    return notify.organisation_inbox(app["org_id"])


# ---------------------------------------------------------------- participants


def apply(caller: Caller, shift_id: str, body: ApplyRequest) -> Application:
    participant_id = caller.participant_id or ""
    shift, profile = store.read(store.shift_key(shift_id), store.profile_key(participant_id))
    if shift is None:
        raise NotFound(f"Shift {shift_id} was not found.")
    if profile is None or profile["status"] != "active":
        raise Conflict("Only participants who gave consent can apply.", code="participant_not_active")
    now = clock.now()
    at = _iso(now)
    app = {
        "application_id": application_id(shift_id, participant_id),
        "shift_id": shift_id,
        "job_id": shift["job_id"],
        "org_id": shift["org_id"],
        "participant_id": participant_id,
        "caseworker_id": profile["caseworker_id"],
        "status": S.APPLIED.value,
        "message": body.message or None,
        "shift_starts_at": shift["starts_at"],
        "shift_ends_at": shift["ends_at"],
        "shift_break_minutes": shift["break_minutes"],
        "hourly_wage": shift["job"]["hourly_wage"],
        "job_published_at": shift.get("published_at"),
        "created_at": at,
        "updated_at": at,
    }
    try:
        store.insert(app, at)
    except TransactionRefused as refused:
        if refused.failed(0):
            raise Conflict("You have applied to this shift already.", code="already_applied") from None
        if refused.failed(2):
            raise Conflict("Only participants who gave consent can apply.", code="participant_not_active") from None
        if shift["status"] == "cancelled" or shift["starts_at"] <= at:
            raise Conflict("This shift no longer takes applications.", code="shift_closed") from None
        raise NotFound(f"Shift {shift_id} was not found.") from None  # a draft, or its organisation is suspended
    _notify(app, _employer_inbox(app), "application_created")
    _emit(app, OutboundEvent.APPLICATION_CREATED, status=S.APPLIED.value)
    return _view(app)


def withdraw(caller: Caller, app_id: str) -> Application:
    app = _load(caller, app_id)
    moved = _move(app, "withdrawn", (S.APPLIED,), {"status": S.WITHDRAWN.value})
    _notify(app, _employer_inbox(app), "application_withdrawn")
    return moved


def confirm(caller: Caller, app_id: str) -> Application:
    app = _load(caller, app_id)
    now = clock.now()
    if app["status"] == S.OFFERED and app["offer_expires_at"] <= _iso(now):
        raise Conflict("The offer has expired.", code="offer_expired")
    starts = _at(app["shift_starts_at"])
    sets = {"status": S.CONFIRMED.value, "confirmed_at": _iso(now)} | _due("reminder", starts - REMINDER_AHEAD, app_id)
    moved = _move(
        app,
        "confirmed",
        (S.OFFERED,),
        sets,
        extra_condition="offer_expires_at > :now",
        extra_values={":now": _iso(now)},
    )
    _notify(app, _employer_inbox(app), "offer_confirmed")
    _emit(app, OutboundEvent.APPLICATION_CONFIRMED, status=S.CONFIRMED.value)
    return moved


def decline(caller: Caller, app_id: str) -> Application:
    app = _load(caller, app_id)
    moved = _release(app, "declined", (S.OFFERED,), {"status": S.DECLINED.value})
    _notify(app, _employer_inbox(app), "offer_declined")
    _emit(app, OutboundEvent.APPLICATION_DECLINED, status=S.DECLINED.value)
    return moved


def approve_hours(caller: Caller, app_id: str) -> Application:
    app = _load(caller, app_id)
    completed = _complete(app, S.HOURS_SUBMITTED, app.get("hours"), "approved")
    _notify(app, (_employer_inbox(app), _participant_inbox(app)), "hours_approved")
    return completed


def dispute_hours(caller: Caller, app_id: str, reason: str) -> Application:
    app = _load(caller, app_id)
    moved = _move(
        app, "disputed", (S.HOURS_SUBMITTED,), {"status": S.HOURS_DISPUTED.value, "dispute_reason": reason}, remove=DUE
    )
    _notify(app, (_employer_inbox(app), notify.ADMIN_INBOX), "hours_disputed")
    return moved


def mine(caller: Caller, limit: int, cursor: str | None) -> Page[Application]:
    items, nxt = store.list_for_participant(caller.participant_id or "", limit, cursor)
    return Page(items=[_view(i) for i in items], next_cursor=nxt)


# ---------------------------------------------------------------- employers


def accept(caller: Caller, app_id: str) -> Application:
    participant_id = _participant_of(app_id)
    if participant_id is None:
        raise _not_found(app_id)
    for _ in range(OFFER_ATTEMPTS):
        app, schedule, profile = store.read_raw(
            store.app_key(app_id), store.schedule_key(participant_id), store.profile_key(participant_id)
        )
        if app is None or app["org_id"] != caller.org_id:
            raise _not_found(app_id)
        if app["status"] != S.APPLIED:
            raise _invalid(app, "accepted")
        now = clock.now()
        starts, ends = _at(app["shift_starts_at"]), _at(app["shift_ends_at"])
        expires = min(now + OFFER_WINDOW, starts - CONFIRM_BEFORE_START)
        if expires <= now:
            raise Conflict("The shift starts too soon for an offer to be confirmed.", code="too_late_to_offer")
        held: dict[str, Any] = dict((schedule or {}).get("held") or {})
        minutes = int((ends - starts).total_seconds() // 60) - int(app["shift_break_minutes"])
        _check_schedule(held, starts, ends, minutes, (profile or {}).get("weekly_hours_limit"))
        interval = {"start": app["shift_starts_at"], "end": app["shift_ends_at"], "minutes": minutes}
        stale = [a for a, iv in held.items() if _at(iv["end"]) < now - SCHEDULE_MEMORY]
        sets = {
            "status": S.OFFERED.value,
            "offered_at": _iso(now),
            "offer_expires_at": _iso(expires),
            "updated_at": _iso(now),
        }
        writes = [
            store.app_update(app_id, (S.APPLIED,), set_=sets | _due("offer", expires, app_id)),
            store.take_slot(app["shift_id"], _iso(now)),
            store.hold(participant_id, int(schedule["version"]) if schedule else None, app_id, interval, stale),
        ]
        try:
            store.run(writes)
        except TransactionRefused as refused:
            if refused.failed(0):
                raise _refresh_refusal(app_id, "accepted") from None
            if refused.failed(1):
                shift = store.read(store.shift_key(app["shift_id"]))[0] or {}
                if shift.get("status") == "open" and shift.get("filled", 0) >= shift.get("slots", 0):
                    raise Conflict("Every slot of this shift is taken.", code="shift_full") from None
                raise Conflict("This shift no longer takes offers.", code="shift_closed") from None
            continue  # the schedule changed under us: read it again
        offered = {**app, **sets}
        _notify(offered, _participant_inbox(offered), "offer_made", offer_expires_at=sets["offer_expires_at"])
        return _view(strip(offered))
    raise ServiceUnavailable("Too many changes at once for this participant; please try again.")


def _check_schedule(held: dict[str, Any], starts: datetime, ends: datetime, minutes: int, cap_hours: Any) -> None:
    for interval in held.values():
        if _at(interval["start"]) < ends and starts < _at(interval["end"]):
            raise Conflict("The participant holds an overlapping shift.", code="overlapping_shift")
    if cap_hours is None:
        return
    week = _week_of(starts)
    booked = sum(int(iv["minutes"]) for iv in held.values() if _week_of(_at(iv["start"])) == week)
    if booked + minutes > int(cap_hours) * 60:
        raise Conflict(
            f"This would take the participant over their cap of {int(cap_hours)} hours in the week of {week}.",
            code="weekly_hours_exceeded",
        )


def _week_of(instant: datetime) -> str:
    """The Monday of the week (Mon-Sun, Europe/Zurich) in which a shift starts; it counts there."""
    local = instant.astimezone(clock.ZURICH).date()
    return (local - timedelta(days=local.weekday())).isoformat()


def strip(app: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in app.items() if not (k.startswith("GSI") or k in {"PK", "SK", "type"})}


def reject(caller: Caller, app_id: str) -> Application:
    app = _load(caller, app_id)
    moved = _move(app, "rejected", (S.APPLIED,), {"status": S.REJECTED.value})
    _notify(app, _participant_inbox(app), "application_rejected")
    return moved


def no_show(caller: Caller, app_id: str) -> Application:
    app = _load(caller, app_id)
    now = _iso(clock.now())
    if app["status"] == S.CONFIRMED and app["shift_starts_at"] > now:
        raise Conflict("A no-show can be recorded once the shift has started.", code="shift_not_started")
    sets = {"status": S.NO_SHOW.value, "updated_at": now} | _outcome(app)  # replaces the reminder's index keys
    writes = [
        store.app_update(
            app_id,
            (S.CONFIRMED,),
            set_=sets,
            extra_condition="shift_starts_at <= :now",
            extra_values={":now": now},
        ),
        store.add_to(store.profile_key(app["participant_id"]), {"no_show_count": 1}),
    ]
    _run_or_refuse(writes, app_id, "marked as a no-show")
    _notify(app, notify.caseworker_inbox(app["caseworker_id"]), "no_show", participant_id=app["participant_id"])
    return _view({**app, **sets})


def submit_hours(caller: Caller, app_id: str, body: HoursRequest) -> Application:
    app = _load(caller, app_id)
    now = clock.now()
    if app["status"] == S.CONFIRMED and app["shift_starts_at"] > _iso(now):
        raise Conflict("Hours can be recorded once the shift has started.", code="shift_not_started")
    hours = {
        "started_at": _iso(body.started_at),
        "ended_at": _iso(body.ended_at),
        "break_minutes": body.break_minutes,
        "submitted_at": _iso(now),
    }
    sets = {"status": S.HOURS_SUBMITTED.value, "hours": hours, "updated_at": _iso(now)} | _due(
        "hours", now + AUTO_APPROVAL, app_id
    )
    moved = _move(
        app,
        "given hours",
        (S.CONFIRMED,),
        sets,
        extra_condition="shift_starts_at <= :now",
        extra_values={":now": _iso(now)},
    )
    _notify(app, _participant_inbox(app), "hours_submitted")
    return moved


def applicants(caller: Caller, shift_id: str, limit: int, cursor: str | None) -> Page[EmployerApplicationView]:
    shift = store.read(store.shift_key(shift_id))[0]
    if shift is None or shift["org_id"] != caller.org_id:
        raise NotFound(f"Shift {shift_id} was not found.")
    apps, nxt = store.list_for_shift(shift_id, limit, cursor)
    profiles = store.read(*[store.profile_key(a["participant_id"]) for a in apps]) if apps else []
    views = [_employer_view(a, p or {}) for a, p in zip(apps, profiles, strict=True)]
    return Page(items=views, next_cursor=nxt)


def _card(app: dict[str, Any], profile: dict[str, Any]) -> ApplicantCard:
    ratings = int(profile.get("rating_count", 0))
    confirmed = app["status"] in CONFIRMED_OR_LATER
    return ApplicantCard(
        participant_id=app["participant_id"],
        first_name=str(profile.get("first_name", "")),
        last_initial=str(profile.get("last_name", ""))[:1] + "." if profile.get("last_name") else "",
        skills=list(profile.get("skills", [])),
        languages=list(profile.get("languages", [])),
        completed_shifts=int(profile.get("completed_shifts", 0)),
        no_show_count=int(profile.get("no_show_count", 0)),
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
        applicant=_card(app, profile),
    )


def get(caller: Caller, app_id: str) -> Application | EmployerApplicationView:
    app = _load(caller, app_id)
    if caller.role is Role.EMPLOYER:  # an employer sees the applicant card, never the case data
        return _employer_view(app, store.read(store.profile_key(app["participant_id"]))[0] or {})
    return _view(app)


# ---------------------------------------------------------------- both sides


def cancel(caller: Caller, app_id: str, reason: str) -> Application:
    app = _load(caller, app_id)
    now = clock.now()
    late = _at(app["shift_starts_at"]) - now < LATE_CANCELLATION
    sets = {
        "status": S.CANCELLED.value,
        "cancelled_by": caller.role.value,
        "cancelled_late": late,
        "cancel_reason": reason,
    } | _outcome(app)
    moved = _release(app, "cancelled", (S.OFFERED, S.CONFIRMED), sets)
    other = _employer_inbox(app) if caller.role is Role.PARTICIPANT else _participant_inbox(app)
    _notify(app, other, "application_cancelled")
    if late and caller.role is Role.PARTICIPANT:
        _notify(
            app,
            notify.caseworker_inbox(app["caseworker_id"]),
            "late_cancellation",
            participant_id=app["participant_id"],
        )
    _emit(app, OutboundEvent.APPLICATION_CANCELLED, status=S.CANCELLED.value, cancelled_by=caller.role.value)
    return moved


def rate(caller: Caller, app_id: str, body: RatingRequest) -> Application:
    app = _load(caller, app_id)
    side = "rating_by_participant" if caller.role is Role.PARTICIPANT else "rating_by_employer"
    if app["status"] != S.COMPLETED:
        raise Conflict("Ratings are given once the shift is completed.", code="invalid_transition")
    if app.get(side):
        raise Conflict("This side has rated already.", code="already_rated")
    rating = {"stars": body.stars, "comment": body.comment, "at": _iso(clock.now())}
    rated = (
        store.org_key(app["org_id"]) if caller.role is Role.PARTICIPANT else store.profile_key(app["participant_id"])
    )
    writes = [
        store.app_update(
            app_id,
            (S.COMPLETED,),
            set_={side: {k: v for k, v in rating.items() if v is not None}},
            extra_condition=f"attribute_not_exists({side})",
        ),
        store.add_to(rated, {"rating_sum": body.stars, "rating_count": 1}),
    ]
    _run_or_refuse(writes, app_id, "rated")
    return _view({**app, side: rating})


# ---------------------------------------------------------------- admins


def resolve_hours(caller: Caller, app_id: str, body: HoursRequest) -> Application:
    app = _load(caller, app_id)
    hours = {
        **(app.get("hours") or {}),
        "started_at": _iso(body.started_at),
        "ended_at": _iso(body.ended_at),
        "break_minutes": body.break_minutes,
    }
    completed = _complete(app, S.HOURS_DISPUTED, hours, "resolved")
    _notify(app, (_participant_inbox(app), _employer_inbox(app)), "hours_approved")
    return completed


# ---------------------------------------------------------------- schedules


def expire_offers() -> int:
    """Offers not confirmed by their deadline expire and give their slot back."""
    now = _iso(clock.now())
    done = 0
    for app in store.due("offer", now):
        try:
            _release(
                app,
                "expired",
                (S.OFFERED,),
                {"status": S.EXPIRED.value},
                extra_condition="offer_expires_at <= :now",
                extra_values={":now": now},
            )
        except Conflict:
            continue  # confirmed or declined meanwhile
        _notify(app, (_participant_inbox(app), _employer_inbox(app)), "offer_expired")
        done += 1
    return done


def auto_approve_hours() -> int:
    """Hours the participant left unanswered for 72 h are approved."""
    now = clock.now()
    done = 0
    for app in store.due("hours", _iso(now)):
        try:
            _complete(
                app,
                S.HOURS_SUBMITTED,
                app.get("hours"),
                "approved",
                extra_condition="#hours.submitted_at <= :cutoff",
                extra_values={":cutoff": _iso(now - AUTO_APPROVAL)},
                extra_names={"#hours": "hours"},
            )
        except Conflict:
            continue
        _notify(app, (_participant_inbox(app), _employer_inbox(app)), "hours_approved")
        done += 1
    return done


def send_reminders() -> int:
    """Tells participants of their confirmed shifts starting within 24 h, once."""
    now = clock.now()
    done = 0
    for app in store.due("reminder", _iso(now)):
        if app["shift_starts_at"] <= _iso(now):
            sets: dict[str, Any] = {"reminder_skipped_at": _iso(now)}  # the shift started: too late to remind
        else:
            sets = {"reminder_sent_at": _iso(now)}
        try:
            store.run([store.app_update(app["application_id"], (S.CONFIRMED,), set_=sets, remove=DUE)])
        except TransactionRefused:
            continue
        if "reminder_sent_at" in sets:
            _notify(app, _participant_inbox(app), "shift_reminder", starts_at=app["shift_starts_at"])
            done += 1
    return done


def cancel_for_shift(shift_id: str) -> int:
    """A cancelled shift cancels every application still open on it and tells the participants."""
    done = 0
    for app in store.all_for_shift(shift_id):
        sets = {
            "status": S.CANCELLED.value,
            "cancelled_by": "employer",
            "cancelled_late": False,
            "cancel_reason": "shift cancelled",
        } | _outcome(app)
        try:
            if app["status"] == S.APPLIED:
                _move(app, "cancelled", (S.APPLIED,), sets)
            elif app["status"] in (S.OFFERED, S.CONFIRMED):
                _release(app, "cancelled", (S.OFFERED, S.CONFIRMED), sets)
            else:
                continue
        except Conflict:
            continue
        _notify(app, _participant_inbox(app), "shift_cancelled")
        _emit(app, OutboundEvent.APPLICATION_CANCELLED, status=S.CANCELLED.value, cancelled_by="employer")
        done += 1
    return done


# ---------------------------------------------------------------- the moves themselves


def _run_or_refuse(writes: list[dict[str, Any]], app_id: str, action: str) -> None:
    try:
        store.run(writes)
    except TransactionRefused:
        raise _refresh_refusal(app_id, action) from None


def _move(
    app: dict[str, Any],
    action: str,
    from_statuses: tuple[ApplicationStatus, ...],
    sets: dict[str, Any],
    *,
    remove: tuple[str, ...] = (),
    extra_condition: str = "",
    extra_values: dict[str, Any] | None = None,
) -> Application:
    """A transition of the application alone."""
    if app["status"] not in from_statuses:
        raise _invalid(app, action)
    sets = {"updated_at": _iso(clock.now())} | sets
    write = store.app_update(
        app["application_id"],
        tuple(from_statuses),
        set_=sets,
        remove=remove,
        extra_condition=extra_condition,
        extra_values=extra_values,
    )
    _run_or_refuse([write], app["application_id"], action)
    return _view({k: v for k, v in {**app, **sets}.items() if k not in remove})


def _release(
    app: dict[str, Any],
    action: str,
    from_statuses: tuple[ApplicationStatus, ...],
    sets: dict[str, Any],
    *,
    extra_condition: str = "",
    extra_values: dict[str, Any] | None = None,
) -> Application:
    """A transition that gives the held slot back to the shift and frees the participant's time."""
    if app["status"] not in from_statuses:
        raise _invalid(app, action)
    sets = {"updated_at": _iso(clock.now())} | sets
    writes = [
        store.app_update(
            app["application_id"],
            tuple(from_statuses),
            set_=sets,
            remove=() if DUE[0] in sets else DUE,  # an outcome's index keys replace what was due
            extra_condition=extra_condition,
            extra_values=extra_values,
        ),
        store.free_slot(app["shift_id"]),
        store.unhold(app["participant_id"], app["application_id"]),
    ]
    _run_or_refuse(writes, app["application_id"], action)
    return _view({**app, **sets})


def _complete(
    app: dict[str, Any],
    from_status: ApplicationStatus,
    hours: dict[str, Any] | None,
    action: str,
    *,
    extra_condition: str = "",
    extra_values: dict[str, Any] | None = None,
    extra_names: dict[str, str] | None = None,
) -> Application:
    """Fixes pay on the application and adds it to the participant's totals, together."""
    if app["status"] != from_status or not hours:
        raise _invalid(app, action)
    settings = get_settings()
    started = _at(hours["started_at"])
    minutes = pay.worked_minutes(started, _at(hours["ended_at"]), int(hours["break_minutes"]))
    amounts = pay.compute(minutes, Decimal(str(app["hourly_wage"])), settings.holiday_pay_rate)
    now = _iso(clock.now())
    sets = {
        "status": S.COMPLETED.value,
        "hours": hours,
        "pay": amounts,
        "completed_at": now,
        "updated_at": now,
    } | _outcome(app, clock.month_of(started))
    totals = {"completed_shifts": 1, "hours_total": Decimal(amounts["hours"]), "pay_total": Decimal(amounts["total"])}
    writes = [
        store.app_update(
            app["application_id"],
            (from_status,),
            set_=sets,
            extra_condition=extra_condition,
            extra_values=extra_values,
            extra_names=extra_names,
        ),
        store.add_to(store.profile_key(app["participant_id"]), totals, condition="attribute_exists(PK)"),
    ]
    _run_or_refuse(writes, app["application_id"], action)
    _emit(app, OutboundEvent.HOURS_APPROVED, status=S.COMPLETED.value, pay=amounts)
    return _view(strip({**app, **sets}))
