"""Reports on a month of 1,000 participants and 20,000 completed shifts, generated in a table
holding only that month and in a table also holding 11 other such months.

    python -m bench.report_scaling [--other-months 11] [--repeat 3]

What it shows: every read a report makes is a Query on its month's index key (or a batch
read of the keys those give), so generating June 2026 costs the same DynamoDB calls, and
about the same time, whether the table holds one month or twelve. Results go to section
"report_scaling" of bench/results.json; the target is a time ratio (12 months / 1 month)
of at most 1.3 for each report type, with the same DynamoDB calls.

Each month is built by the domain's own code where it writes items: organisations by
`tremplin.logic.organisations.create`, participants by `tremplin.data.participants.insert`,
jobs and shifts by `tremplin.logic.jobs.create_for` and the data layer's `_job_item` and
`_shift_item`, applications by `tremplin.data.applications.insert`; each write captured instead
of sent. The applications' later moves (offer, confirmation, reminder, hours, completion,
no-show, late cancellation, ratings) are the field changes the lifecycle functions make,
with their own helpers (`_due`, `_outcome`, `tremplin.pay.compute`). Before loading, one
application of each outcome goes through the real API in a scratch table, and its stored
items are compared field by field with the benchmark's: if the shapes drifted apart, the
run stops. The items are then written with `batch_writer()`.

The generation is the report worker's own: `tremplin.logic.reports.enqueue` (its SQS message
goes to moto and stays there) then `tremplin.logic.reports.generate`, in process, files
written to moto's S3. The two tables take turns, as in `browse_jobs`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest.mock import patch

import boto3

from bench import harness  # first: puts the shared layer on sys.path
from bench.browse_jobs import PLACES
from local import resources
from local.environment import LocalEnvironment
from tremplin import clock, pay
from tremplin.data import applications as app_store
from tremplin.data import jobs as job_store
from tremplin.data import organisations as org_store
from tremplin.data import participants as participant_store
from tremplin.data import reports as report_store
from tremplin.data import reset
from tremplin.data.dynamo import strip_keys, table
from tremplin.ids import new_id
from tremplin.logic import applications as app_logic
from tremplin.logic import jobs as job_logic
from tremplin.logic import organisations as org_logic
from tremplin.logic import reports
from tremplin.models.jobs import Category, JobCreate
from tremplin.models.organisations import OrganisationCreate
from tremplin.models.participants import ExitOutcome, Participant
from tremplin.models.reports import ReportType
from tremplin.settings import get_settings

SECTION = "report_scaling"
TARGET_MONTH = "2026-06"
OTHER_MONTHS = reports._months("2025-07..2026-05")
NOW = datetime(2026, 7, 1, 6, 0, tzinfo=clock.ZURICH)  # when the monthly schedule asks for June's reports
TARGET_RATIO = 1.3
KINDS = (ReportType.EARNINGS, ReportType.PROGRAMME, ReportType.EMPLOYER)

# One month: 1,000 participants, each working 20 of the first 25 days, one shift a day; 20 jobs
# a day (one per organisation) of 10 shifts with 4 slots: 200 shifts, 800 completions a day.
PARTICIPANTS = 1000
CASEWORKERS = 20
ORGS = 20
PUBLIC_ORGS = 5  # the last five are city departments
DAYS = 25
WORK_DAYS = 20
SHIFTS_PER_JOB = 10
SLOTS = 4
NO_SHOWS = 20  # each on an extra one-slot shift, on a day its participant does not otherwise work
LATE_CANCELLATIONS = 20  # on full shifts: the slot was freed and taken again
EXITS = 10
RATED_SHARE = 0.3  # of completed shifts, rated by each side
CONSENT_VERSION = "2026-01"
EMPLOYER_ORG = 0  # the organisation whose employer report is generated

FIRST_NAMES = ["Anna", "Luca", "Sara", "Noah", "Lea", "Elias", "Mia", "Samuel", "Lina", "Ardit", "Fatima", "Yusuf"]
LAST_NAMES = ["Meier", "Müller", "Schmid", "Keller", "Weber", "Huber", "Rossi", "Berisha", "Da Silva", "Nguyen"]
SKILLS = ["gardening", "cleaning", "kitchen", "moving", "warehouse", "events", "retail"]
WAGES = ("22.00", "23.50", "24.50", "26.00", "28.00")


# ---------------------------------------------------------------- building one month


class _Capture:
    """Stands in for whatever a data module writes through (its `table()` and `client()`
    handles, its `transact()` helper): keeps the items put and the keys updated, writes nothing."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.items: list[dict[str, Any]] = []
        self.updated_keys: list[dict[str, Any]] = []

    def put_item(self, Item: dict[str, Any], **_: Any) -> None:  # boto3's spelling
        self.items.append(Item)

    def update_item(self, Key: dict[str, Any], **_: Any) -> None:
        self.updated_keys.append(Key)

    def transact_write_items(self, TransactItems: list[dict[str, Any]], **_: Any) -> None:
        self.transact(TransactItems)

    def transact(self, writes: list[dict[str, Any]], *_: Any, **__: Any) -> None:
        for write in writes:  # condition checks write nothing
            if "Put" in write:
                self.items.append(write["Put"]["Item"])
            elif "Update" in write:
                self.updated_keys.append(write["Update"]["Key"])

    @contextmanager
    def into(self, module: Any) -> Iterator[_Capture]:
        """Routes `module`'s writes here, whichever of those ways it makes them."""
        with ExitStack() as stack:
            for name, stand_in in (("table", lambda: self), ("client", lambda: self), ("transact", self.transact)):
                if hasattr(module, name):
                    stack.enter_context(patch.object(module, name, stand_in))
            yield self


def _iso(instant: datetime) -> str:
    return clock.iso(instant)


