"""Making a report: the report worker's part (functions/report_worker), apart from asking for
and reading reports (tremplin.logic.reports), because the statement's PDF needs fpdf2, which only
the report worker's and the pay function's PDF layer carry (template.yaml: PdfLayer; the import
contract keeps every other function from reaching it).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from aws_lambda_powertools import Logger

from tremplin import clock, contributions, pay, report_files
from tremplin.data import organisations as org_store
from tremplin.data import participants as participant_store
from tremplin.data import payslips as payslip_store
from tremplin.data import regular_offers as regular_offer_store
from tremplin.data import reports as store
from tremplin.logic import reports
from tremplin.models.applications import Pay
from tremplin.models.reports import ReportStatus, ReportType

logger = Logger(child=True)

RECEIVES = 5  # template.yaml: the ReportsQueue's maxReceiveCount
Builder = Callable[[dict[str, Any], int], tuple[dict[str, Any], dict[str, dict[str, str]]]]

ZERO = Decimal("0.00")
STATEMENT_COLUMNS = [
    "participant_id",
    "first_name",
    "last_name",
    "case_reference",
    "caseworker_id",
    "payslip_id",
    "work_month",
    "payout_date",
    "hours",
    "gross",
    *pay.DEDUCTIONS,
    "deductions",
    "net",
    "income_allowance",
    "counted_income",
]
STATEMENT_SUMS = ("hours", "gross", "deductions", "net", "income_allowance", "counted_income")
EMPLOYER_COLUMNS = [
    "application_id",
    "shift_id",
    "participant_id",
    "started_at",
    "hours",
    "base",
    "public_holiday",
    "holiday",
    "thirteenth_month",
    "gross",
    "compensation",
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
    "base",
    "public_holiday",
    "holiday",
    "thirteenth_month",
    "gross",
    "gross_paid",
    "net_paid",
    "no_show_rate",
    "late_cancellation_rate",
    # the step to a regular job (issue 19)
    "regular_offers_made",
    "regular_offers_accepted",
]


def generate(wanted: str, attempt: int, last_try: bool = False) -> str:
    """Computes and writes one attempt's files. A permanent error leaves the report `failed`
    (ask again); a transient one is raised, so the message comes back (`last_try`: it will not,
    and the report is shown failed too, without closing the attempt)."""
    item = store.get(wanted)
    if item is None or not _may_run(item, attempt):
        return "superseded"
    if int(item.get("current_attempt", 0)) == attempt:
        return "done"  # a repeated message: this attempt's outcome is recorded
    store.start(wanted, attempt)
    try:
        kind = ReportType(item["report_type"])
        builders: dict[ReportType, Builder] = {
            ReportType.EARNINGS: _earnings,
            ReportType.PROGRAMME: _programme,
            ReportType.EMPLOYER: _employer,
        }
        summary, files = builders[kind](item, attempt)
        # The summary is kept as JSON text: it holds floats (rates, medians) DynamoDB won't take.
        finished = {
            "summary_json": report_files.to_json(summary),
            "files": files,
            "generated_at": clock.iso(clock.now()),
        }
        done = store.finish(wanted, attempt, ReportStatus.READY.value, finished, remove=("error",))
        if done:
            _forget_older_files(wanted, attempt)
    except Exception as exc:
        if store.transient(exc):
            logger.warning(
                "report delayed", extra={"report_id": wanted, "attempt": attempt, "error": type(exc).__name__}
            )
            if last_try:
                reports.fail(
                    wanted, attempt, "the report could not be generated for now; please ask again", settle=False
                )
            raise
        logger.exception("report failed", extra={"report_id": wanted, "attempt": attempt})
        reports.fail(wanted, attempt, f"{type(exc).__name__}: the report could not be generated", settle=True)
        return "failed"
    return "ready" if done else "superseded"


def _forget_older_files(wanted: str, attempt: int) -> None:
    """Once an attempt's files are the report's, the older attempts' go: an erased person's name
    must not outlive the statement made again without it (a failure leaves them to the bucket's
    retention rule)."""
    try:
        store.delete_files_before(wanted, attempt)
    except Exception:
        logger.warning("older report files not deleted", extra={"report_id": wanted, "attempt": attempt})


def _may_run(item: dict[str, Any], attempt: int) -> bool:
    """Not asked for again since, and nothing newer finished."""
    return (
        int(item.get("requested_attempt", 0)) <= attempt <= int(item.get("attempt", 0))
        and int(item.get("current_attempt", 0)) <= attempt
    )


def _file_key(item: dict[str, Any], attempt: int, scope: str, extension: str) -> str:
    """Each attempt's files under keys of their own: two attempts never write the same object."""
    return f"reports/{item['report_id']}/attempt-{attempt}/{scope}.{extension}"


