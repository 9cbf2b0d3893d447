"""Reports, asked for on demand or by the monthly schedule, generated from a queue.

Every figure is a sum of the per-application amounts fixed at approval; months are
Europe/Zurich months; each read is bounded by the period (a Query on its month's index
key), so a report costs what its period holds, not what the platform holds.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from aws_lambda_powertools import Logger

from tremplin import clock, report_files
from tremplin.data import organisations as org_store
from tremplin.data import participants as participant_store
from tremplin.data import reports as store
from tremplin.errors import NotFound, field_error
from tremplin.identity import Caller, Role
from tremplin.models import Page
from tremplin.models.reports import Report, ReportFile, ReportRequest, ReportStatus, ReportType

logger = Logger(child=True)

ZERO = Decimal("0.00")
EARNINGS_COLUMNS = [
    "participant_id",
    "first_name",
    "last_name",
    "case_reference",
    "caseworker_id",
    "month",
    "completed_shifts",
    "hours",
    "gross",
    "holiday_pay",
    "total",
]
EMPLOYER_COLUMNS = [
    "application_id",
    "shift_id",
    "participant_id",
    "started_at",
    "hours",
    "gross",
    "holiday_pay",
    "total",
]
PROGRAMME_COLUMNS = [
    "month",
    "new_participants",
    "placed",
    "active",
    "exits",
    "jobs_posted",
    "slots_posted",
    "slots_filled",
    "fill_rate",
    "median_hours_to_fill",
    "completed_shifts",
    "hours",
    "gross",
    "holiday_pay",
    "total",
    "no_show_rate",
    "late_cancellation_rate",
]


def report_id(kind: ReportType, period: str, org_id: str | None = None) -> str:
    """One id per type, period (and organisation): asking again replaces, never duplicates."""
    return f"rpt.{kind.value}.{period}" + (f".{org_id}" if org_id else "")


def _listing(kind: ReportType, org_id: str | None) -> str:
    return f"REPORTS#{kind.value}" + (f"#{org_id}" if org_id else "")


def _months(period: str) -> list[str]:
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
    if caller.role is Role.EMPLOYER:
        if body.type is not ReportType.EMPLOYER:
            raise field_error("type", "employers ask for their organisation's employer report")
        if org_id not in (None, caller.org_id):
            raise NotFound(f"Organisation {org_id} was not found.")
        org_id = caller.org_id
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
    attempt = store.request(report, _listing(kind, org_id))
    store.enqueue(str(report["report_id"]), attempt)
    return Report(status=ReportStatus.PENDING, **{k: v for k, v in report.items() if k != "requested_by"})


def _visible(caller: Caller, item: dict[str, Any] | None, wanted: str) -> dict[str, Any]:
    if item is None:
        raise NotFound(f"Report {wanted} was not found.")
    allowed = {
        Role.ADMIN: True,
        Role.CASEWORKER: item["report_type"] == ReportType.EARNINGS,
        Role.EMPLOYER: item["report_type"] == ReportType.EMPLOYER and item.get("org_id") == caller.org_id,
        Role.PARTICIPANT: False,
    }[caller.role]
    if not allowed:
        raise NotFound(f"Report {wanted} was not found.")
    return item


def _scope_of(caller: Caller, item: dict[str, Any]) -> str:
    """Which of the report's files the caller gets: a caseworker only their caseload's."""
    if caller.role is Role.CASEWORKER:
        return f"caseworker-{caller.sub}"
    if item["report_type"] == ReportType.EMPLOYER:
        return f"org-{item['org_id']}"
    return "all"


def _view(caller: Caller, item: dict[str, Any]) -> Report:
    scope = _scope_of(caller, item)
    files = (item.get("files") or {}).get(scope, {})
    summary = json.loads(item["summary_json"]) if item.get("summary_json") else {}
    if caller.role is Role.CASEWORKER:
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


def get(caller: Caller, wanted: str) -> Report:
    return _view(caller, _visible(caller, store.get(wanted), wanted))


def list_visible(caller: Caller, limit: int, cursor: str | None) -> Page[Report]:
    if caller.role is Role.ADMIN:
        items, nxt = store.list_page("REPORTS", "GSI3", limit, cursor)
    elif caller.role is Role.CASEWORKER:
        items, nxt = store.list_page(_listing(ReportType.EARNINGS, None), "GSI1", limit, cursor)
    else:
        items, nxt = store.list_page(_listing(ReportType.EMPLOYER, caller.org_id), "GSI1", limit, cursor)
    return Page(items=[_view(caller, i) for i in items], next_cursor=nxt)


def monthly(now: datetime) -> list[str]:
    """The schedule's work on the 1st: last month's earnings, programme and employer reports."""
    today = now.astimezone(clock.ZURICH).date()
    last_month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    asked = [
        enqueue(ReportType.EARNINGS, last_month, None, "schedule"),
        enqueue(ReportType.PROGRAMME, last_month, None, "schedule"),
    ]
    orgs = {s["org_id"] for s in store.shifts_starting(last_month)} | {o["org_id"] for o in store.outcomes(last_month)}
    asked += [enqueue(ReportType.EMPLOYER, last_month, org, "schedule") for org in sorted(orgs)]
    return [r.report_id for r in asked]


# ---------------------------------------------------------------- the worker


def generate(wanted: str, attempt: int) -> str:
    """Computes and writes a report's files; a failure leaves it `failed` (ask again to retry)."""
    item = store.get(wanted)
    if item is None or int(item.get("attempt", 0)) != attempt:
        return "superseded"
    try:
        kind = ReportType(item["report_type"])
        builder = {ReportType.EARNINGS: _earnings, ReportType.PROGRAMME: _programme, ReportType.EMPLOYER: _employer}[
            kind
        ]
        summary, files = builder(item)
        # The summary is kept as JSON text: it holds floats (rates, medians) DynamoDB won't take.
        finished = {
            "summary_json": report_files.to_json(summary),
            "files": files,
            "generated_at": clock.iso(clock.now()),
        }
        done = store.finish(wanted, attempt, ReportStatus.READY.value, finished)
    except Exception as exc:
        logger.exception("report failed", extra={"report_id": wanted})
        store.finish(
            wanted,
            attempt,
            ReportStatus.FAILED.value,
            {"error": f"{type(exc).__name__}: the report could not be generated"},
        )
        return "failed"
    return "ready" if done else "superseded"


