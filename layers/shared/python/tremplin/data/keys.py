"""Every key of the single table, and of its indexes, in one place: the writes and the queries
call the same functions, so an item is always found where it was put.

    ORG#<org> / ORG, SECRET, WEBHOOK, RECEIPT#<webhook-id>, PROCESSED#<webhook-id>, DELIVERY#<created>#<id>,
               WORKED#<p> (the organisation worked with the participant; a favourite or not)
    JOB#<job> / JOB    SHIFT#<shift> / SHIFT    APP#app.<shift>.<participant> / APP    REPORT#<id> / REPORT
    PART#<p> / PROFILE, SCHEDULE, EXIT, AUDIT#<at>#<n>, SUGGESTION#<at>#<id>,
               FAVOURED (the organisations that made them a favourite),
               PAYLINE#<application> (completed work not yet on a payslip), PAYSLIP#<run month>[.<n>],
               PAPER#<code> (a paper issued to them: a work confirmation)
    VERIFY#<code> / VERIFY (what the public verification of an issued paper answers)
    EMAIL#<address> / EMAIL    EXTREF#<org>#<ref> / EXTREF    STATS / ENROLLED#<month>#<shard>
    PAYSCHEME / PAYSCHEME (every version of the pay scheme, one item)
    INBOX#<recipient> / NOTE#<at>[#<order>]#<id>
    SMS#<month> / SMS (SMS sent in a month, UTC: the cap's count)

GSI1 (keys only): ORGS, ORG#<org>#JOBS, SHIFT#<shift>#APPS, CW#<caseworker>, REPORTS#<type>[#<org>],
                  FAVS#<org>
GSI2 (all):       OPEN (browsing), PUBLISHED#<month>
GSI3 (keys only): JOBS, SHIFTS#<month>, PARTAPP#<p>, ENROLLED#<month>, EXITED#<month>, ABOUT#<p>, REPORTS,
                  PAYSLIPS#<payout month>
GSI4 (keys only): DUE#<kind>, OUTCOME#<month>, PARTICIPANTS
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# ---------------------------------------------------------------- indexes


@dataclass(frozen=True)
class Index:
    """A global secondary index: its name and the names of its key attributes."""

    name: str

    @property
    def pk(self) -> str:
        return f"{self.name}PK"

    @property
    def sk(self) -> str:
        return f"{self.name}SK"

    def keys(self, partition: str, sort: str) -> dict[str, str]:
        return {self.pk: partition, self.sk: sort}


GSI1 = Index("GSI1")
GSI2 = Index("GSI2")
GSI3 = Index("GSI3")
GSI4 = Index("GSI4")
INDEXES = (GSI1, GSI2, GSI3, GSI4)

# Fixed partitions of the indexes (and of the enrolment counters).
ALL_ORGS = "ORGS"
ALL_JOBS = "JOBS"
BROWSE = "OPEN"
ALL_PARTICIPANTS = "PARTICIPANTS"
ALL_REPORTS = "REPORTS"
STATS = "STATS"

# Sort-key prefixes that a query asks for with begins_with or a range.
RECEIPT = "RECEIPT#"
PROCESSED = "PROCESSED#"
DELIVERY = "DELIVERY#"
AUDIT = "AUDIT#"
SUGGESTION = "SUGGESTION#"
NOTE = "NOTE#"
ENROLLED = "ENROLLED#"
PAYSLIP = "PAYSLIP#"
PAPER = "PAPER#"

# Sorts after every printable ASCII character, so up_to() bounds keys made of them (timestamps,
# months, ids).
_LAST = "~"


def _then(first: str, second: str) -> str:
    """A composite sort key: ordered by `first`, then `second`."""
    return f"{first}#{second}"


def up_to(prefix: str) -> str:
    """The highest sort key that starts with `prefix` (an inclusive upper bound)."""
    return prefix + _LAST


# ---------------------------------------------------------------- application ids


def application_id(shift_id: str, participant_id: str) -> str:
    """One application per participant and shift: the id is the pair."""
    return f"app.{shift_id}.{participant_id}"


def participant_of(application_id: str) -> str | None:
    """The participant an application id names; None if it is not one."""
    parts = application_id.split(".")
    return parts[2] if len(parts) == 3 and parts[0] == "app" else None


def payslip_id(run_month: str, participant_id: str, part: int = 1) -> str:
    """One payslip per participant and payroll run (a second part only past a transaction's
    size): the id is the pair, so two runs of one month write the same payslip."""
    return f"ps.{run_month}.{participant_id}" + (f".{part}" if part > 1 else "")


def _payslip_parts(payslip: str) -> tuple[str, str] | None:
    """(participant, <run month>[.<n>]) of a payslip id; None if it is not one."""
    parts = payslip.split(".")
    if len(parts) in (3, 4) and parts[0] == "ps" and parts[2]:
        return parts[2], ".".join([parts[1], *parts[3:]])
    return None


# ---------------------------------------------------------------- partitions


def org_partition(org_id: str) -> str:
    return f"ORG#{org_id}"


def participant_partition(participant_id: str) -> str:
    return f"PART#{participant_id}"


def inbox(recipient: str) -> str:
    return f"INBOX#{recipient}"


def org_jobs(org_id: str) -> str:
    return f"ORG#{org_id}#JOBS"


def shift_applicants(shift_id: str) -> str:
    return f"SHIFT#{shift_id}#APPS"


def participant_applications(participant_id: str) -> str:
    return f"PARTAPP#{participant_id}"


def caseworker(caseworker_id: str) -> str:
    return f"CW#{caseworker_id}"


def about(participant_id: str) -> str:
    return f"ABOUT#{participant_id}"


def due(kind: str) -> str:
    return f"DUE#{kind}"


def outcomes(month: str) -> str:
    return f"OUTCOME#{month}"


def enrolled(month: str) -> str:
    return f"ENROLLED#{month}"


def exited(month: str) -> str:
    return f"EXITED#{month}"


def published(month: str) -> str:
    return f"PUBLISHED#{month}"


def shifts_in(month: str) -> str:
    return f"SHIFTS#{month}"


def reports(report_type: str, org_id: str | None = None) -> str:
    """The listing of one report type (and organisation)."""
    return f"REPORTS#{report_type}" + (f"#{org_id}" if org_id else "")


# ---------------------------------------------------------------- items


def primary(item: dict[str, Any]) -> dict[str, str]:
    """The primary key of an item as stored (or of an index entry, which carries it)."""
    return {"PK": str(item["PK"]), "SK": str(item["SK"])}


def org(org_id: str) -> dict[str, str]:
    return {"PK": org_partition(org_id), "SK": "ORG"}


def secret(org_id: str) -> dict[str, str]:
    return {"PK": org_partition(org_id), "SK": "SECRET"}


def webhook(org_id: str) -> dict[str, str]:
    return {"PK": org_partition(org_id), "SK": "WEBHOOK"}


def receipt(org_id: str, webhook_id: str) -> dict[str, str]:
    return {"PK": org_partition(org_id), "SK": RECEIPT + webhook_id}


def processed(org_id: str, webhook_id: str) -> dict[str, str]:
    return {"PK": org_partition(org_id), "SK": PROCESSED + webhook_id}


def delivery(org_id: str, created_at: str, delivery_id: str) -> dict[str, str]:
    return {"PK": org_partition(org_id), "SK": DELIVERY + _then(created_at, delivery_id)}


def job(job_id: str) -> dict[str, str]:
    return {"PK": f"JOB#{job_id}", "SK": "JOB"}


def shift(shift_id: str) -> dict[str, str]:
    return {"PK": f"SHIFT#{shift_id}", "SK": "SHIFT"}


def extref(org_id: str, ref: str) -> dict[str, str]:
    """Makes a partner's external_ref name one job per organisation."""
    return {"PK": f"EXTREF#{org_id}#{ref}", "SK": "EXTREF"}