def _write(
    item: dict[str, Any],
    attempt: int,
    scope: str,
    document: dict[str, Any],
    rows: list[dict[str, Any]],
    columns: list[str],
) -> dict[str, str]:
    keys = {"json": _file_key(item, attempt, scope, "json"), "csv": _file_key(item, attempt, scope, "csv")}
    store.put_file(keys["json"], report_files.to_json(document), "application/json")
    store.put_file(keys["csv"], report_files.to_csv(rows, columns), "text/csv")
    return keys


def _money(values: list[Any]) -> Decimal:
    return sum((Decimal(str(v)) for v in values), ZERO)


PAY_AMOUNTS = ("base", "public_holiday", "holiday", "thirteenth_month", "gross")
"""The amounts of an application's pay a report shows and sums (API.md's pay, in its order)."""


def _pay(app: dict[str, Any]) -> dict[str, Any]:
    """An application's pay in today's shape, pay fixed before the pay scheme included (the
    model's adapter, the one place that reads the old shape)."""
    return Pay.model_validate(app["pay"]).model_dump()


def _pay_sums(apps: list[dict[str, Any]]) -> dict[str, Any]:
    pays = [_pay(a) for a in apps]
    return {
        "completed_shifts": len(apps),
        "hours": str(_money([p["hours"] for p in pays])),
    } | {name: str(_money([p[name] for p in pays])) for name in PAY_AMOUNTS}


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


def _earnings(item: dict[str, Any], attempt: int) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """The assistance statement: every payslip paid in the month (by payout date, the month the
    office counts the income), one row each, traceable to the payslip and through its lines to
    the applications; one file per caseworker holding only their caseload (the participant's
    caseworker now), one whole file for admins."""
    slips = payslip_store.paid_in(item["period"])
    profiles = {
        p["participant_id"]: p for p in participant_store.get_many(sorted({s["participant_id"] for s in slips}))
    }
    rows = sorted(
        (_statement_row(slip, profiles.get(slip["participant_id"], {})) for slip in slips),
        key=lambda r: (r["last_name"], r["first_name"], r["participant_id"], r["payslip_id"]),
    )
    by_caseworker: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_caseworker[row["caseworker_id"]].append(row)
    files = {"all": _write_statement(item, attempt, "all", rows)}
    for caseworker, own in sorted(by_caseworker.items()):
        scope = f"caseworker-{caseworker}"
        files[scope] = _write_statement(item, attempt, scope, own)
    summary = _statement_summary(rows) | {
        "by_caseworker": {cw: _statement_summary(own) for cw, own in by_caseworker.items()}
    }
    return summary, files


def _statement_row(slip: dict[str, Any], profile: dict[str, Any]) -> dict[str, Any]:
    deductions = {name: str(slip["deductions"][name]) for name in pay.DEDUCTIONS}
    return {
        "participant_id": slip["participant_id"],
        "first_name": profile.get("first_name", ""),
        "last_name": profile.get("last_name", ""),
        "case_reference": profile.get("case_reference", ""),
        "caseworker_id": profile.get("caseworker_id", ""),
        "payslip_id": slip["payslip_id"],
        "work_month": slip["work_month"],
        "payout_date": slip["payout_date"],
        "hours": str(slip["hours"]),
        "gross": str(slip["gross"]),
        **deductions,
        "deductions": str(_money(list(deductions.values()))),
        "net": str(slip["net"]),
        "income_allowance": str(slip["income_allowance"]),
        "counted_income": str(slip["counted_income"]),
    }


