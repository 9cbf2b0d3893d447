"""Reports, asked for on demand or by the monthly schedule, generated from a queue.

The programme and employer reports sum per-application amounts fixed at approval, by the
Europe/Zurich month of the work; the earnings report is the assistance statement: the payslips
paid in the month (by payout date). Each read is a Query on its month's index key, so a report
costs what its period holds. Each generation is an attempt with files of its own (a slower,
older worker never overwrites a newer one); transient errors go back to the queue, any other
error fails the report at once. Work approved after a month closed refreshes that month's
programme and employer reports (`refresh_for_outcome`); payslips never change, so statements
are not refreshed: late work is on the next payslip, in the next month's statement.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from aws_lambda_powertools import Logger

from tremplin import access, clock
from tremplin.access import Slice
from tremplin.data import organisations as org_store
from tremplin.data import payslips as payslip_store
from tremplin.data import reports as store
from tremplin.errors import NotFound, ServiceUnavailable, field_error
from tremplin.identity import Caller, Role
from tremplin.models import Page
from tremplin.models.reports import Report, ReportFile, ReportLinkAudit, ReportRequest, ReportStatus, ReportType
from tremplin.settings import get_settings

logger = Logger(child=True)

REFRESH_DELAY = timedelta(minutes=5)
REFRESH_STALE = timedelta(hours=6)  # a refresh queued this long ago and never started is lost
OUTCOME_STATUSES = frozenset({"completed", "no_show", "cancelled"})


def report_id(kind: ReportType, period: str, org_id: str | None = None) -> str:
    """One id per type, period (and organisation): asking again replaces, never duplicates."""
    return f"rpt.{kind.value}.{period}" + (f".{org_id}" if org_id else "")


def months_of(period: str) -> list[str]:
    first, _, last = period.partition("..")
    last = last or first
    months, year, month = [], int(first[:4]), int(first[5:])
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


# ---------------------------------------------------------------- asking and reading


def request(caller: Caller, body: ReportRequest) -> Report:
    org_id = body.org_id
    if access.organisations_slice(caller) is Slice.ORGANISATION:
        if body.type is not ReportType.EMPLOYER:
            raise field_error("type", "employers ask for their organisation's employer report")
        org_id = org_id or caller.org_id
        if not access.may_see_organisation(caller, org_id or ""):
            raise NotFound(f"Organisation {org_id} was not found.")
    if body.type is ReportType.EMPLOYER:
        if not org_id:
            raise field_error("org_id", "an employer report names its organisation")
        if org_store.get(org_id) is None:
            raise NotFound(f"Organisation {org_id} was not found.")
    else:
        org_id = None
    return enqueue(body.type, body.period, org_id, requested_by=caller.sub)


def enqueue(kind: ReportType, period: str, org_id: str | None, requested_by: str) -> Report:
    report: dict[str, Any] = {
        "report_id": report_id(kind, period, org_id),
        "type": kind.value,
        "period": period,
        "org_id": org_id,
        "requested_at": clock.iso(clock.now()),
        "requested_by": requested_by,
    }
    attempt = store.request(report)
    try:
        store.enqueue(str(report["report_id"]), attempt)
    except Exception:
        # Saved, not queued: shown failed ("ask again"; asking again is a new attempt, queued anew).
        # Had the message left after all, its worker finishes the attempt: the failure is not settled.
        logger.exception("report not queued", extra={"report_id": report["report_id"], "attempt": attempt})
        try:
            fail(str(report["report_id"]), attempt, "the report could not be queued; please ask again", settle=False)
        except Exception:
            logger.exception("report not marked failed", extra={"report_id": report["report_id"]})
        raise ServiceUnavailable("The report could not be queued; please ask for it again.") from None
    return Report(status=ReportStatus.PENDING, **{k: v for k, v in report.items() if k != "requested_by"})


def _visible(caller: Caller, item: dict[str, Any] | None, wanted: str) -> dict[str, Any]:
    if item is None or not access.may_see_report(caller, item):
        raise NotFound(f"Report {wanted} was not found.")
    return item


def _view(caller: Caller, item: dict[str, Any]) -> Report:
    scope = access.report_part(caller, item)
    files = (item.get("files") or {}).get(scope, {})
    summary = json.loads(item["summary_json"]) if item.get("summary_json") else {}
    if access.reports_slice(caller) is Slice.CASELOAD:
        summary = (summary.get("by_caseworker") or {}).get(caller.sub, {})
    elif isinstance(summary, dict):
        summary = {k: v for k, v in summary.items() if k != "by_caseworker"}
    return Report(
        report_id=item["report_id"],
        type=item["report_type"],
        period=item["period"],
        org_id=item.get("org_id"),
        status=item["status"],
        requested_at=item["requested_at"],
        generated_at=item.get("generated_at"),
        summary=summary,
        files=[ReportFile(format=fmt, url=store.link(key), scope=scope) for fmt, key in sorted(files.items())],
        error=item.get("error"),
    )


def _audit_links(caller: Caller, views: list[Report]) -> None:
    """Links handed to a caseworker or an admin are noted first (the files name people and their
    earnings): no link leaves unrecorded. An employer's own report is not audited."""
    if caller.role not in (Role.CASEWORKER, Role.ADMIN):
        return
    at = clock.iso(clock.now())
    entries = [
        ReportLinkAudit(
            report_id=view.report_id,
            at=at,
            actor_sub=caller.sub,
            actor_role=caller.role,
            scope=view.files[0].scope,
            formats=[f.format for f in view.files],
        ).model_dump()
        for view in views
        if view.files
    ]
    if entries:
        store.add_link_audit(entries)