def application(application_id: str) -> dict[str, str]:
    return {"PK": f"APP#{application_id}", "SK": "APP"}


def profile(participant_id: str) -> dict[str, str]:
    return {"PK": participant_partition(participant_id), "SK": "PROFILE"}


def schedule(participant_id: str) -> dict[str, str]:
    return {"PK": participant_partition(participant_id), "SK": "SCHEDULE"}


def exit_record(participant_id: str) -> dict[str, str]:
    return {"PK": participant_partition(participant_id), "SK": "EXIT"}


def audit(participant_id: str, at: str, written_ns: int, salt: str) -> dict[str, str]:
    """One audit entry: the time it was written (nanoseconds) and a salt keep entries of one
    second (or one pinned clock) apart, in the order written."""
    return {"PK": participant_partition(participant_id), "SK": AUDIT + _then(at, f"{written_ns:020d}{salt}")}


def suggestion(participant_id: str, created_at: str, suggestion_id: str) -> dict[str, str]:
    return {"PK": participant_partition(participant_id), "SK": SUGGESTION + _then(created_at, suggestion_id)}


def email(address: str) -> dict[str, str]:
    """Makes an e-mail address enrol at most one participant."""
    return {"PK": f"EMAIL#{address}", "SK": "EMAIL"}


def enrolment_shard(month: str, shard: int) -> dict[str, str]:
    """One of the items the month's enrolment count is spread over."""
    return {"PK": STATS, "SK": _then(enrolled(month), str(shard))}