@dataclass
class Month:
    """One month's items and the figures its reports must show."""

    month: str
    items: list[dict[str, Any]]
    by_type: dict[str, int]
    expected: dict[str, Any]
    build_seconds: float
    org_ids: list[str] = field(default_factory=list)


def _money(values: list[str]) -> str:
    return str(sum((Decimal(v) for v in values), Decimal("0.00")))


def _pay_sums(apps: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "completed_shifts": len(apps),
        **{k: _money([a["pay"][k] for a in apps]) for k in ("hours", "gross", "holiday_pay", "total")},
    }


def caseworker_ids() -> list[str]:
    return [f"cw-{n:02d}" for n in range(1, CASEWORKERS + 1)]


def build_month(month: str, rng: random.Random) -> Month:
    """The items of one month, built with the domain's own code (see the module's docstring)."""
    with harness.Stopwatch() as built:
        try:
            month_data = _build(month, rng)
        finally:
            clock.pin(None)
    month_data.build_seconds = round(built.seconds, 3)
    return month_data


def _build(month: str, rng: random.Random) -> Month:
    year, mon = int(month[:4]), int(month[5:])
    first = datetime(year, mon, 1, tzinfo=clock.ZURICH)
    holiday_rate = get_settings().holiday_pay_rate
    caseworkers = caseworker_ids()
    # Organisations, created two months before.
    with _Capture(table().name).into(org_store) as captured_orgs:
        for k in range(ORGS):
            clock.pin(first - timedelta(days=60, hours=-k))
            kind = "public" if k >= ORGS - PUBLIC_ORGS else "company"
            postcode, city = PLACES[k % len(PLACES)]
            org_logic.create(
                OrganisationCreate.model_validate(
                    {
                        "name": f"{'Stadt' if kind == 'public' else 'Firma'} {city} {month} #{k}",
                        "kind": kind,
                        "contact_email": f"hr{k}@example.ch",
                        "address": {"street": f"Marktgasse {k + 1}", "postcode": postcode, "city": city},
                    }
                )
            )
    org_items = captured_orgs.items
    orgs = [strip_keys(i) for i in org_items]

    # Participants, enrolled (and consenting) in the first hour of the month.
    people: list[dict[str, Any]] = []
    for n in range(PARTICIPANTS):
        enrolled = first + timedelta(minutes=rng.randint(0, 55))
        consented = enrolled + timedelta(minutes=rng.randint(1, 4))
        postcode, _ = rng.choice(PLACES)
        people.append(
            Participant.model_validate(
                {
                    "participant_id": new_id("par"),
                    "first_name": rng.choice(FIRST_NAMES),
                    "last_name": rng.choice(LAST_NAMES),
                    "preferred_language": rng.choice(("de", "fr", "en")),
                    "languages": rng.sample(["de", "fr", "it", "en", "sq", "pt", "ti"], 2),
                    "skills": rng.sample(SKILLS, 2),
                    "postcode": postcode,
                    "case_reference": f"SD-{month}-{n:04d}",
                    "caseworker_id": caseworkers[n % CASEWORKERS],
                    "status": "active",
                    "consent": {"version": CONSENT_VERSION, "given_at": _iso(consented)},
                    "created_at": _iso(enrolled),
                    "updated_at": _iso(consented),
                }
            ).model_dump(mode="json")
        )
    counters: list[Counter[str]] = [Counter() for _ in people]
    money: list[dict[str, Decimal]] = [{"hours_total": Decimal(0), "pay_total": Decimal(0)} for _ in people]

    # Who works which day; the no-shows and late cancellations happen on a day off.
    def day_start(d: int) -> datetime:
        return first + timedelta(days=d)

    def off_day_participant(d: int, i: int) -> int:
        return (d - WORK_DAYS - i % (DAYS - WORK_DAYS)) % DAYS + DAYS * (i * 7 % (PARTICIPANTS // DAYS))

    no_show_at = {i: (i % DAYS, i % ORGS, off_day_participant(i % DAYS, i)) for i in range(NO_SHOWS)}
    late_at = {i: ((i + 3) % DAYS, off_day_participant((i + 3) % DAYS, i + 1)) for i in range(LATE_CANCELLATIONS)}

    # Jobs: one per organisation and day, published 6 to 72 hours before the day begins.
    jobs: list[tuple[dict[str, Any], list[dict[str, Any]], bool]] = []

    def capture_job(job: dict[str, Any], shifts: list[dict[str, Any]], browsable: bool) -> None:
        jobs.append((job, shifts, browsable))

    def shift_spec(d: int, slots: int) -> dict[str, Any]:
        start = day_start(d) + timedelta(hours=rng.randint(6, 15), minutes=rng.choice((0, 15, 30, 45)))
        hours = rng.randint(2, 8)
        return {
            "starts_at": start,
            "ends_at": start + timedelta(hours=hours),
            "break_minutes": 30 if hours >= 5 else 0,
            "slots": slots,
        }

    org_by_id = {o["org_id"]: o for o in orgs}
    with patch.object(job_store, "insert", capture_job), patch.object(org_store, "get", org_by_id.get):
        for d in range(DAYS):
            for k in range(ORGS):
                extra = [1 for day, org, _ in no_show_at.values() if (day, org) == (d, k)]
                category = rng.choice(list(Category))
                postcode, city = rng.choice(PLACES)
                clock.pin(day_start(d) - timedelta(minutes=rng.randint(6 * 60, 72 * 60)))
                job_logic.create_for(
                    orgs[k]["org_id"],
                    JobCreate.model_validate(
                        {
                            "title": f"{category.value.capitalize()} help, {city}",
                            "description": f"A day of {category.value} work in {city}.",
                            "category": category,
                            "location": {"street": f"Hauptstrasse {k + 1}", "postcode": postcode, "city": city},
                            "hourly_wage": Decimal(rng.choice(WAGES)),
                            "requirements": {"skills": [category.value], "languages": ["de"]},
                            "shifts": [shift_spec(d, SLOTS) for _ in range(SHIFTS_PER_JOB)]
                            + [shift_spec(d, slots) for slots in extra],
                            "publish": True,
                        }
                    ),
                )

    # Applications: apply, offer, confirm, reminder, then completion, no-show or cancellation.
    app_items: list[dict[str, Any]] = []
    completed: list[dict[str, Any]] = []
    ended: list[dict[str, Any]] = []
    org_ratings: list[Counter[str]] = [Counter() for _ in orgs]
    org_index = {o["org_id"]: k for k, o in enumerate(orgs)}

    def day_of(shift: dict[str, Any]) -> int:
        return (datetime.fromisoformat(shift["starts_at"]).astimezone(clock.ZURICH).date() - first.date()).days

    def held(shift: dict[str, Any], n: int) -> tuple[dict[str, Any], datetime]:
        """Applied, offered, confirmed and reminded: the item as those moves leave it, and
        when the reminder went."""
        person = people[n]
        start = datetime.fromisoformat(shift["starts_at"])
        latest = start - app_logic.CONFIRM_BEFORE_START - timedelta(hours=1)
        after = max(datetime.fromisoformat(shift["published_at"]), datetime.fromisoformat(person["created_at"]))
        created = min(after + timedelta(minutes=5), latest)
        created += timedelta(minutes=rng.randint(0, int((latest - created).total_seconds() // 60) // 4))
        app = {  # as apply() makes it
            "application_id": app_logic.application_id(shift["shift_id"], person["participant_id"]),
            "shift_id": shift["shift_id"],
            "job_id": shift["job_id"],
            "org_id": shift["org_id"],
            "participant_id": person["participant_id"],
            "caseworker_id": person["caseworker_id"],
            "status": "applied",
            "message": "Gern!" if rng.random() < 0.2 else None,
            "shift_starts_at": shift["starts_at"],
            "shift_ends_at": shift["ends_at"],
            "shift_break_minutes": shift["break_minutes"],
            "hourly_wage": shift["job"]["hourly_wage"],
            "job_published_at": shift.get("published_at"),
            "created_at": _iso(created),
            "updated_at": _iso(created),
        }
        app_store.insert(app, _iso(created))  # captured: the item as the transaction would put it
        (item,) = captured_apps.items
        captured_apps.items.clear()
        app_id = item["application_id"]
        offered = created + (start - app_logic.CONFIRM_BEFORE_START - created) * rng.uniform(0.1, 0.5)
        expires = min(offered + app_logic.OFFER_WINDOW, start - app_logic.CONFIRM_BEFORE_START)
        item |= {  # accept()
            "status": "offered",
            "offered_at": _iso(offered),
            "offer_expires_at": _iso(expires),
            "updated_at": _iso(offered),
        } | app_logic._due("offer", expires, app_id)
        confirmed = offered + (expires - offered) * rng.uniform(0.05, 0.5)
        item |= {  # confirm()
            "updated_at": _iso(confirmed),
            "status": "confirmed",
            "confirmed_at": _iso(confirmed),
        } | app_logic._due("reminder", start - app_logic.REMINDER_AHEAD, app_id)
        reminded = max(start - app_logic.REMINDER_AHEAD, confirmed) + timedelta(minutes=rng.randint(1, 59))
        item["reminder_sent_at"] = _iso(reminded)  # send_reminders(): the due keys go
        for key in app_logic.DUE:
            del item[key]
        return item, reminded

    def complete(shift: dict[str, Any], n: int) -> None:
        item, _ = held(shift, n)
        start, end = datetime.fromisoformat(shift["starts_at"]), datetime.fromisoformat(shift["ends_at"])
        started = start + timedelta(minutes=rng.choice((0, 0, 0, 5, 10)))
        finished = end + timedelta(minutes=rng.choice((-15, 0, 0, 0, 15)))
        submitted = finished + timedelta(minutes=rng.randint(10, 240))
        hours = {
            "started_at": _iso(started),
            "ended_at": _iso(finished),
            "break_minutes": int(shift["break_minutes"]),
            "submitted_at": _iso(submitted),
        }
        item |= {  # submit_hours()
            "updated_at": _iso(submitted),
            "status": "hours_submitted",
            "hours": hours,
        } | app_logic._due("hours", submitted + app_logic.AUTO_APPROVAL, item["application_id"])
        minutes = pay.worked_minutes(started, finished, int(shift["break_minutes"]))
        amounts = pay.compute(minutes, Decimal(str(item["hourly_wage"])), holiday_rate)
        done = submitted + timedelta(minutes=rng.randint(30, 70 * 60))
        item |= {  # _complete(), on approval
            "status": "completed",
            "hours": hours,
            "pay": amounts,
            "completed_at": _iso(done),
            "updated_at": _iso(done),
        } | app_logic._outcome(item, clock.month_of(started))
        counters[n]["completed_shifts"] += 1
        money[n]["hours_total"] += Decimal(amounts["hours"])
        money[n]["pay_total"] += Decimal(amounts["total"])
        if rng.random() < RATED_SHARE:  # rate(), by the participant
            stars = rng.randint(2, 5)
            item["rating_by_participant"] = {"stars": stars, "at": _iso(done + timedelta(hours=2))}
            org_ratings[org_index[item["org_id"]]].update(rating_sum=stars, rating_count=1)
        if rng.random() < RATED_SHARE:  # rate(), by the employer
            stars = rng.randint(3, 5)
            item["rating_by_employer"] = {"stars": stars, "at": _iso(done + timedelta(hours=3))}
            counters[n].update(rating_sum=stars, rating_count=1)
        app_items.append(item)
        completed.append(item)
        ended.append(item)

    def no_show(shift: dict[str, Any], n: int) -> None:
        item, _ = held(shift, n)
        missed = datetime.fromisoformat(shift["starts_at"]) + timedelta(minutes=rng.randint(15, 90))
        item |= {"status": "no_show", "updated_at": _iso(missed)} | app_logic._outcome(item)  # no_show()
        counters[n]["no_show_count"] += 1
        app_items.append(item)
        ended.append(item)

    def cancel_late(shift: dict[str, Any], n: int) -> None:
        item, reminded = held(shift, n)
        start = datetime.fromisoformat(shift["starts_at"])
        cancelled = max(reminded + timedelta(minutes=10), start - timedelta(hours=rng.uniform(2, 20)))
        item |= {  # cancel() by the participant, less than 24 h ahead
            "updated_at": _iso(cancelled),
            "status": "cancelled",
            "cancelled_by": "participant",
            "cancelled_late": True,
            "cancel_reason": "Krank",
        } | app_logic._outcome(item)
        app_items.append(item)
        ended.append(item)

    shifts_by_day: dict[int, list[dict[str, Any]]] = {d: [] for d in range(DAYS)}
    no_show_by_place = {(d, k): n for d, k, n in no_show_at.values()}
    with _Capture(table().name).into(app_store) as captured_apps:
        for _, shifts, _ in jobs:
            for shift in shifts:
                shift["filled"] = shift["slots"]  # every slot held to the end (cancelled ones were taken again)
                if shift["slots"] == 1:
                    no_show(shift, no_show_by_place[(day_of(shift), org_index[shift["org_id"]])])
                else:
                    shifts_by_day[day_of(shift)].append(shift)
        for d, day_shifts in shifts_by_day.items():
            workers = [n for n in range(PARTICIPANTS) if (d - n) % DAYS < WORK_DAYS]
            rng.shuffle(workers)
            assert len(workers) == len(day_shifts) * SLOTS, (d, len(workers), len(day_shifts))
            for s, shift in enumerate(day_shifts):
                for n in workers[s * SLOTS : (s + 1) * SLOTS]:
                    complete(shift, n)
            for late_day, n in late_at.values():
                if late_day == d:
                    cancel_late(rng.choice(day_shifts), n)

    # Exits, late in the month.
    exit_items: list[dict[str, Any]] = []
    exited = {37 + n * (PARTICIPANTS // EXITS): n for n in range(EXITS)}
    outcomes = list(ExitOutcome)
    for n, e in exited.items():
        on = (first + timedelta(days=DAYS + e % 3)).date().isoformat()
        recorded = first + timedelta(days=DAYS + 3, hours=9)
        outcome = outcomes[e % len(outcomes)].value
        people[n] |= {
            "status": "exited",
            "exit": {"outcome": outcome, "date": on, "recorded_at": _iso(recorded)},
            "updated_at": _iso(recorded),
        }
        exit_items.append(participant_store.exit_record(people[n]["participant_id"], outcome, on)["Put"]["Item"])

    # Profiles as insert() writes them, with what the moves added (ADD counters).
    with _Capture(table().name).into(participant_store) as captured_people:
        for person in people:
            participant_store.insert(person)
    profile_items = [i for i in captured_people.items if i["type"] == "participant"]
    assert len(profile_items) == len(people)
    for profile, count, amount in zip(profile_items, counters, money, strict=True):
        profile.update({k: v for k, v in count.items() if v})
        if count["completed_shifts"]:
            profile.update(amount)
    for org, rating in zip(org_items, org_ratings, strict=True):
        org.update({k: v for k, v in rating.items() if v})
    # The month's enrolment counter, spread over shards: each key the enrolments added to,
    # holding how many added to it.
    stats_counts = Counter(json.dumps(k, sort_keys=True) for k in captured_people.updated_keys if k["PK"] == "STATS")
    stats_items = [{**json.loads(k), "type": "stats", "count": n} for k, n in stats_counts.items()]
    assert sum(stats_counts.values()) == PARTICIPANTS

    job_items = [job_store._job_item(job) for job, _, _ in jobs]
    shift_items = [job_store._shift_item(s, browsable) for _, shifts, browsable in jobs for s in shifts]
    items = [*org_items, *profile_items, *exit_items, *stats_items, *job_items, *shift_items, *app_items]

    all_shifts = [s for _, shifts, _ in jobs for s in shifts]
    employer_org = orgs[EMPLOYER_ORG]["org_id"]
    own = [a for a in completed if a["org_id"] == employer_org]
    own_ended = [a for a in ended if a["org_id"] == employer_org]
    own_shifts = [s for s in all_shifts if s["org_id"] == employer_org]
    sums = _pay_sums(completed)
    expected = {
        "earnings": {"participants": len({a["participant_id"] for a in completed}), **sums},
        "employer": {
            "org_id": employer_org,
            "shifts_posted": len(own_shifts),
            "slots_posted": sum(s["slots"] for s in own_shifts),
            "slots_filled": sum(s["filled"] for s in own_shifts),
            "completed_shifts": len(own),
            "wage_cost": _pay_sums(own)["total"],
            "no_shows": sum(1 for a in own_ended if a["status"] == "no_show"),
            "cancellations": sum(1 for a in own_ended if a["status"] == "cancelled"),
        },
        "programme": {
            "new_participants": PARTICIPANTS,
            "placed": len({a["participant_id"] for a in completed}),
            "exits": EXITS,
            "jobs_posted": sum(1 for j, _, _ in jobs if clock.month_of(j["published_at"]) == month),
            "slots_posted": sum(s["slots"] for s in all_shifts),
            "slots_filled": sum(s["filled"] for s in all_shifts),
            "no_shows": sum(1 for a in ended if a["status"] == "no_show"),
            "late_cancellations": sum(1 for a in ended if a["status"] == "cancelled"),
            **sums,
        },
    }
    by_type = Counter(str(i["type"]) for i in items)
    return Month(month, items, dict(sorted(by_type.items())), expected, 0.0, [o["org_id"] for o in orgs])


# ---------------------------------------------------------------- loading


def write_items(table_name: str, items: list[dict[str, Any]], threads: int) -> float:
    """Writes `items` with batch_writer(), `threads` writers at once (each its own boto3
    session: sessions are not thread-safe); returns the seconds it took."""
    chunks = [items[i::threads] for i in range(threads)]

    def write(chunk: list[dict[str, Any]]) -> None:
        target = boto3.session.Session().resource("dynamodb").Table(table_name)
        with target.batch_writer() as batch:
            for item in chunk:
                batch.put_item(Item=item)

    with harness.Stopwatch() as written, ThreadPoolExecutor(threads) as pool:
        list(pool.map(write, chunks))
    return written.seconds


def use_table(refs: dict[str, Any]) -> str:
    """Points the functions at the table, queues and bucket of `refs` (as
    tests/integration/conftest.py does) and checks the call counter sees that table."""
    os.environ.update(resources.function_environment(refs))
    reset()
    harness.check_call_counter()
    return str(refs["Table"])


@contextmanager
def pinned(instant: datetime) -> Iterator[None]:
    clock.pin(instant)
    try:
        yield
    finally:
        clock.pin(None)


# ---------------------------------------------------------------- the shapes check


def _shape(value: Any) -> Any:
    """A value's type ("number" for int and Decimal: DynamoDB gives every number back as a
    Decimal), and for a map the shapes of its fields."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in sorted(value.items())}
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return "number"
    return type(value).__name__


# Fields an item may or may not have, whichever way it was made (the API run sends e-mail and
# phone, leaves a message, sees no reminder sweep; the benchmark rates some work).
OPTIONAL = {
    "email",
    "phone",
    "weekly_hours_limit",
    "message",
    "reminder_sent_at",
    "rating_by_participant",
    "rating_by_employer",
    "rating_sum",
    "rating_count",
    "no_show_count",
    "completed_shifts",
    "hours_total",
    "pay_total",
    "write_id",  # which call wrote the item last (tremplin.data.dynamo): bookkeeping, not data
}


def _compare(kind: str, real: dict[str, Any], ours: dict[str, Any]) -> list[str]:
    """Where the benchmark's item differs in shape from the one the API wrote."""
    a, b = _shape(real), _shape(ours)
    problems = [f"{kind}: {k} only in the API's item" for k in sorted(a.keys() - b.keys() - OPTIONAL)]
    problems += [f"{kind}: {k} only in the benchmark's item" for k in sorted(b.keys() - a.keys() - OPTIONAL)]
    problems += [
        f"{kind}: {k} is {a[k]} in the API's item, {b[k]} in the benchmark's"
        for k in sorted(a.keys() & b.keys())
        if a[k] != b[k]
    ]
    return problems


def check_shapes(refs: dict[str, Any], month: Month) -> dict[str, Any]:
    """One completed application, one no-show and one late cancellation through the real API
    (tests.helpers.Api: gateway, authorizer, handlers) in a scratch table; their stored
    items, and the organisation's, participant's, job's and shift's, must have the fields
    (and field types) of the benchmark's. Raises RuntimeError if they do not."""
    from tests.helpers import Api, job_body, org_body, participant_body, shift_body

    use_table(refs)
    api = Api()
    problems: list[str] = []
    raw = table()

    def ok(answer: Any, status: int = 200) -> dict[str, Any]:
        if answer.status != status:
            raise RuntimeError(f"shape check: the API answered {answer.status}: {answer.body}")
        return dict(answer.body)

    with pinned(datetime(2026, 6, 1, 9, 0, tzinfo=clock.ZURICH)):
        org_id = ok(api.call("POST", "/organisations", token=api.admin(), json_body=org_body()), 201)["org_id"]
        employer = api.employer(org_id)
        people = []
        for n in range(3):
            body = participant_body(email=f"p{n}@example.ch", case_reference=f"SD-2026-{n:04d}")
            pid = ok(api.call("POST", "/participants", token=api.token("caseworker", "cw-01"), json_body=body), 201)[
                "participant_id"
            ]
            token = api.token("participant", f"p{n}", participant_id=pid)
            ok(api.call("POST", "/me/consent", token=token, json_body={"version": CONSENT_VERSION}))
            people.append(token)
        start, end = "2026-06-10T08:00:00+02:00", "2026-06-10T12:00:00+02:00"
        body = job_body(shift_body(start, end, break_minutes=30, slots=3), publish=True)
        job = ok(api.call("POST", "/jobs", token=employer, json_body=body), 201)
        shift_id = job["shifts"][0]["shift_id"]
        apps = [
            ok(api.call("POST", f"/shifts/{shift_id}/applications", token=t, json_body={"message": "Gern!"}), 201)[
                "application_id"
            ]
            for t in people
        ]
    with pinned(datetime(2026, 6, 2, 9, 0, tzinfo=clock.ZURICH)):
        for app_id, token in zip(apps, people, strict=True):
            ok(api.call("POST", f"/applications/{app_id}/accept", token=employer))
            ok(api.call("POST", f"/applications/{app_id}/confirm", token=token))
    with pinned(datetime(2026, 6, 9, 20, 0, tzinfo=clock.ZURICH)):
        cancel = {"reason": "Krank"}
        ok(api.call("POST", f"/applications/{apps[2]}/cancel", token=people[2], json_body=cancel))
    with pinned(datetime(2026, 6, 10, 13, 0, tzinfo=clock.ZURICH)):
        hours = {"started_at": start, "ended_at": end, "break_minutes": 30}
        ok(api.call("POST", f"/applications/{apps[0]}/hours", token=employer, json_body=hours))
        ok(api.call("POST", f"/applications/{apps[0]}/hours/approve", token=people[0]))
        ok(api.call("POST", f"/applications/{apps[1]}/no-show", token=employer))
        ok(api.call("POST", f"/applications/{apps[0]}/rating", token=people[0], json_body={"stars": 5}))
        ok(api.call("POST", f"/applications/{apps[0]}/rating", token=employer, json_body={"stars": 4}))

    def stored(pk: str, sk: str) -> dict[str, Any]:
        item = raw.get_item(Key={"PK": pk, "SK": sk}).get("Item")
        if item is None:
            raise RuntimeError(f"shape check: {pk} / {sk} is not in the table")
        return dict(item)

    def ours(kind: str, **where: Any) -> dict[str, Any]:
        return next(i for i in month.items if i["type"] == kind and all(i.get(k) == v for k, v in where.items()))

    real_apps = [stored(f"APP#{a}", "APP") for a in apps]
    pid0 = real_apps[0]["participant_id"]
    pairs = {
        "organisation": (stored(f"ORG#{org_id}", "ORG"), ours("organisation")),
        "participant": (stored(f"PART#{pid0}", "PROFILE"), ours("participant", status="active")),
        "job": (stored(f"JOB#{job['job_id']}", "JOB"), ours("job")),
        "shift": (stored(f"SHIFT#{shift_id}", "SHIFT"), ours("shift")),
        "completed application": (real_apps[0], ours("application", status="completed")),
        "no-show": (real_apps[1], ours("application", status="no_show")),
        "late cancellation": (real_apps[2], ours("application", status="cancelled")),
    }
    for kind, (real, built) in pairs.items():
        problems += _compare(kind, real, built)
    if problems:
        raise RuntimeError("the benchmark's items no longer have the API's shape:\n  " + "\n  ".join(problems))
    return {"compared": sorted(pairs), "optional_fields": sorted(OPTIONAL), "differences": problems}


# ---------------------------------------------------------------- measuring


class RoundTrips:
    """Seconds DynamoDB requests spend between being sent and their response's body being read
    (botocore's before-send and before-parse events): DynamoDB Local's share of a generation;
    the rest is the process's own (parsing responses, computing, writing files to S3).
    `RoundTrips.install()` once, with `harness.install_call_counter()`."""

    active: RoundTrips | None = None

    def __init__(self) -> None:
        self.seconds = 0.0
        self._sent_at: float | None = None

    @classmethod
    def install(cls) -> None:
        harness.add_client_hook("before-send.dynamodb", cls._on_send, "tremplin-bench-round-trip-send")
        harness.add_client_hook("before-parse.dynamodb", cls._on_parse, "tremplin-bench-round-trip-parse")

    @classmethod
    def _on_send(cls, **_: Any) -> None:
        if cls.active is not None:
            cls.active._sent_at = time.perf_counter()

    @classmethod
    def _on_parse(cls, **_: Any) -> None:
        if cls.active is not None and cls.active._sent_at is not None:
            cls.active.seconds += time.perf_counter() - cls.active._sent_at
            cls.active._sent_at = None

    def __enter__(self) -> RoundTrips:
        RoundTrips.active = self
        return self

    def __exit__(self, *_: object) -> None:
        RoundTrips.active = None


@dataclass
class Subject:
    """One loaded table and what generating June's reports in it measured."""

    label: str
    refs: dict[str, Any]
    months: list[str]
    load: dict[str, Any]
    samples_ms: dict[str, list[float]] = field(default_factory=lambda: {k.value: [] for k in KINDS})
    calls: dict[str, list[dict[str, int]]] = field(default_factory=lambda: {k.value: [] for k in KINDS})
    other_calls: dict[str, list[dict[str, int]]] = field(default_factory=lambda: {k.value: [] for k in KINDS})
    round_trip_ms: dict[str, list[float]] = field(default_factory=lambda: {k.value: [] for k in KINDS})
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)


def generate_once(subject: Subject, kind: ReportType, org_id: str, measure: bool) -> None:
    """Asks for June's report (unmeasured), then generates it as the worker does (measured)."""
    report = reports.enqueue(kind, TARGET_MONTH, org_id if kind is ReportType.EMPLOYER else None, "bench")
    item = report_store.get(report.report_id)
    assert item is not None
    attempt = int(item["attempt"])
    with harness.DynamoCalls() as counted, RoundTrips() as waited, harness.Stopwatch() as took:
        outcome = reports.generate(report.report_id, attempt)
    if outcome != "ready":
        raise RuntimeError(f"{subject.label}: generating {report.report_id} gave {outcome!r}")
    done = report_store.get(report.report_id)
    assert done is not None and done["status"] == "ready"
    subject.summaries[kind.value] = json.loads(done["summary_json"])
    if measure:
        subject.samples_ms[kind.value].append(took.seconds * 1000)
        subject.round_trip_ms[kind.value].append(waited.seconds * 1000)
        subject.calls[kind.value].append(counted.by_operation())
        subject.other_calls[kind.value].append(counted.other_by_operation())


def verify(subject: Subject, expected: dict[str, Any], enrolled: int) -> dict[str, bool]:
    """The summaries against the figures loaded, to the centime; `enrolled`: participants
    enrolled up to June in this table (every month loaded counts)."""
    earnings = subject.summaries[ReportType.EARNINGS.value]
    programme = subject.summaries[ReportType.PROGRAMME.value]
    employer = subject.summaries[ReportType.EMPLOYER.value]
    e, p, o = expected["earnings"], expected["programme"], expected["employer"]
    checks = {
        "earnings_summary_equals_loaded_sums": {k: earnings[k] for k in e} == e,
        "earnings_by_caseworker_add_up": sum(
            (Decimal(c["total"]) for c in earnings["by_caseworker"].values()), Decimal(0)
        )
        == Decimal(e["total"]),
        "employer_summary_equals_loaded": {k: employer[k] for k in o} == o,
        "programme_totals_equal_loaded": all(programme[k] == p[k] for k in ("completed_shifts", "total", "hours"))
        and programme["new_participants"] == p["new_participants"]
        and programme["placed"] == p["placed"]
        and sum(programme["exits_by_outcome"].values()) == p["exits"]
        and sum(programme["jobs_posted_by_kind"].values()) == p["jobs_posted"]
        and sum(programme["slots_posted_by_kind"].values()) == p["slots_posted"]
        and programme["fill_rate"] == "1.0000"
        and programme["no_show_rate"]
        == str((Decimal(p["no_shows"]) / Decimal(p["completed_shifts"] + p["no_shows"])).quantize(Decimal("0.0001"))),
        "programme_enrolled_counts_every_month_loaded": programme["enrolled"] == enrolled,
    }
    bad = [name for name, good in checks.items() if not good]
    if bad:
        raise RuntimeError(f"{subject.label}: the reports do not show what was loaded: {bad}")
    return checks


def _same_or_all(counts: list[dict[str, int]]) -> dict[str, int] | list[dict[str, int]]:
    distinct = sorted({json.dumps(c, sort_keys=True) for c in counts})
    return counts[0] if len(distinct) == 1 else [json.loads(d) for d in distinct]


def summarise(subject: Subject) -> dict[str, Any]:
    kinds = {}
    for kind in KINDS:
        k = kind.value
        kinds[k] = {
            **harness.Timing(subject.samples_ms[k]).summary(),
            "samples_ms": [round(s, 1) for s in subject.samples_ms[k]],
            "dynamodb_round_trip_ms": [round(s, 1) for s in subject.round_trip_ms[k]],
            "dynamodb_round_trip_median_ms": round(statistics.median(subject.round_trip_ms[k]), 1),
            "rest_median_ms": round(
                statistics.median(t - w for t, w in zip(subject.samples_ms[k], subject.round_trip_ms[k], strict=True)),
                1,
            ),
            "dynamodb_calls": _same_or_all(subject.calls[k]),
            "dynamodb_calls_total": sum(subject.calls[k][0].values()),
            "other_aws_calls": _same_or_all(subject.other_calls[k]),
        }
    return {"table": str(subject.refs["Table"]), "months": subject.months, "load": subject.load, "reports": kinds}


# ---------------------------------------------------------------- main


def load_subject(label: str, refs: dict[str, Any], months: list[Month], threads: int) -> dict[str, Any]:
    table_name = use_table(refs)
    items = sum(len(m.items) for m in months)
    print(f"{label}: writing {items} items ({len(months)} months) into {table_name} ...", flush=True)
    seconds = sum(write_items(table_name, m.items, threads) for m in months)
    print(f"  {items} items in {seconds:.1f} s ({items / seconds:.0f} items/s)", flush=True)
    return {
        "months": [m.month for m in months],
        "items_written": items,
        "write_seconds": round(seconds, 1),
        "write_items_per_second": round(items / seconds),
        "writer_threads": threads,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--other-months", type=int, default=11, help="months besides June in the large table (11)")
    parser.add_argument("--repeat", type=int, default=3, help="measured generations per report type and table (3)")
    parser.add_argument("--writers", type=int, default=4, help="threads writing items at once (default 4)")
    parser.add_argument("--seed", type=int, default=20260701)
    parser.add_argument("--results", type=Path, default=harness.RESULTS, help="default bench/results.json")
    args = parser.parse_args(argv)
    if not 0 <= args.other_months <= len(OTHER_MONTHS) or args.repeat < 1:
        parser.error(f"--other-months is 0..{len(OTHER_MONTHS)}, --repeat at least 1")
    others = OTHER_MONTHS[len(OTHER_MONTHS) - args.other_months :]
    rng = random.Random(args.seed)
    harness.quiet_local_servers()
    # The run takes minutes; record() notes the working tree at its end, this at its start.
    tree_at_start = {"git_head": harness._git_head(), "working_tree_changes": harness.working_tree_changes()}

    with harness.Stopwatch() as whole:
        try:
            with LocalEnvironment(data_dir=None, prefix="bench-reports-one", keep_environment=True) as env:
                harness.install_call_counter()
                RoundTrips.install()
                print(f"building {TARGET_MONTH} ...", flush=True)
                use_table(env.refs)
                june = build_month(TARGET_MONTH, rng)
                print(f"  {len(june.items)} items {june.by_type} in {june.build_seconds:.1f} s", flush=True)
                print("checking the items' shapes against the API's ...", flush=True)
                shapes = check_shapes(resources.provision("bench-reports-shape"), june)

                one = Subject("one_month", env.refs, [TARGET_MONTH], {})
                one.load = load_subject("one month", env.refs, [june], args.writers)
                twelve = Subject("twelve_months", resources.provision("bench-reports-twelve"), [], {})
                use_table(twelve.refs)
                built_others: list[Month] = []
                with harness.Stopwatch() as building:
                    for month in others:
                        built_others.append(build_month(month, rng))
                        print(f"  built {month}: {len(built_others[-1].items)} items", flush=True)
                twelve.months = sorted([TARGET_MONTH, *others])
                twelve.load = load_subject(
                    f"{len(twelve.months)} months", twelve.refs, [june, *built_others], args.writers
                )
                twelve.load["build_seconds_other_months"] = round(building.seconds, 1)
                del built_others

                org_id = june.org_ids[EMPLOYER_ORG]
                load_before = harness.load_average()
                with harness.Stopwatch() as measuring, pinned(NOW):
                    # One unmeasured round (DynamoDB Local's JVM compiles its query path), then
                    # the tables take turns: one first, then twelve; the next round the other way.
                    for n in range(args.repeat + 1):
                        for subject in (one, twelve) if n % 2 == 0 else (twelve, one):
                            use_table(subject.refs)
                            for kind in KINDS:
                                generate_once(subject, kind, org_id, measure=n > 0)
                        print(f"  round {n + 1}/{args.repeat + 1} done", flush=True)
                checks_one = verify(one, june.expected, PARTICIPANTS)
                checks_twelve = verify(twelve, june.expected, PARTICIPANTS * len(twelve.months))
        finally:
            clock.pin(None)

    runs = {"one_month": summarise(one), "twelve_months": summarise(twelve)}
    ratios = {
        k.value: round(
            runs["twelve_months"]["reports"][k.value]["median_ms"] / runs["one_month"]["reports"][k.value]["median_ms"],
            3,
        )
        for k in KINDS
    }
    parts = {
        k.value: {
            part: round(
                runs["twelve_months"]["reports"][k.value][part] / runs["one_month"]["reports"][k.value][part], 3
            )
            for part in ("dynamodb_round_trip_median_ms", "rest_median_ms")
        }
        for k in KINDS
    }
    calls_equal = {
        k.value: runs["one_month"]["reports"][k.value]["dynamodb_calls"]
        == runs["twelve_months"]["reports"][k.value]["dynamodb_calls"]
        and isinstance(runs["one_month"]["reports"][k.value]["dynamodb_calls"], dict)
        for k in KINDS
    }
    same_summaries = {
        k.value: {x: v for x, v in one.summaries[k.value].items() if x != "enrolled"}
        == {x: v for x, v in twelve.summaries[k.value].items() if x != "enrolled"}
        for k in KINDS
    }
    meets = all(r <= TARGET_RATIO for r in ratios.values()) and all(calls_equal.values())
    data = {
        "command": "python -m bench.report_scaling"
        + (f" --other-months {args.other_months}" if args.other_months != 11 else ""),
        "what": f"June 2026's earnings, programme and employer reports (tremplin.logic.reports.generate, in "
        "process, files to moto's S3) on DynamoDB Local in memory, in a table holding only June and in a table "
        f"also holding {len(others)} other months of the same size; each month {PARTICIPANTS} participants, "
        f"{ORGS} organisations, {DAYS * ORGS} jobs, {DAYS * ORGS * SHIFTS_PER_JOB} shifts of {SLOTS} slots, "
        f"{PARTICIPANTS * WORK_DAYS} completed shifts, {NO_SHOWS} no-shows (on extra one-slot shifts), "
        f"{LATE_CANCELLATIONS} late cancellations, {EXITS} exits; the tables take turns, round by round",
        "dynamodb_local": harness.dynamodb_local_version(),
        "clock_pinned_at": clock.iso(NOW),
        "seed": args.seed,
        "target_month": TARGET_MONTH,
        "other_months": others,
        "other_months_asked_by_issue": 11,
        "items_per_month_by_type": june.by_type,
        "build_seconds_per_month": june.build_seconds,
        "shape_check": shapes,
        "employer_report_org": org_id,
        "repetitions_per_report": args.repeat,
        "warmup_rounds": 1,
        "load_average_before_measuring": load_before,
        "measuring_seconds": round(measuring.seconds, 1),
        "one_month": runs["one_month"],
        "twelve_months": runs["twelve_months"],
        "median_ms": {
            k.value: {
                "one_month": runs["one_month"]["reports"][k.value]["median_ms"],
                "twelve_months": runs["twelve_months"]["reports"][k.value]["median_ms"],
            }
            for k in KINDS
        },
        "median_ratio_twelve_over_one": ratios,
        "median_ratio_twelve_over_one_by_part": parts,
        "dynamodb_calls": {
            k.value: {
                "one_month": runs["one_month"]["reports"][k.value]["dynamodb_calls"],
                "twelve_months": runs["twelve_months"]["reports"][k.value]["dynamodb_calls"],
            }
            for k in KINDS
        },
        "dynamodb_calls_equal": calls_equal,
        "summaries_equal_but_enrolled": same_summaries,
        "checks_one_month": checks_one,
        "checks_twelve_months": checks_twelve,
        "june_expected": june.expected,
        "targets": {"max_median_ratio": TARGET_RATIO, "dynamodb_calls_equal": True},
        "meets_target": meets,
        "run_seconds": round(whole.seconds, 1),
        "at_start": tree_at_start,
    }
    harness.record(SECTION, data, args.results)

    print()
    print(f"June 2026's reports: 1 month vs {len(twelve.months)} months in the table ({args.repeat} runs each)")
    for k in KINDS:
        a, b = runs["one_month"]["reports"][k.value], runs["twelve_months"]["reports"][k.value]
        print(
            f"  {k.value:10} median {a['median_ms']:8.1f} -> {b['median_ms']:8.1f} ms (x{ratios[k.value]:.2f})  "
            f"calls {a['dynamodb_calls']}{'' if calls_equal[k.value] else ' vs ' + str(b['dynamodb_calls'])}"
        )
        print(
            f"  {'':10} DynamoDB round trips {a['dynamodb_round_trip_median_ms']:8.1f} -> "
            f"{b['dynamodb_round_trip_median_ms']:8.1f} ms (x{parts[k.value]['dynamodb_round_trip_median_ms']:.2f}), "
            f"the rest {a['rest_median_ms']:8.1f} -> {b['rest_median_ms']:8.1f} ms "
            f"(x{parts[k.value]['rest_median_ms']:.2f})"
        )
    print(
        f"  load: {one.load['items_written']} items in {one.load['write_seconds']} s; "
        f"{twelve.load['items_written']} items in {twelve.load['write_seconds']} s"
    )
    print(
        f"  target ratio <= {TARGET_RATIO} with equal calls: {'met' if meets else 'MISSED'}; "
        f"whole run {whole.seconds:.0f} s"
    )
    print(f"  recorded in {args.results} under {SECTION!r}")
    return 0 if meets else 1


if __name__ == "__main__":
    sys.exit(main())