def _write(
    item: dict[str, Any], scope: str, document: dict[str, Any], rows: list[dict[str, Any]], columns: list[str]
) -> dict[str, str]:
    base = f"reports/{item['report_type']}/{item['period']}/{scope}"
    store.put_file(f"{base}.json", report_files.to_json(document), "application/json")
    store.put_file(f"{base}.csv", report_files.to_csv(rows, columns), "text/csv")
    return {"json": f"{base}.json", "csv": f"{base}.csv"}


def _money(values: list[Any]) -> Decimal:
    return sum((Decimal(str(v)) for v in values), ZERO)


def _pay_sums(apps: list[dict[str, Any]]) -> dict[str, str]:
    return {
        "completed_shifts": len(apps),  # type: ignore[dict-item]
        "hours": str(_money([a["pay"]["hours"] for a in apps])),
        "gross": str(_money([a["pay"]["gross"] for a in apps])),
        "holiday_pay": str(_money([a["pay"]["holiday_pay"] for a in apps])),
        "total": str(_money([a["pay"]["total"] for a in apps])),
    }


def _document(
    item: dict[str, Any], summary: dict[str, Any], rows: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    return {
        "report_id": item["report_id"],
        "type": item["report_type"],
        "period": item["period"],
        "generated_at": clock.iso(clock.now()),
        "summary": summary,
        "rows": rows,
        **extra,
    }


def _earnings(item: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    month = item["period"]
    completed = [a for a in store.outcomes(month) if a["status"] == "completed"]
    by_participant: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for app in completed:
        by_participant[app["participant_id"]].append(app)
    profiles = {
        p["participant_id"]: p for p in store.items([participant_store.profile_key(pid) for pid in by_participant])
    }
    rows = []
    for pid, apps in sorted(by_participant.items()):
        profile = profiles.get(pid, {})
        rows.append(
            {
                "participant_id": pid,
                "first_name": profile.get("first_name", ""),
                "last_name": profile.get("last_name", ""),
                "case_reference": profile.get("case_reference", ""),
                "caseworker_id": profile.get("caseworker_id", apps[0].get("caseworker_id", "")),
                "month": month,
                **_pay_sums(apps),
            }
        )
    by_caseworker: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_caseworker[row["caseworker_id"]].append(row)
    files = {"all": _write(item, "all", _document(item, _earnings_summary(rows), rows), rows, EARNINGS_COLUMNS)}
    for caseworker, own in by_caseworker.items():
        scope = f"caseworker-{caseworker}"
        files[scope] = _write(item, scope, _document(item, _earnings_summary(own), own), own, EARNINGS_COLUMNS)
    summary = _earnings_summary(rows) | {
        "by_caseworker": {cw: _earnings_summary(own) for cw, own in by_caseworker.items()}
    }
    return summary, files


def _earnings_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "participants": len(rows),
        "completed_shifts": sum(int(r["completed_shifts"]) for r in rows),
        "hours": str(_money([r["hours"] for r in rows])),
        "gross": str(_money([r["gross"] for r in rows])),
        "holiday_pay": str(_money([r["holiday_pay"] for r in rows])),
        "total": str(_money([r["total"] for r in rows])),
    }


def _employer(item: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    month, org_id = item["period"], item["org_id"]
    shifts = [s for s in store.shifts_starting(month, org_id) if s["status"] != "cancelled"]
    ended = store.outcomes(month, org_id)
    completed = [a for a in ended if a["status"] == "completed"]
    rows = [
        {
            "application_id": a["application_id"],
            "shift_id": a["shift_id"],
            "participant_id": a["participant_id"],
            "started_at": a["hours"]["started_at"],
            **{k: a["pay"][k] for k in ("hours", "gross", "holiday_pay", "total")},
        }
        for a in sorted(completed, key=lambda a: (a["hours"]["started_at"], a["application_id"]))
    ]
    sums = _pay_sums(completed)
    summary = {
        "org_id": org_id,
        "shifts_posted": len(shifts),
        "slots_posted": sum(int(s["slots"]) for s in shifts),
        "slots_filled": sum(int(s["filled"]) for s in shifts),
        "completed_shifts": len(completed),
        "hours": sums["hours"],
        "wage_cost": sums["total"],
        "gross": sums["gross"],
        "holiday_pay": sums["holiday_pay"],
        "no_shows": sum(1 for a in ended if a["status"] == "no_show"),
        "cancellations": sum(1 for a in ended if a["status"] == "cancelled"),
    }
    scope = f"org-{org_id}"
    return summary, {scope: _write(item, scope, _document(item, summary, rows), rows, EMPLOYER_COLUMNS)}


def _ratio(part: int | Decimal, whole: int | Decimal) -> str | None:
    return str((Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))) if whole else None


def _month_figures(month: str, kinds: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """One month's programme figures, and the raw sets the period's totals are built from."""
    ended = store.outcomes(month)
    completed = [a for a in ended if a["status"] == "completed"]
    no_shows = [a for a in ended if a["status"] == "no_show"]
    late = [a for a in ended if a["status"] == "cancelled" and a.get("cancelled_late")]
    shifts = [s for s in store.shifts_starting(month) if s["status"] != "cancelled"]
    jobs = store.jobs_published(month)
    exits = participant_store.exited_in(month)
    hours_to_fill = [
        (datetime.fromisoformat(a["offered_at"]) - datetime.fromisoformat(a["job_published_at"])).total_seconds() / 3600
        for a in completed + no_shows
        if a.get("offered_at") and a.get("job_published_at")
    ]
    slots = sum(int(s["slots"]) for s in shifts)
    filled = sum(int(s["filled"]) for s in shifts)
    sums = _pay_sums(completed)
    figures = {
        "month": month,
        "new_participants": len(participant_store.enrolled_in(month)),
        "placed": len({a["participant_id"] for a in completed}),
        "active": len({a["participant_id"] for a in completed + no_shows}),
        "exits": len(exits),
        "jobs_posted": len(jobs),
        "slots_posted": slots,
        "slots_filled": filled,
        "fill_rate": _ratio(filled, slots),
        "median_hours_to_fill": round(statistics.median(hours_to_fill), 2) if hours_to_fill else None,
        "no_show_rate": _ratio(len(no_shows), len(completed) + len(no_shows)),
        "late_cancellation_rate": _ratio(len(late), len(ended)),
        **sums,
    }
    raw = {
        "completed": completed,
        "no_shows": no_shows,
        "late": late,
        "ended": ended,
        "shifts": shifts,
        "jobs": jobs,
        "exits": exits,
        "hours_to_fill": hours_to_fill,
    }
    for job in jobs:
        kinds.setdefault(job["org_id"], job.get("org_kind", "company"))
    return figures, raw


def _programme(item: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    months = _months(item["period"])
    kinds: dict[str, str] = {}
    by_month, raws = [], []
    for month in months:
        figures, raw = _month_figures(month, kinds)
        by_month.append(figures)
        raws.append(raw)

    def every(name: str) -> list[Any]:
        return [x for raw in raws for x in raw[name]]

    completed, no_shows, ended, shifts = every("completed"), every("no_shows"), every("ended"), every("shifts")
    missing = {s["org_id"] for s in shifts} - kinds.keys()
    for org in store.items([{"PK": f"ORG#{o}", "SK": "ORG"} for o in sorted(missing)]):
        kinds[org["org_id"]] = org["kind"]
    jobs_by_kind: Counter[str] = Counter(kinds.get(j["org_id"], "company") for j in every("jobs"))
    slots_by_kind: Counter[str] = Counter()
    for s in shifts:
        slots_by_kind[kinds.get(s["org_id"], "company")] += int(s["slots"])
    participant_ratings = [
        int(a["rating_by_participant"]["stars"]) for a in completed if a.get("rating_by_participant")
    ]
    employer_ratings = [int(a["rating_by_employer"]["stars"]) for a in completed if a.get("rating_by_employer")]
    slots = sum(int(s["slots"]) for s in shifts)
    filled = sum(int(s["filled"]) for s in shifts)
    summary = {
        "enrolled": participant_store.enrolled_up_to(months[-1]),
        "new_participants": sum(m["new_participants"] for m in by_month),
        "active": len({a["participant_id"] for a in completed + no_shows}),
        "placed": len({a["participant_id"] for a in completed}),
        "exits_by_outcome": dict(Counter(e["outcome"] for e in every("exits"))),
        "jobs_posted_by_kind": dict(jobs_by_kind),
        "slots_posted_by_kind": dict(slots_by_kind),
        "fill_rate": _ratio(filled, slots),
        "median_hours_to_fill": round(statistics.median(every("hours_to_fill")), 2) if every("hours_to_fill") else None,
        "no_show_rate": _ratio(len(no_shows), len(completed) + len(no_shows)),
        "late_cancellation_rate": _ratio(len(every("late")), len(ended)),
        "average_rating_of_employers": round(statistics.mean(participant_ratings), 2) if participant_ratings else None,
        "average_rating_of_participants": round(statistics.mean(employer_ratings), 2) if employer_ratings else None,
        **_pay_sums(completed),
    }
    document = _document(item, summary, by_month, by_month=by_month, definitions=DEFINITIONS)
    files = _write(item, "all", document, by_month, PROGRAMME_COLUMNS)
    key = f"reports/{item['report_type']}/{item['period']}/all.html"
    store.put_file(key, report_files.programme_page(document), "text/html; charset=utf-8")
    files["html"] = key
    return summary, {"all": files}


DEFINITIONS = {
    "enrolled": "participants enrolled up to the end of the period",
    "new_participants": "participants enrolled during the period",
    "active": "participants with a completed shift or a no-show in the period",
    "placed": "participants with at least one completed shift in the period",
    "exits_by_outcome": "exits dated in the period, by outcome",
    "jobs_posted_by_kind": "jobs published in the period, by organisation kind",
    "slots_posted_by_kind": "slots of shifts starting in the period, by organisation kind",
    "fill_rate": "slots held (offered or later) / slots posted, for shifts starting in the period",
    "median_hours_to_fill": "median hours from a job's publication to the offer, for shifts worked or missed",
    "no_show_rate": "no-shows / (completed shifts + no-shows)",
    "late_cancellation_rate": "cancellations less than 24 h ahead / shifts that ended in the period",
    "hours": "hours worked, as fixed at approval (month of the work's start, Europe/Zurich)",
}


def last_day(month: str) -> date:
    year, mon = int(month[:4]), int(month[5:])
    return (date(year + (mon == 12), mon % 12 + 1, 1)) - timedelta(days=1)