def get(caller: Caller, wanted: str) -> Report:
    view = _view(caller, _visible(caller, store.get(wanted), wanted))
    _audit_links(caller, [view])
    return view


def link_audit(caller: Caller, wanted: str, limit: int, cursor: str | None) -> Page[ReportLinkAudit]:
    """Who was handed links to the report's files, oldest first (admins)."""
    _visible(caller, store.get(wanted), wanted)
    items, nxt = store.list_link_audit(wanted, limit, cursor)
    return Page(items=[ReportLinkAudit.model_validate(i) for i in items], next_cursor=nxt)


def list_visible(caller: Caller, limit: int, cursor: str | None) -> Page[Report]:
    reach = access.reports_slice(caller)
    if reach is Slice.ALL:
        items, nxt = store.list_page(None, None, limit, cursor)
    elif reach is Slice.CASELOAD:
        items, nxt = store.list_page(ReportType.EARNINGS, None, limit, cursor)
    elif reach is Slice.ORGANISATION:
        items, nxt = store.list_page(ReportType.EMPLOYER, caller.org_id, limit, cursor)
    else:
        items, nxt = [], None
    views = [_view(caller, i) for i in items]
    _audit_links(caller, views)
    return Page(items=views, next_cursor=nxt)


def monthly(now: datetime) -> list[str]:
    """The schedule's work on the 1st: asks for last month's earnings and programme reports and
    one employer report per organisation with a shift starting or an outcome in the month (found
    on the index keys, one organisation at a time). Returns the report ids asked for."""
    today = now.astimezone(clock.ZURICH).date()
    last_month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    asked = [
        enqueue(ReportType.EARNINGS, last_month, None, "schedule").report_id,
        enqueue(ReportType.PROGRAMME, last_month, None, "schedule").report_id,
    ]
    for org in store.active_orgs(last_month):
        asked.append(enqueue(ReportType.EMPLOYER, last_month, org, "schedule").report_id)
    return asked


# ---------------------------------------------------------------- late outcomes


def _counted(kind: ReportType, app: dict[str, Any] | None) -> tuple[Any, ...] | None:
    """What of an application a report of `kind` counts (None: it counts nothing of it)."""
    if not app or app.get("status") not in OUTCOME_STATUSES or not app.get("work_month"):
        return None
    status, pay = app["status"], app.get("pay")
    if kind is ReportType.EARNINGS:
        return None  # the statement counts payslips, fixed when issued: no application's change moves it
    if kind is ReportType.EMPLOYER:
        started = (app.get("hours") or {}).get("started_at")
        return (app["work_month"], app.get("org_id"), status, app.get("participant_id"), pay, started)
    stars = [(app.get(side) or {}).get("stars") for side in ("rating_by_participant", "rating_by_employer")]
    return (
        app["work_month"],
        status,
        app.get("participant_id"),
        bool(app.get("cancelled_late")),
        pay,
        app.get("offered_at"),
        app.get("job_published_at"),
        stars,
    )


