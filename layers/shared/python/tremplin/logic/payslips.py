"""Payroll and payslips (PRODUCT.md "Hours and pay").

Approval (and a late cancellation by the employer) fixes an application's pay and, in the same
transaction, writes its pay line (`line_put`). The monthly payroll run gives each participant one
payslip holding every line still waiting, whatever month it was worked: each payslip and the
removal of its lines is one transaction, conditioned on the payslip being new and every line
still waiting, so a line lands on exactly one payslip whatever runs meet at once or run again;
a line approved after its participant's payslip of the month is paid the month after.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from aws_lambda_powertools import Logger

from tremplin import access, clock, pay
from tremplin.data import dynamo, keys
from tremplin.data import payslips as store
from tremplin.errors import NotFound, ServiceUnavailable
from tremplin.identity import Caller
from tremplin.logic import participants, pay_scheme
from tremplin.models import Page
from tremplin.models.payslips import Payslip

logger = Logger(child=True)

RUN_BUDGET_S = 45.0
"""Of the schedules function's 60 s. A run out of time fails, so the scheduler runs it again:
the participants done are not met again (their lines are gone), the rest get their payslips."""


def line_put(app: dict[str, Any], amounts: pay.ApplicationPay, at: str) -> dict[str, Any]:
    """The pay line of an application whose pay was just fixed, for the same transaction."""
    line = {
        "participant_id": app["participant_id"],
        "application_id": app["application_id"],
        "org_id": app["org_id"],
        "shift_date": shift_date(app),
        "pay": dict(amounts),
        "completed_at": at,
    }
    return store.line_put(line)


def shift_date(app: dict[str, Any]) -> str:
    """The shift's start date, Europe/Zurich: the date its pay-scheme version is taken from."""
    return datetime.fromisoformat(app["shift_starts_at"]).astimezone(clock.ZURICH).date().isoformat()


# ---------------------------------------------------------------- the run


def run_payroll(now: datetime | None = None) -> int:
    """The payroll of the Zurich month of `now` (the run on the 2nd pays the month before):
    one payslip per participant with waiting lines. Returns the payslips written."""
    now = now or clock.now()
    run_month = clock.month_of(now)
    waiting: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in store.pending(clock.iso(now)):
        waiting[line["participant_id"]].append(line)
    if not waiting:
        return 0
    payout = pay.payout_date(run_month)
    participants = sorted(waiting)
    orgs = sorted({line["org_id"] for lines in waiting.values() for line in lines})
    scheme, *found = store.read(
        keys.pay_scheme(), *(keys.profile(p) for p in participants), *(keys.org(o) for o in orgs)
    )
    # Deductions are owed on wages when they are paid (AHV's realisation principle): the
    # version in force on the payout date.
    version = pay.version_in_force(pay_scheme.rules(list((scheme or {}).get("versions") or [])), payout)
    profiles = dict(zip(participants, found[: len(participants)], strict=True))
    names = {o: (item or {}).get("name", "") for o, item in zip(orgs, found[len(participants) :], strict=True)}
    issued = 0
    stop = time.monotonic() + RUN_BUDGET_S
    for participant_id in participants:
        if time.monotonic() > stop:
            raise ServiceUnavailable(f"payroll {run_month} out of time after {issued} payslips; run it again")
        lines = sorted(waiting[participant_id], key=lambda line: (line["shift_date"], line["application_id"]))
        for part, start in enumerate(range(0, len(lines), store.MAX_LINES), start=1):
            chunk = lines[start : start + store.MAX_LINES]
            payslip = _payslip(run_month, payout, participant_id, part, chunk, names, version, profiles[participant_id])
            dynamo.begin_call()
            if store.issue(payslip, chunk):
                issued += 1
            else:
                logger.info("payslip written by another run; its lines wait", extra={"id": payslip["payslip_id"]})
    return issued


def _payslip(
    run_month: str,
    payout: date,
    participant_id: str,
    part: int,
    lines: list[dict[str, Any]],
    employers: dict[str, str],
    version: pay.PaySchemeVersion,
    profile: dict[str, Any] | None,
) -> dict[str, Any]:
    work_month = pay.work_month(run_month)
    shown = [
        {
            "application_id": line["application_id"],
            "org_id": line["org_id"],
            "shift_date": line["shift_date"],
            "employer": employers.get(line["org_id"], ""),
            **{k: line["pay"][k] for k in ("hours", "base", "public_holiday", "holiday", "thirteenth_month", "gross")},
            "compensation": bool(line["pay"].get("compensation")),
        }
        for line in lines
    ]
    return {
        "payslip_id": keys.payslip_id(run_month, participant_id, part),
        "participant_id": participant_id,
        "run_month": run_month,
        "work_month": work_month,
        "payout_date": payout.isoformat(),
        "lines": shown,
        **pay.payslip_totals(shown, version, work_month),
        "withholding_tax": bool((profile or {}).get("withholding_tax")),
        "pay_scheme_valid_from": version.valid_from.isoformat(),
        "issued_at": clock.iso(clock.now()),
    }


# ---------------------------------------------------------------- reading them


def _profile(participant_id: str) -> dict[str, Any] | None:
    return store.read(keys.profile(participant_id))[0]


def mine(caller: Caller, limit: int, cursor: str | None) -> Page[Payslip]:
    if not access.acts_as_participant(_profile(caller.participant_id or ""), caller):
        return Page[Payslip](items=[], next_cursor=None)  # an erased participant's token reads nothing
    items, nxt = store.list_for(caller.participant_id or "", limit, cursor)
    return Page[Payslip](items=[Payslip.model_validate(i) for i in items], next_cursor=nxt)


def of_participant(caller: Caller, participant_id: str, limit: int, cursor: str | None) -> Page[Payslip]:
    profile = _profile(participant_id)
    if profile is None or not access.may_see_participant(caller, profile):
        raise NotFound(f"Participant {participant_id} was not found.")
    items, nxt = store.list_for(participant_id, limit, cursor)  # first: a bad cursor is a 400, not audited
    participants.audit_staff_read(caller, participant_id, "read_payslips", PAYSLIP_FIELDS)
    return Page[Payslip](items=[Payslip.model_validate(i) for i in items], next_cursor=nxt)


PAYSLIP_FIELDS = ("payslips",)


def visible(caller: Caller, payslip_id: str, action: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    payslip = store.get(payslip_id)
    profile = _profile(payslip["participant_id"]) if payslip else None
    if payslip is None or not access.may_see_payslip(caller, payslip, profile):
        raise NotFound(f"Payslip {payslip_id} was not found.")
    participants.audit_staff_read(caller, payslip["participant_id"], action, PAYSLIP_FIELDS)
    return payslip, profile


def get(caller: Caller, payslip_id: str) -> Payslip:
    return Payslip.model_validate(visible(caller, payslip_id, "read_payslip")[0])