def _statement_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "participants": len({r["participant_id"] for r in rows}),
        "payslips": len(rows),
    } | {name: str(_money([r[name] for r in rows])) for name in STATEMENT_SUMS}


def _write_statement(item: dict[str, Any], attempt: int, scope: str, rows: list[dict[str, Any]]) -> dict[str, str]:
    """JSON, CSV, an HTML page and a PDF of one statement file."""
    from tremplin import statement_files  # here: fpdf2 is 0.17 s of import only the report worker needs

    document = _document(item, _statement_summary(rows), rows)
    files = _write(item, attempt, scope, document, rows, STATEMENT_COLUMNS)
    files["html"] = _file_key(item, attempt, scope, "html")
    store.put_file(files["html"], statement_files.page(document), "text/html; charset=utf-8")
    files["pdf"] = _file_key(item, attempt, scope, "pdf")
    store.put_file(files["pdf"], statement_files.pdf(document), "application/pdf")
    return files


def _employer(item: dict[str, Any], attempt: int) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    month, org_id = item["period"], item["org_id"]
    shifts = [s for s in store.shifts_starting(month, org_id) if s["status"] != "cancelled"]
    ended = store.outcomes(month, org_id)
    completed = [a for a in ended if a["status"] == "completed"]
    compensated = [a for a in ended if a["status"] == "cancelled" and a.get("pay")]  # late, by the employer
    rows = [
        {
            "application_id": a["application_id"],
            "shift_id": a["shift_id"],
            "participant_id": a["participant_id"],
            "started_at": (a.get("hours") or {}).get("started_at", a["shift_starts_at"]),
            **{k: str(v) for k, v in _pay(a).items() if k in ("hours", "compensation") or k in PAY_AMOUNTS},
        }
        for a in sorted(completed + compensated, key=lambda a: (a["shift_starts_at"], a["application_id"]))
    ]
    sums = _pay_sums(completed)
    compensation = _money([_pay(a)["gross"] for a in compensated])
    summary = {
        "org_id": org_id,
        "shifts_posted": len(shifts),
        "slots_posted": sum(int(s["slots"]) for s in shifts),
        "slots_filled": sum(int(s["filled"]) for s in shifts),
        "completed_shifts": len(completed),
        "hours": sums["hours"],
        "wage_cost": str(Decimal(sums["gross"]) + compensation),
        "compensation": str(compensation),
        **{name: sums[name] for name in PAY_AMOUNTS},
        "no_shows": sum(1 for a in ended if a["status"] == "no_show"),
        "cancellations": sum(1 for a in ended if a["status"] == "cancelled"),
    }
    scope = f"org-{org_id}"
    return summary, {scope: _write(item, attempt, scope, _document(item, summary, rows), rows, EMPLOYER_COLUMNS)}


def _ratio(part: int | Decimal, whole: int | Decimal) -> str | None:
    return str((Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))) if whole else None


PAY_FIELDS = ("hours", *PAY_AMOUNTS)
PAID_FIELDS = ("gross_paid", "net_paid")
"""What the payslips paid in a month hold (by payout date): gross and net after deductions."""