def enrolment_counters_up_to(month: str) -> tuple[str, str]:
    """The sort-key range (inclusive) of every enrolment counter up to and including `month`: the
    months' shards (ENROLLED#<month>#<n>) and the unsharded counters of older enrolments
    (ENROLLED#<month>, which sorts just before its month's shards)."""
    return ENROLLED, up_to(_then(enrolled(month), ""))


def pay_line(participant_id: str, application_id: str) -> dict[str, str]:
    """Completed work (or a late cancellation's compensation) waiting for the next payroll run."""
    return {"PK": participant_partition(participant_id), "SK": f"PAYLINE#{application_id}"}


def payslip(payslip: str) -> dict[str, str] | None:
    """The key of a payslip by its id (None: the id names none)."""
    parts = _payslip_parts(payslip)
    if parts is None:
        return None
    participant_id, run = parts
    return {"PK": participant_partition(participant_id), "SK": PAYSLIP + run}


def payslips_paid(month: str) -> str:
    return f"PAYSLIPS#{month}"


def payslip_index(payout_month: str, participant_id: str, payslip: str) -> dict[str, str]:
    """A payslip by the month it is paid in: the assistance statement reads its month from here."""
    return GSI3.keys(payslips_paid(payout_month), _then(participant_id, payslip))


# Papers for the next step (work confirmations and their verification codes).


def verification(code: str) -> dict[str, str]:
    """An issued paper by its verification code: what GET /verify/{code} reads."""
    return {"PK": f"VERIFY#{code}", "SK": "VERIFY"}


def paper(participant_id: str, code: str) -> dict[str, str]:
    """A paper issued to a participant: how an erasure finds their verification codes."""
    return {"PK": participant_partition(participant_id), "SK": PAPER + code}


# ---------------------------------------------------------------- favourites


def worked_with(org_id: str, participant_id: str) -> dict[str, str]:
    """Written when a completed application joins them: only such participants become favourites."""
    return {"PK": org_partition(org_id), "SK": f"WORKED#{participant_id}"}


def favoured(participant_id: str) -> dict[str, str]:
    """The organisations that made the participant a favourite, as one set: browsing reads it
    with one GetItem per page."""
    return {"PK": participant_partition(participant_id), "SK": "FAVOURED"}


def favourites_of(org_id: str) -> str:
    return f"FAVS#{org_id}"


def favourite_index(org_id: str, favourited_at: str, participant_id: str) -> dict[str, str]:
    """An organisation's favourites, newest first (GSI1)."""
    return GSI1.keys(favourites_of(org_id), _then(favourited_at, participant_id))


def pay_scheme() -> dict[str, str]:
    """The one item holding every version of the pay scheme and its revision counter."""
    return {"PK": "PAYSCHEME", "SK": "PAYSCHEME"}