def refresh_for_outcome(old: dict[str, Any] | None, new: dict[str, Any]) -> int:
    """Queues a regeneration of the closed months' reports an application's change moves
    (`old`, `new`: its images as stored); returns how many messages were sent (a new refresh, or
    one saved by an earlier call whose message was not sent).

    Hours may be approved long after the month (auto-approval, disputes resolved any day), so no
    window can be waited out: the stream consumer calls this for every change, and a change that
    moves a figure of a closed month (one whose monthly reports exist) queues that month's
    programme and employer reports again (never the statement), REFRESH_DELAY later so a burst makes one
    regeneration. A refresh is saved on the report first, its message sent second, then noted
    sent: a retry of the change after a failed send sends that attempt's message again. The
    current month and ranges of months are not refreshed (ask again)."""
    wanted: dict[str, tuple[ReportType, str, str | None]] = {}
    for kind in ReportType:
        before, after = _counted(kind, old), _counted(kind, new)
        if before == after:
            continue
        for image, counted in ((old, before), (new, after)):
            if image is not None and counted is not None:
                org = str(image["org_id"]) if kind is ReportType.EMPLOYER else None
                month = str(image["work_month"])
                wanted[report_id(kind, month, org)] = (kind, month, org)
    now = clock.now()
    open_month = clock.month_of(now)
    wanted = {rid: w for rid, w in wanted.items() if w[1] < open_month}
    if not wanted:
        return 0
    months = {month for _, month, _ in wanted.values()}
    closing = [report_id(k, m) for m in sorted(months) for k in (ReportType.EARNINGS, ReportType.PROGRAMME)]
    found = store.existing(sorted(set(closing) | wanted.keys()))
    at, stale = clock.iso(now), clock.iso(now - REFRESH_STALE)
    queued = 0
    for rid, (kind, month, org) in sorted(wanted.items()):
        closed = all(report_id(k, month) in found for k in (ReportType.EARNINGS, ReportType.PROGRAMME))
        if not closed:
            continue  # not run yet: the monthly run (or whoever asks) will count it
        attempt = None
        if rid not in found:
            report = {"report_id": rid, "type": kind.value, "period": month, "org_id": org}
            report |= {"requested_at": at, "requested_by": "refresh"}
            attempt = store.create_for_refresh(report)
        if attempt is None:  # it exists: a new refresh, or the queued one whose message was not sent
            attempt = store.refresh(rid, at, stale)
        if attempt is not None:
            _send_refresh(rid, attempt, _refresh_delay())
            queued += 1
    return queued


def _send_refresh(rid: str, attempt: int, delay_seconds: int = 0) -> None:
    """Sends the message of a refresh saved on the report, then notes it sent."""
    store.enqueue(rid, attempt, delay_seconds)  # raises: the retried change sends it again
    try:
        store.refresh_sent(rid, attempt)
    except Exception:  # not noted: a later change sends the message once more, to no effect
        logger.warning("refresh not noted sent", extra={"report_id": rid, "attempt": attempt})


def _refresh_delay() -> int:
    # The local stack and the tests pin the clock, while SQS delays in real time: no wait there.
    return 0 if get_settings().local_stack else int(REFRESH_DELAY.total_seconds())


def regenerate_statements_of(participant_id: str) -> int:
    """After an erasure: every statement that listed one of the participant's payslips is made
    again from the profile as it is now ("Erased Participant"), and its older files deleted when
    the new ones are ready. Returns how many were queued."""
    months = sorted({str(s["payout_date"])[:7] for s in payslip_store.all_for(participant_id)})
    found = store.existing([report_id(ReportType.EARNINGS, month) for month in months])
    now = clock.now()
    at, stale = clock.iso(now), clock.iso(now - REFRESH_STALE)
    queued = 0
    for rid in sorted(found):
        attempt = store.refresh(rid, at, stale)
        if attempt is not None:
            _send_refresh(rid, attempt)
            queued += 1
    return queued


def fail(wanted: str, attempt: int, error: str, settle: bool) -> None:
    store.finish(
        wanted,
        attempt,
        ReportStatus.FAILED.value,
        {"error": error, "files": {}},
        remove=("summary_json", "generated_at"),
        settle=settle,
    )