@dataclass
class _Period:
    """What a programme report's totals need of each month, kept small: sets of participants,
    counts and sums, never the month's items (a range of months holds one month at a time)."""

    active: set[str] = field(default_factory=set)
    placed: set[str] = field(default_factory=set)
    exits: Counter[str] = field(default_factory=Counter)
    jobs_by_org: Counter[str] = field(default_factory=Counter)
    slots_by_org: Counter[str] = field(default_factory=Counter)
    slots: int = 0
    filled: int = 0
    hours_to_fill: list[float] = field(default_factory=list)
    completed: int = 0
    no_shows: int = 0
    late: int = 0
    ended: int = 0
    stars_for_employers: Counter[int] = field(default_factory=Counter)
    stars_for_participants: Counter[int] = field(default_factory=Counter)
    pay: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(PAY_FIELDS + PAID_FIELDS, ZERO))
    worked: set[tuple[str, date]] = field(default_factory=set)  # (participant, day of work): contribution months
    # the step to a regular job: offers made, accepted per organisation, who worked for whom
    regular_offers_made: int = 0
    hired_by_org: Counter[str] = field(default_factory=Counter)
    worked_for_org: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def _month_figures(month: str, kinds: dict[str, str], period: _Period) -> dict[str, Any]:
    """One month's programme figures; what the period's totals need is added to `period`."""
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
    slips = payslip_store.paid_in(month)
    sums |= {"gross_paid": str(_money([s["gross"] for s in slips])), "net_paid": str(_money([s["net"] for s in slips]))}
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
    period.active |= {a["participant_id"] for a in completed + no_shows}
    period.placed |= {a["participant_id"] for a in completed}
    period.worked |= _days_worked(completed)
    period.exits.update(e["outcome"] for e in exits)
    figures |= _regular_jobs(month, completed, period)
    period.jobs_by_org.update(j["org_id"] for j in jobs)
    for shift in shifts:
        period.slots_by_org[shift["org_id"]] += int(shift["slots"])
    period.slots += slots
    period.filled += filled
    period.hours_to_fill += hours_to_fill
    period.completed += len(completed)
    period.no_shows += len(no_shows)
    period.late += len(late)
    period.ended += len(ended)
    for app in completed:
        if app.get("rating_by_participant"):
            period.stars_for_employers[int(app["rating_by_participant"]["stars"])] += 1
        if app.get("rating_by_employer"):
            period.stars_for_participants[int(app["rating_by_employer"]["stars"])] += 1
    for name in PAY_FIELDS + PAID_FIELDS:
        period.pay[name] += Decimal(str(sums[name]))
    for job in jobs:
        kinds.setdefault(job["org_id"], job.get("org_kind", "company"))
    return figures


def _days_worked(completed: list[dict[str, Any]]) -> set[tuple[str, date]]:
    return {(str(a["participant_id"]), contributions.work_day(a)) for a in completed}


def _contribution_counts(months: list[str], period: _Period) -> dict[str, int]:
    """Participants with at least 6 and 12 contribution months as of the period's last day.
    Their 24-month window reaches before the period: those months' completed work is read from
    the same outcome index, month by month (cost: the window's outcomes, never the table)."""
    end = last_day(months[-1])
    window = contributions.window(end)
    worked = set(period.worked)
    for month in reports.months_of(f"{window.first:%Y-%m}..{months[-1]}"):
        if month not in months:
            worked |= _days_worked([a for a in store.outcomes(month) if a["status"] == "completed"])
    counted = contributions.months_by_participant(worked, end).values()
    return {
        "contribution_months_6_plus": sum(1 for m in counted if m >= 6),
        "contribution_months_12_plus": sum(1 for m in counted if m >= contributions.REQUIRED_MONTHS),
    }


def _regular_jobs(month: str, completed: list[dict[str, Any]], period: _Period) -> dict[str, int]:
    """A month's offers of regular employment made and accepted; the period keeps who worked for
    which organisation, for the conversions."""
    made, hired = regular_offer_store.made_in(month), regular_offer_store.hired_in(month)
    period.regular_offers_made += len(made)
    period.hired_by_org.update(h["org_id"] for h in hired)
    for app in completed:
        period.worked_for_org[app["org_id"]].add(app["participant_id"])
    return {"regular_offers_made": len(made), "regular_offers_accepted": len(hired)}