def report(report_id: str) -> dict[str, str]:
    return {"PK": f"REPORT#{report_id}", "SK": "REPORT"}


def report_audit(report_id: str, at: str, written_ns: int, salt: str) -> dict[str, str]:
    """Who was handed links to the report's files, beside the report (ordered as `audit`)."""
    return {"PK": f"REPORT#{report_id}", "SK": AUDIT + _then(at, f"{written_ns:020d}{salt}")}


def note_sort(created_at: str, order: str | None, notification_id: str) -> str:
    """Newest first by the change's time, then its place in the stream (changes of one second)."""
    return _then(created_at, _then(order, notification_id) if order else notification_id)


def note(recipient: str, created_at: str, order: str | None, notification_id: str) -> dict[str, str]:
    return {"PK": inbox(recipient), "SK": NOTE + note_sort(created_at, order, notification_id)}


# ---------------------------------------------------------------- index keys


def org_index(org_id: str) -> dict[str, str]:
    return GSI1.keys(ALL_ORGS, org_id)


def job_index(org_id: str, created_at: str, job_id: str) -> dict[str, str]:
    """An employer's jobs, newest first (GSI1), and all jobs (GSI3)."""
    return GSI1.keys(org_jobs(org_id), _then(created_at, job_id)) | GSI3.keys(ALL_JOBS, job_id)


def published_index(month: str, job_id: str) -> dict[str, str]:
    """Jobs by the month they were published (the programme report)."""
    return GSI2.keys(published(month), job_id)


def browse_index(starts_at: str, shift_id: str) -> dict[str, str]:
    """A shift that takes applications, by start time."""
    return GSI2.keys(BROWSE, _then(starts_at, shift_id))


def shift_month_index(month: str, org_id: str, shift_id: str) -> dict[str, str]:
    """Shifts by the month they start in, per organisation (the reports)."""
    return GSI3.keys(shifts_in(month), org_sort(org_id, shift_id))


def application_index(
    shift_id: str, created_at: str, participant_id: str, starts_at: str, application_id: str
) -> dict[str, str]:
    """The shift's applicants by arrival (GSI1) and the participant's own applications by start (GSI3)."""
    return GSI1.keys(shift_applicants(shift_id), _then(created_at, application_id)) | GSI3.keys(
        participant_applications(participant_id), _then(starts_at, application_id)
    )


def due_index(kind: str, due_at: str, item_id: str) -> dict[str, str]:
    """While something is due: offer (expiry), hours (auto-approval), reminder, delivery (retry)."""
    return GSI4.keys(due(kind), _then(due_at, item_id))


def due_item_id(sort: str) -> str:
    """The id in a due index sort key (<due at>#<id>)."""
    return sort.partition("#")[2]


def outcome_index(month: str, org_id: str, application_id: str) -> dict[str, str]:
    """An ended application by the month of its work, on the due index's keys (replacing what was due)."""
    return GSI4.keys(outcomes(month), org_sort(org_id, application_id))


def participant_index(caseworker_id: str, status: str, participant_id: str, enrolled_month: str) -> dict[str, str]:
    """A caseworker's caseload (GSI1), all participants (GSI4), both by status; enrolments by month (GSI3)."""
    by_status = status_sort(status, participant_id)
    return (
        GSI1.keys(caseworker(caseworker_id), by_status)
        | GSI4.keys(ALL_PARTICIPANTS, by_status)
        | GSI3.keys(enrolled(enrolled_month), participant_id)
    )


def exit_index(month: str, participant_id: str) -> dict[str, str]:
    return GSI3.keys(exited(month), participant_id)


def about_index(participant_id: str, created_at: str, order: str | None, notification_id: str) -> dict[str, str]:
    """A note about a participant in someone else's inbox (their activity timeline)."""
    return GSI3.keys(about(participant_id), note_sort(created_at, order, notification_id))


def report_index(listing: str, requested_at: str, report_id: str) -> dict[str, str]:
    """A report in its listing (GSI1) and among all reports (GSI3), newest first."""
    sort = _then(requested_at, report_id)
    return GSI1.keys(listing, sort) | GSI3.keys(ALL_REPORTS, sort)


