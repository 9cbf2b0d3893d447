"""A month of the programme made by the domain's own functions (`tremplin.logic.*`), the clock
pinned at each step, in time order: what the reports read, without re-implementing a write.
Used by tests/integration/test_report_scaling.py and, copied to size, by bench.report_scaling
and bench.memory.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from tremplin import clock
from tremplin.identity import Caller, Role
from tremplin.logic import applications as app_logic
from tremplin.logic import jobs as job_logic
from tremplin.logic import organisations as org_logic
from tremplin.logic import participants as participant_logic
from tremplin.logic import payslips as payslip_logic
from tremplin.logic import regular_offers as offer_logic
from tremplin.models.applications import ApplyRequest, HoursRequest, RatingRequest
from tremplin.models.jobs import JobCreate
from tremplin.models.organisations import OrganisationCreate
from tremplin.models.participants import ConsentRequest, ExitOutcome, ExitRequest, ParticipantCreate
from tremplin.models.regular_offers import ContractKind, RegularOfferCreate

ADDRESS = {"street": "Marktgasse 1", "postcode": "3011", "city": "Bern"}


def build_month(month: str, participants: int, days: int, rng: random.Random) -> list[str]:
    """A month in the table in use: one organisation per 5 participants (made the month before),
    the participants enrolled and consenting on the 1st, then on `days` days one job a day per
    organisation of one 4-slot shift, each participant working 4 days of 5 (applied, accepted,
    confirmed, reminded, hours recorded and approved, some rated); one no-show, one late
    cancellation, one exit; on its last day, the payroll. Returns the organisations' ids."""
    first = datetime(int(month[:4]), int(month[5:]), 1, tzinfo=clock.ZURICH)
    orgs: list[str] = []
    people: list[str] = []
    shifts: dict[tuple[int, int], str] = {}
    apps: dict[tuple[int, int], str] = {}  # (day, participant) -> application id
    steps: list[tuple[datetime, Callable[[], object]]] = []  # run in time order

    def at(when: datetime, step: Callable[[], object]) -> None:
        steps.append((when, step))

    def employer(k: int) -> Caller:
        return Caller(sub=f"hr-{k}", role=Role.EMPLOYER, org_id=orgs[k])

    def person(n: int) -> Caller:
        return Caller(sub=f"u{n}", role=Role.PARTICIPANT, participant_id=people[n])

    def new_org(k: int) -> None:
        body = {"name": f"Firma {month} #{k}", "kind": "public" if k == 0 else "company", "address": ADDRESS}
        orgs.append(
            org_logic.create(OrganisationCreate.model_validate(body | {"contact_email": "hr@example.ch"})).org_id
        )

    def enrol(n: int) -> None:
        body: dict[str, Any] = {"first_name": f"P{n}", "last_name": "Muster", "preferred_language": "de"}
        body |= {"postcode": "3012", "case_reference": f"SD-{month}-{n:04d}", "skills": ["gardening"]}
        cw = Caller(sub=f"cw-{n % 4 + 1:02d}", role=Role.CASEWORKER)
        people.append(participant_logic.enrol(cw, ParticipantCreate.model_validate(body)).participant_id)

    def consent(n: int) -> None:
        participant_logic.give_consent(person(n), ConsentRequest(version="2026-01"), frozenset({"2026-01"}))

    def post_job(d: int, k: int, start: datetime) -> None:
        shift = {"starts_at": start, "ends_at": start + timedelta(hours=4, minutes=30), "break_minutes": 30}
        body: dict[str, Any] = {"title": "Gardening", "description": "Planting and watering.", "publish": True}
        body |= {"category": "gardening", "location": ADDRESS, "hourly_wage": rng.choice(("22.40", "24.50", "26.00"))}
        shifts[(d, k)] = (
            job_logic.create_for(orgs[k], JobCreate.model_validate(body | {"shifts": [shift | {"slots": 4}]}))
            .shifts[0]
            .shift_id
        )

    def apply(d: int, k: int, n: int) -> None:
        apps[(d, n)] = app_logic.apply(person(n), shifts[(d, k)], ApplyRequest()).application_id

    def work(d: int, k: int, n: int, start: datetime, fate: str) -> None:
        def app() -> str:
            return apps[(d, n)]

        day_before = start - timedelta(days=1)
        at(day_before - timedelta(hours=9, minutes=-n), partial(apply, d, k, n))
        at(day_before - timedelta(hours=5), lambda: app_logic.accept(employer(k), app()))
        at(day_before - timedelta(hours=2, minutes=-n), lambda: app_logic.confirm(person(n), app()))
        if fate == "late cancellation":
            at(start - timedelta(hours=10), lambda: app_logic.cancel(person(n), app(), "Krank"))
        elif fate == "no-show":
            at(start + timedelta(hours=1), lambda: app_logic.no_show(employer(k), app()))
        else:
            ended = start + timedelta(hours=4, minutes=rng.choice((15, 30, 30, 45)))
            hours = HoursRequest(started_at=start, ended_at=ended, break_minutes=30)
            at(ended + timedelta(hours=1), lambda: app_logic.submit_hours(employer(k), app(), hours))
            at(ended + timedelta(hours=3), lambda: app_logic.approve_hours(person(n), app()))
            if rng.random() < 0.3:
                at(ended + timedelta(hours=4), lambda: app_logic.rate(person(n), app(), RatingRequest(stars=5)))
            if rng.random() < 0.3:
                at(ended + timedelta(hours=5), lambda: app_logic.rate(employer(k), app(), RatingRequest(stars=4)))

    for k in range(participants // 5):
        at(first - timedelta(days=40, minutes=-k), partial(new_org, k))
    for n in range(participants):
        at(first + timedelta(minutes=n), partial(enrol, n))
        at(first + timedelta(minutes=n, seconds=30), partial(consent, n))
    fates = {(2 + days // 2, 0): "no-show", (2 + days // 2, 1): "late cancellation"}  # (day, worker): fate
    for d in range(2, days + 2):  # the days after the enrolments
        workers = [n for n in range(participants) if (d + n) % 5]
        at(first + timedelta(days=d - 1, hours=9), app_logic.send_reminders)
        for k in range(participants // 5):
            start = first + timedelta(days=d, hours=rng.choice((7, 8, 9)))
            at(start - timedelta(days=2), partial(post_job, d, k, start))
            for w in range(4 * k, 4 * k + 4):
                work(d, k, workers[w], start, fates.get((d, w), "completed"))
    left = ExitRequest(outcome=ExitOutcome.TRAINING, date=(first + timedelta(days=days + 2)).date())
    cw = Caller(sub="cw-01", role=Role.CASEWORKER)
    at(first + timedelta(days=days + 3), lambda: participant_logic.record_exit(cw, people[0], left))
    # The step to a regular job: organisation 0 hires the participant who worked its first day
    # (worker 2 of day 2 completes in every month), starting within the month.
    offers: list[str] = []

    def offer_a_job() -> None:
        body = {"participant_id": people[2], "start_date": (first + timedelta(days=days + 5)).date()}
        body |= {"contract": ContractKind.PERMANENT, "workload_percent": 100, "position_title": "Mitarbeiter/in"}
        offers.append(offer_logic.make(employer(0), RegularOfferCreate.model_validate(body)).offer_id)

    at(first + timedelta(days=days + 3, hours=1), offer_a_job)
    at(first + timedelta(days=days + 3, hours=2), lambda: offer_logic.accept(person(2), offers[0]))
    # The month's work on payslips paid in the month itself (the schedule runs on the 2nd of the
    # next month; run on the month's last day here, each month's data stays its own).
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(minutes=1)
    at(last, payslip_logic.run_payroll)
    try:
        for when, step in sorted(steps, key=lambda s: s[0]):
            clock.pin(when)
            step()
    finally:
        clock.pin(None)
    return orgs