def _conversions(period: _Period, names: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Per partner organisation: offers accepted in the period / participants who completed a
    shift for it in the period."""
    return {
        org_id: {
            "name": names.get(org_id, ""),
            "regular_offers_accepted": period.hired_by_org[org_id],
            "participants_worked": len(period.worked_for_org.get(org_id, ())),
            "conversion_rate": _ratio(period.hired_by_org[org_id], len(period.worked_for_org.get(org_id, ()))),
        }
        for org_id in sorted(period.hired_by_org.keys() | period.worked_for_org.keys())
    }


def _mean_stars(stars: Counter[int]) -> float | None:
    return round(statistics.mean(stars.elements()), 2) if stars else None


def _programme(item: dict[str, Any], attempt: int) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    months = reports.months_of(item["period"])
    kinds: dict[str, str] = {}
    period = _Period()
    by_month = [_month_figures(month, kinds, period) for month in months]
    missing = (period.slots_by_org.keys() | period.jobs_by_org.keys()) - kinds.keys()
    partners = period.hired_by_org.keys() | period.worked_for_org.keys()
    names: dict[str, str] = {}
    for org in org_store.get_many(sorted(missing | partners)):
        kinds.setdefault(org["org_id"], org["kind"])
        names[org["org_id"]] = org.get("name", "")
    jobs_by_kind: Counter[str] = Counter()
    for org_id, count in period.jobs_by_org.items():
        jobs_by_kind[kinds.get(org_id, "company")] += count
    slots_by_kind: Counter[str] = Counter()
    for org_id, count in period.slots_by_org.items():
        slots_by_kind[kinds.get(org_id, "company")] += count
    summary = {
        "enrolled": participant_store.enrolled_up_to(months[-1]),
        "new_participants": sum(m["new_participants"] for m in by_month),
        "active": len(period.active),
        "placed": len(period.placed),
        "exits_by_outcome": dict(period.exits),
        "jobs_posted_by_kind": dict(jobs_by_kind),
        "slots_posted_by_kind": dict(slots_by_kind),
        "fill_rate": _ratio(period.filled, period.slots),
        "median_hours_to_fill": round(statistics.median(period.hours_to_fill), 2) if period.hours_to_fill else None,
        "no_show_rate": _ratio(period.no_shows, period.completed + period.no_shows),
        "late_cancellation_rate": _ratio(period.late, period.ended),
        "average_rating_of_employers": _mean_stars(period.stars_for_employers),
        "average_rating_of_participants": _mean_stars(period.stars_for_participants),
        "completed_shifts": period.completed,
        **{name: str(period.pay[name]) for name in PAY_FIELDS + PAID_FIELDS},
        **_contribution_counts(months, period),  # issue 19
        "regular_offers_made": period.regular_offers_made,
        "regular_offers_accepted": sum(period.hired_by_org.values()),
        "conversions_by_organisation": _conversions(period, names),
    }
    document = _document(item, summary, by_month, by_month=by_month, definitions=DEFINITIONS)
    files = _write(item, attempt, "all", document, by_month, PROGRAMME_COLUMNS)
    key = _file_key(item, attempt, "all", "html")
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
    "gross_paid": "gross of the payslips paid in the period (by payout date), whatever month the work was",
    "net_paid": "net of the payslips paid in the period: gross less the employee deductions",
    # issue 19 (README "Contribution months"; an estimate, the unemployment fund decides)
    "contribution_months_6_plus": "participants with at least 6 contribution months in the 24 months up to the "
    "period's last day (AVIV art. 11: 1.4 calendar days per day with completed work, 30 a month)",
    "contribution_months_12_plus": "participants with at least 12 contribution months (AVIG art. 13: a claim) in "
    "the 24 months up to the period's last day",
    "regular_offers_made": "offers of regular employment made in the period",
    "regular_offers_accepted": "offers of regular employment accepted in the period (by the day of the answer)",
    "conversions_by_organisation": (
        "per partner organisation: offers accepted in the period / participants with a completed shift for it "
        "in the period"
    ),
}


def last_day(month: str) -> date:
    year, mon = int(month[:4]), int(month[5:])
    return (date(year + (mon == 12), mon % 12 + 1, 1)) - timedelta(days=1)