# ---------------------------------------------------------------- composite sort keys


def status_sort(status: str, item_id: str) -> str:
    return _then(status, item_id)


def status_prefix(status: str) -> str:
    """The sort-key prefix of the items in one status (status_sort)."""
    return _then(status, "")


def org_sort(org_id: str, item_id: str) -> str:
    return _then(org_id, item_id)


def org_prefix(org_id: str) -> str:
    """The sort-key prefix of one organisation's items (org_sort)."""
    return _then(org_id, "")


def org_in(sort: str) -> str:
    """The organisation of an org_sort key."""
    return sort.partition("#")[0]


def past_org(org_id: str) -> str:
    """Sorts after every org_sort key of `org_id` and before the next organisation's ('$' follows '#')."""
    return f"{org_id}$"


# ---------------------------------------------------------------- offers of regular employment
#   ROFFER#<offer> / ROFFER (the offer), HIRED (its acceptance)    PART#<p> / HIRE#<org> (one open offer per org)
#   GSI1 ORG#<org>#ROFFERS, GSI2 ROFFERS#<month made>, GSI3 PARTROFFERS#<p> and HIRED#<month accepted>,
#   GSI4 ROFFERS (every offer, for admins)

ALL_REGULAR_OFFERS = "ROFFERS"


def regular_offer(offer_id: str) -> dict[str, str]:
    return {"PK": f"ROFFER#{offer_id}", "SK": "ROFFER"}


def regular_hire(offer_id: str) -> dict[str, str]:
    """An accepted offer's record, by the month it was accepted in (the programme report)."""
    return {"PK": f"ROFFER#{offer_id}", "SK": "HIRED"}


def open_offer_lock(participant_id: str, org_id: str) -> dict[str, str]:
    """Names the one open offer an organisation may hold for a participant."""
    return {"PK": participant_partition(participant_id), "SK": f"HIRE#{org_id}"}


def org_regular_offers(org_id: str) -> str:
    return f"ORG#{org_id}#ROFFERS"


def participant_regular_offers(participant_id: str) -> str:
    return f"PARTROFFERS#{participant_id}"


def regular_offers_made(month: str) -> str:
    return f"ROFFERS#{month}"


def regular_hires(month: str) -> str:
    return f"HIRED#{month}"


def regular_offer_index(org_id: str, participant_id: str, month: str, created_at: str, offer_id: str) -> dict[str, str]:
    """An offer in its organisation's (GSI1), its participant's (GSI3) and every offer's (GSI4)
    listing, newest first, and among the offers made in its month (GSI2, the programme report)."""
    sort = _then(created_at, offer_id)
    return (
        GSI1.keys(org_regular_offers(org_id), sort)
        | GSI2.keys(regular_offers_made(month), org_sort(org_id, offer_id))
        | GSI3.keys(participant_regular_offers(participant_id), sort)
        | GSI4.keys(ALL_REGULAR_OFFERS, sort)
    )


def regular_hire_index(month: str, org_id: str, offer_id: str) -> dict[str, str]:
    return GSI3.keys(regular_hires(month), org_sort(org_id, offer_id))


# ---------------------------------------------------------------- SMS (issue 20)


def sms_month(month: str) -> dict[str, str]:
    """The count of SMS sent in a month (YYYY-MM, UTC)."""
    return {"PK": f"SMS#{month}", "SK": "SMS"}


# ---------------------------------------------------------------- calendar feed (issue 20)
#   PART#<p> / CALENDAR (the feed: its secret's hash)    PART#<p> / CALSHIFT#<application> (an event)
# Both sort under "CAL", so the feed reads its secret and its events with one Query.

CALENDAR = "CAL"


def calendar_feed(participant_id: str) -> dict[str, str]:
    return {"PK": participant_partition(participant_id), "SK": "CALENDAR"}


def calendar_shift(participant_id: str, application_id: str) -> dict[str, str]:
    """A shift as the participant's calendar shows it (kept by the stream consumer)."""
    return {"PK": participant_partition(participant_id), "SK": f"CALSHIFT#{application_id}"}
