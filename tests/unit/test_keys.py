"""tremplin.data.keys: the table's key formats. Stored items keep the keys they were written
with, so the formats are pinned here literally; and every prefix or range a query asks for
must find exactly what the writes put there."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tremplin.data import keys
from tremplin.data.keys import GSI1, GSI2, GSI3, GSI4

# Ids as tremplin.ids makes them (prefix, underscore, hex), and then some: no dot, no '#'.
ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=30)
instants = st.sampled_from(["2026-11-30T23:59:59+00:00", "2026-12-01T00:00:00+00:00", "2027-01-01T08:00:00+01:00"])
months = st.sampled_from(["2026-09", "2026-11", "2026-12", "2027-01"])


# ---------------------------------------------------------------- the stored formats


@pytest.mark.parametrize(
    ("made", "stored"),
    [
        (keys.org("o1"), {"PK": "ORG#o1", "SK": "ORG"}),
        (keys.secret("o1"), {"PK": "ORG#o1", "SK": "SECRET"}),
        (keys.webhook("o1"), {"PK": "ORG#o1", "SK": "WEBHOOK"}),
        (keys.receipt("o1", "msg_1"), {"PK": "ORG#o1", "SK": "RECEIPT#msg_1"}),
        (keys.processed("o1", "msg_1"), {"PK": "ORG#o1", "SK": "PROCESSED#msg_1"}),
        (
            keys.delivery("o1", "2026-12-01T08:00:00+00:00", "d1"),
            {"PK": "ORG#o1", "SK": "DELIVERY#2026-12-01T08:00:00+00:00#d1"},
        ),
        (keys.job("j1"), {"PK": "JOB#j1", "SK": "JOB"}),
        (keys.shift("s1"), {"PK": "SHIFT#s1", "SK": "SHIFT"}),
        (keys.extref("o1", "ref-9"), {"PK": "EXTREF#o1#ref-9", "SK": "EXTREF"}),
        (keys.application("app.s1.p1"), {"PK": "APP#app.s1.p1", "SK": "APP"}),
        (keys.profile("p1"), {"PK": "PART#p1", "SK": "PROFILE"}),
        (keys.schedule("p1"), {"PK": "PART#p1", "SK": "SCHEDULE"}),
        (keys.exit_record("p1"), {"PK": "PART#p1", "SK": "EXIT"}),
        (
            keys.audit("p1", "2026-12-01T08:00:00+00:00", 42, "ab12"),
            {"PK": "PART#p1", "SK": "AUDIT#2026-12-01T08:00:00+00:00#00000000000000000042ab12"},
        ),
        (
            keys.suggestion("p1", "2026-12-01T08:00:00+00:00", "sg1"),
            {"PK": "PART#p1", "SK": "SUGGESTION#2026-12-01T08:00:00+00:00#sg1"},
        ),
        (keys.email("a@example.ch"), {"PK": "EMAIL#a@example.ch", "SK": "EMAIL"}),
        (keys.enrolment_shard("2026-11", 3), {"PK": "STATS", "SK": "ENROLLED#2026-11#3"}),
        (keys.report("rpt.earnings.2026-11"), {"PK": "REPORT#rpt.earnings.2026-11", "SK": "REPORT"}),
        (
            keys.note("org#o1", "2026-12-01T08:00:00+00:00", "000042", "n1"),
            {"PK": "INBOX#org#o1", "SK": "NOTE#2026-12-01T08:00:00+00:00#000042#n1"},
        ),
        (
            keys.note("org#o1", "2026-12-01T08:00:00+00:00", None, "n1"),
            {"PK": "INBOX#org#o1", "SK": "NOTE#2026-12-01T08:00:00+00:00#n1"},
        ),
        (keys.org_index("o1"), {"GSI1PK": "ORGS", "GSI1SK": "o1"}),
        (
            keys.job_index("o1", "2026-12-01T08:00:00+00:00", "j1"),
            {"GSI1PK": "ORG#o1#JOBS", "GSI1SK": "2026-12-01T08:00:00+00:00#j1", "GSI3PK": "JOBS", "GSI3SK": "j1"},
        ),
        (keys.published_index("2026-12", "j1"), {"GSI2PK": "PUBLISHED#2026-12", "GSI2SK": "j1"}),
        (
            keys.browse_index("2026-12-01T08:00:00+00:00", "s1"),
            {"GSI2PK": "OPEN", "GSI2SK": "2026-12-01T08:00:00+00:00#s1"},
        ),
        (keys.shift_month_index("2026-12", "o1", "s1"), {"GSI3PK": "SHIFTS#2026-12", "GSI3SK": "o1#s1"}),
        (
            keys.application_index("s1", "2026-11-25T08:00:00+00:00", "p1", "2026-12-01T08:00:00+00:00", "app.s1.p1"),
            {
                "GSI1PK": "SHIFT#s1#APPS",
                "GSI1SK": "2026-11-25T08:00:00+00:00#app.s1.p1",
                "GSI3PK": "PARTAPP#p1",
                "GSI3SK": "2026-12-01T08:00:00+00:00#app.s1.p1",
            },
        ),
        (
            keys.due_index("offer", "2026-12-01T08:00:00+00:00", "app.s1.p1"),
            {"GSI4PK": "DUE#offer", "GSI4SK": "2026-12-01T08:00:00+00:00#app.s1.p1"},
        ),
        (keys.outcome_index("2026-12", "o1", "app.s1.p1"), {"GSI4PK": "OUTCOME#2026-12", "GSI4SK": "o1#app.s1.p1"}),
        (
            keys.participant_index("cw-1", "active", "p1", "2026-11"),
            {
                "GSI1PK": "CW#cw-1",
                "GSI1SK": "active#p1",
                "GSI4PK": "PARTICIPANTS",
                "GSI4SK": "active#p1",
                "GSI3PK": "ENROLLED#2026-11",
                "GSI3SK": "p1",
            },
        ),
        (keys.exit_index("2026-12", "p1"), {"GSI3PK": "EXITED#2026-12", "GSI3SK": "p1"}),
        (
            keys.about_index("p1", "2026-12-01T08:00:00+00:00", "000042", "n1"),
            {"GSI3PK": "ABOUT#p1", "GSI3SK": "2026-12-01T08:00:00+00:00#000042#n1"},
        ),
        (
            keys.report_index("REPORTS#employer#o1", "2026-12-01T03:00:00+00:00", "r1"),
            {
                "GSI1PK": "REPORTS#employer#o1",
                "GSI1SK": "2026-12-01T03:00:00+00:00#r1",
                "GSI3PK": "REPORTS",
                "GSI3SK": "2026-12-01T03:00:00+00:00#r1",
            },
        ),
    ],
)
def test_every_key_is_made_as_the_stored_items_have_it(made: dict[str, str], stored: dict[str, str]) -> None:
    assert made == stored


def test_the_report_listings_are_one_per_type_and_organisation() -> None:
    assert keys.reports("earnings") == "REPORTS#earnings"
    assert keys.reports("employer", "o1") == "REPORTS#employer#o1"
    assert keys.ALL_REPORTS == "REPORTS"


# ---------------------------------------------------------------- application ids


@given(ids, ids)
def test_an_application_id_names_its_participant(shift_id: str, participant_id: str) -> None:
    app_id = keys.application_id(shift_id, participant_id)
    assert app_id == f"app.{shift_id}.{participant_id}"
    assert keys.participant_of(app_id) == participant_id


@pytest.mark.parametrize("not_an_application", ["", "app", "app.s1", "app.s1.p1.x", "job.s1.p1", "apps.s1.p1"])
def test_what_is_not_an_application_id_names_no_participant(not_an_application: str) -> None:
    assert keys.participant_of(not_an_application) is None


# ---------------------------------------------------------------- what the writes put, the queries find


@given(ids, instants, ids, instants, ids)
def test_an_application_is_listed_where_the_shift_and_the_participant_look(
    shift_id: str, created_at: str, participant_id: str, starts_at: str, app_id: str
) -> None:
    indexed = keys.application_index(shift_id, created_at, participant_id, starts_at, app_id)
    assert indexed[GSI1.pk] == keys.shift_applicants(shift_id)
    assert indexed[GSI3.pk] == keys.participant_applications(participant_id)


@given(ids, instants, ids)
def test_a_job_is_listed_for_its_organisation_and_for_admins(org_id: str, created_at: str, job_id: str) -> None:
    indexed = keys.job_index(org_id, created_at, job_id)
    assert indexed[GSI1.pk] == keys.org_jobs(org_id)
    assert indexed[GSI3.pk] == keys.ALL_JOBS


@given(st.sampled_from(["offer", "hours", "reminder", "delivery"]), instants, ids, instants)
def test_what_is_due_is_found_by_the_sweep_exactly_when_it_is_due(
    kind: str, due_at: str, item_id: str, now: str
) -> None:
    indexed = keys.due_index(kind, due_at, item_id)
    assert indexed[GSI4.pk] == keys.due(kind)
    assert (indexed[GSI4.sk] <= keys.up_to(now)) == (due_at <= now)
    assert keys.due_item_id(indexed[GSI4.sk]) == item_id


@given(instants, ids, instants, instants)
def test_an_open_shift_is_browsed_within_its_window(starts_at: str, shift_id: str, after: str, until: str) -> None:
    indexed = keys.browse_index(starts_at, shift_id)
    assert indexed[GSI2.pk] == keys.BROWSE
    inside = after < indexed[GSI2.sk] <= keys.up_to(until)  # jobs.browse's key condition
    assert inside == (after <= starts_at <= until)


@given(months, ids, ids)
def test_a_months_figures_are_found_per_organisation(month: str, org_id: str, item_id: str) -> None:
    shift = keys.shift_month_index(month, org_id, item_id)
    outcome = keys.outcome_index(month, org_id, item_id)
    assert (shift[GSI3.pk], outcome[GSI4.pk]) == (keys.shifts_in(month), keys.outcomes(month))
    for sort in (shift[GSI3.sk], outcome[GSI4.sk]):
        assert sort.startswith(keys.org_prefix(org_id))
        assert keys.org_in(sort) == org_id
        assert sort < keys.past_org(org_id)


@given(ids, ids, ids)
def test_past_an_organisation_comes_every_later_organisation_and_none_of_its_own(
    org_id: str, other: str, item_id: str
) -> None:
    sort = keys.org_sort(other, item_id)
    assert (sort > keys.past_org(org_id)) == (other > org_id)


@given(ids, st.sampled_from(["enrolled", "active", "exited", "erased"]), ids, months)
def test_a_participant_is_found_in_the_caseload_the_admin_list_and_the_month(
    caseworker_id: str, status: str, participant_id: str, month: str
) -> None:
    indexed = keys.participant_index(caseworker_id, status, participant_id, month)
    assert indexed[GSI1.pk] == keys.caseworker(caseworker_id)
    assert indexed[GSI4.pk] == keys.ALL_PARTICIPANTS
    assert indexed[GSI3.pk] == keys.enrolled(month)
    for sort in (indexed[GSI1.sk], indexed[GSI4.sk]):
        assert sort.startswith(keys.status_prefix(status))
        assert not sort.startswith(keys.status_prefix(status + "x"))


@given(months, st.integers(min_value=0, max_value=99), months)
def test_the_enrolment_counters_up_to_a_month_are_its_and_the_earlier_months(
    month: str, shard: int, up_to: str
) -> None:
    low, high = keys.enrolment_counters_up_to(up_to)
    sharded = keys.enrolment_shard(month, shard)
    older = {"PK": keys.STATS, "SK": keys.enrolled(month)}  # an unsharded counter of older enrolments
    for counter in (sharded, older):
        assert counter["PK"] == keys.STATS
        assert (low <= counter["SK"] <= high) == (month <= up_to)


@given(
    ids, instants, ids, st.integers(min_value=0, max_value=2**63), st.text("0123456789abcdef", min_size=4, max_size=4)
)
def test_a_participants_partition_keeps_its_kinds_of_items_apart(
    participant_id: str, at: str, item_id: str, written_ns: int, salt: str
) -> None:
    partition = keys.participant_partition(participant_id)
    audit = keys.audit(participant_id, at, written_ns, salt)
    suggestion = keys.suggestion(participant_id, at, item_id)
    own = [
        keys.profile(participant_id),
        keys.schedule(participant_id),
        keys.exit_record(participant_id),
        audit,
        suggestion,
    ]
    assert {k["PK"] for k in own} == {partition}
    assert [k["SK"].startswith(keys.AUDIT) for k in own] == [False, False, False, True, False]
    assert [k["SK"].startswith(keys.SUGGESTION) for k in own] == [False, False, False, False, True]


@given(ids, ids, instants, ids)
def test_an_organisations_partition_keeps_its_kinds_of_items_apart(
    org_id: str, webhook_id: str, created_at: str, delivery_id: str
) -> None:
    own = [
        keys.org(org_id),
        keys.secret(org_id),
        keys.webhook(org_id),
        keys.receipt(org_id, webhook_id),
        keys.processed(org_id, webhook_id),
        keys.delivery(org_id, created_at, delivery_id),
    ]
    assert {k["PK"] for k in own} == {keys.org_partition(org_id)}
    prefixes = [keys.RECEIPT, keys.PROCESSED, keys.DELIVERY]
    assert [[k["SK"].startswith(p) for p in prefixes] for k in own] == [
        [False, False, False],
        [False, False, False],
        [False, False, False],
        [True, False, False],
        [False, True, False],
        [False, False, True],
    ]


@given(st.sampled_from(["participant#p1", "org#o1", "caseworker#cw-1"]), instants, st.none() | ids, ids, ids)
def test_a_note_is_in_its_inbox_and_on_the_timeline_of_whom_it_is_about(
    recipient: str, created_at: str, order: str | None, notification_id: str, participant_id: str
) -> None:
    note = keys.note(recipient, created_at, order, notification_id)
    about = keys.about_index(participant_id, created_at, order, notification_id)
    assert note["PK"] == keys.inbox(recipient)
    assert note["SK"] == keys.NOTE + about[GSI3.sk]
    assert about[GSI3.pk] == keys.about(participant_id)


@given(st.sampled_from(["earnings", "programme", "employer"]), st.none() | ids, instants, ids)
def test_a_report_is_listed_in_its_listing_and_among_all(
    report_type: str, org_id: str | None, at: str, report_id: str
) -> None:
    listing = keys.reports(report_type, org_id)
    indexed = keys.report_index(listing, at, report_id)
    assert (indexed[GSI1.pk], indexed[GSI3.pk]) == (listing, keys.ALL_REPORTS)


def test_the_indexes_are_the_tables() -> None:
    from local import template

    table = template.resources("AWS::DynamoDB::Table")["Table"]
    declared = {
        i["IndexName"]: [k["AttributeName"] for k in i["KeySchema"]]
        for i in table["Properties"]["GlobalSecondaryIndexes"]
    }
    assert declared == {i.name: [i.pk, i.sk] for i in keys.INDEXES}
