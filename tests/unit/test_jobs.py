"""Jobs and shifts: posting rules, browsing and who sees what."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from tests.helpers import Api, all_items, create_org, drain, job_body, shift_body

NOW = "2026-11-25T09:00:00+01:00"


@pytest.fixture
def org(api: Api) -> str:
    api.call("POST", "/_local/clock", json_body={"now": NOW})
    return create_org(api)


def post(api: Api, org_id: str, body: dict[str, Any]) -> Any:
    return api.call("POST", "/jobs", token=api.employer(org_id), json_body=body)


def published(api: Api, org_id: str, *shifts: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    answer = post(api, org_id, job_body(*shifts, publish=True, **overrides))
    assert answer.status == 201, answer.body
    return answer.body


def browse(api: Api, query: str = "") -> list[dict[str, Any]]:
    answer = api.call("GET", f"/jobs{query}", token=api.token("participant", participant_id="par_1"))
    assert answer.status == 200, answer.body
    return answer.body["items"]


def jobs_items(table_name: str) -> list[dict[str, Any]]:
    return [i for i in all_items(table_name) if i["type"] in {"job", "shift", "extref"}]


# ---------------------------------------------------------------- posting rules


def test_an_employer_posts_a_draft_with_shifts(api: Api, org: str, table_name: str) -> None:
    answer = post(api, org, job_body())
    assert answer.status == 201
    job = answer.body
    assert job["status"] == "draft"
    assert job["org_id"] == org
    assert job["hourly_wage"] == "24.50"
    assert [(s["filled"], s["slots"], s["status"]) for s in job["shifts"]] == [(0, 2, "open")]
    assert job["shifts"][0]["starts_at"] == "2026-12-01T07:00:00+00:00"
    assert len([i for i in all_items(table_name) if i["type"] == "shift"]) == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"hourly_wage": "22.38"}, "hourly_wage"),
        ({"wage_class": "astronaut"}, "wage_class"),
        ({"wage_class": "Not A Class"}, "wage_class"),
        ({"hourly_wage": "24.505"}, "hourly_wage"),
        ({"category": "astronaut"}, "category"),
        ({"title": ""}, "title"),
        ({"location": {"street": "x", "postcode": "30", "city": "Bern"}}, "location.postcode"),
        ({"shifts": []}, "shifts"),
        ({"shifts": [shift_body("2026-12-01T12:00:00+01:00", "2026-12-01T08:00:00+01:00")]}, "shifts.0"),
        ({"shifts": [shift_body("2026-12-01T06:00:00+01:00", "2026-12-01T18:30:00+01:00")]}, "shifts.0"),
        (
            {"shifts": [shift_body("2026-12-01T08:00:00+01:00", "2026-12-01T09:00:00+01:00", break_minutes=60)]},
            "shifts.0",
        ),
        ({"shifts": [shift_body("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00", slots=0)]}, "shifts.0.slots"),
        (
            {"shifts": [shift_body("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00", slots=51)]},
            "shifts.0.slots",
        ),
        ({"shifts": [shift_body("2026-12-01T08:00:00", "2026-12-01T12:00:00+01:00")]}, "shifts.0.starts_at"),
        (
            {
                "shifts": [
                    shift_body(f"2026-12-{d:02d}T08:00:00+01:00", f"2026-12-{d:02d}T12:00:00+01:00")
                    for d in range(1, 32)
                ]
                * 2
            },
            "shifts",
        ),
    ],
)
def test_each_posting_rule_is_a_422_naming_the_field_and_nothing_is_written(
    api: Api, org: str, table_name: str, overrides: dict[str, Any], field: str
) -> None:
    answer = post(api, org, job_body(**overrides))
    assert answer.status == 422, answer.body
    assert field in {d["field"] for d in answer.body["error"]["details"]}
    assert jobs_items(table_name) == []


def test_the_minimum_wage_of_the_class_itself_is_accepted(api: Api, org: str) -> None:
    answer = post(api, org, job_body(hourly_wage="22.39"))
    assert answer.status == 201, answer.body
    assert answer.body["wage_class"] == "unskilled"


def test_a_wage_below_the_minimum_is_refused_naming_it(api: Api, org: str) -> None:
    answer = post(api, org, job_body(hourly_wage="20.00"))
    assert answer.status == 422
    assert answer.body["error"]["details"] == [
        {"field": "hourly_wage", "message": "below the minimum of CHF 22.39 for wage class unskilled"}
    ]


def test_a_later_versions_higher_minimum_holds_for_added_shifts_and_wage_changes(api: Api, org: str) -> None:
    scheme = api.call("GET", "/pay-scheme", token=api.admin()).body["versions"][0]
    raised = scheme | {"valid_from": "2027-01-01", "minimum_wages": {"unskilled": "23.00"}}
    assert api.call("POST", "/pay-scheme/versions", token=api.admin(), json_body=raised).status == 201
    job = published(api, org)  # December 2026 at 24.50: fine under both versions
    employer = api.employer(org)
    cheap = api.call("PATCH", f"/jobs/{job['job_id']}", token=employer, json_body={"hourly_wage": "22.50"})
    assert cheap.status == 200  # its only shift is paid by the 2026 version (22.39)
    january = shift_body("2027-01-05T08:00:00+01:00", "2027-01-05T12:00:00+01:00")
    added = api.call("POST", f"/jobs/{job['job_id']}/shifts", token=employer, json_body=january)
    assert added.status == 422
    assert added.body["error"]["details"] == [
        {
            "field": "hourly_wage",
            "message": "below the minimum of CHF 23.00 for wage class unskilled (pay scheme from 2027-01-05)",
        }
    ]
    assert api.call("PATCH", f"/jobs/{job['job_id']}", token=employer, json_body={"hourly_wage": "23.00"}).status == 200
    assert api.call("POST", f"/jobs/{job['job_id']}/shifts", token=employer, json_body=january).status == 201
    # With a January shift, lowering the wage below January's minimum is refused.
    lowered = api.call("PATCH", f"/jobs/{job['job_id']}", token=employer, json_body={"hourly_wage": "22.50"})
    assert lowered.status == 422 and "CHF 23.00" in lowered.body["error"]["details"][0]["message"]


def test_a_twelve_hour_shift_and_thirty_one_shifts_are_accepted(api: Api, org: str) -> None:
    shifts = [shift_body(f"2026-12-{d:02d}T06:00:00+01:00", f"2026-12-{d:02d}T18:00:00+01:00") for d in range(1, 32)]
    answer = post(api, org, job_body(*shifts))
    assert answer.status == 201
    assert len(answer.body["shifts"]) == 31


def test_a_night_shift_across_midnight_is_fine(api: Api, org: str) -> None:
    job = published(api, org, shift_body("2026-12-04T22:00:00+01:00", "2026-12-05T06:00:00+01:00"))
    assert job["shifts"][0]["ends_at"] == "2026-12-05T05:00:00+00:00"


def test_daylight_saving_days_count_real_hours(api: Api, org: str) -> None:
    api.call("POST", "/_local/clock", json_body={"now": "2026-03-01T09:00:00+01:00"})
    # Spring forward: 22:00 to 08:00 on the wall clock is 9 real hours.
    spring = shift_body("2026-03-28T22:00:00+01:00", "2026-03-29T08:00:00+02:00")
    assert published(api, org, spring)["shifts"][0]["ends_at"] == "2026-03-29T06:00:00+00:00"
    # Fall back: 00:00 to 12:00 on the wall clock is 13 real hours, over the 12 h limit.
    fall = shift_body("2026-10-25T00:00:00+02:00", "2026-10-25T12:00:00+01:00")
    too_long = post(api, org, job_body(fall, publish=True))
    assert too_long.status == 422
    # ...and 00:00 to 11:00 is 12 real hours: allowed.
    ok = shift_body("2026-10-25T00:00:00+02:00", "2026-10-25T11:00:00+01:00")
    assert post(api, org, job_body(ok, publish=True)).status == 201


def test_publishing_needs_future_shifts(api: Api, org: str, table_name: str) -> None:
    past = shift_body("2026-11-20T08:00:00+01:00", "2026-11-20T12:00:00+01:00")
    refused = post(api, org, job_body(past, publish=True))
    assert refused.status == 422
    assert refused.body["error"]["details"][0]["field"] == "shifts.0.starts_at"
    assert jobs_items(table_name) == []
    draft = post(api, org, job_body(past)).body  # a draft may hold a past shift...
    answer = api.call("POST", f"/jobs/{draft['job_id']}/publish", token=api.employer(org))
    assert answer.status == 409  # ...but is not published with it
    assert answer.body["error"]["code"] == "shift_in_past"


def test_a_suspended_organisation_cannot_publish(api: Api, org: str) -> None:
    draft = post(api, org, job_body()).body
    api.call("POST", f"/organisations/{org}/suspend", token=api.admin())
    for answer in (
        api.call("POST", f"/jobs/{draft['job_id']}/publish", token=api.employer(org)),
        post(api, org, job_body(publish=True)),
    ):
        assert answer.status == 409
        assert answer.body["error"]["code"] == "organisation_suspended"
    assert api.call("GET", f"/jobs/{draft['job_id']}", token=api.employer(org)).body["status"] == "draft"


def test_external_ref_is_unique_per_organisation(api: Api, org: str) -> None:
    other = create_org(api, name="Other AG")
    assert post(api, org, job_body(external_ref="HR-1")).status == 201
    again = post(api, org, job_body(external_ref="HR-1"))
    assert again.status == 409
    assert again.body["error"]["code"] == "external_ref_taken"
    assert post(api, other, job_body(external_ref="HR-1")).status == 201


def test_publish_twice_is_an_invalid_transition(api: Api, org: str) -> None:
    draft = post(api, org, job_body()).body
    first = api.call("POST", f"/jobs/{draft['job_id']}/publish", token=api.employer(org))
    assert first.status == 200 and first.body["status"] == "open"
    again = api.call("POST", f"/jobs/{draft['job_id']}/publish", token=api.employer(org))
    assert again.status == 409 and again.body["error"]["code"] == "invalid_transition"


def test_only_employers_post_jobs(api: Api, org: str) -> None:
    for role in ("participant", "caseworker", "admin"):
        token = api.token(role, participant_id="par_1")
        assert api.call("POST", "/jobs", token=token, json_body=job_body()).status == 403


# ---------------------------------------------------------------- browsing


def test_participants_see_open_jobs_of_active_organisations_with_an_open_future_shift(
    api: Api, org: str, table_name: str, aws: dict[str, Any]
) -> None:
    other = create_org(api, name="Suspended AG")
    visible = published(api, org, title="Visible")
    post(api, org, job_body(title="Draft"))
    cancelled = published(api, org, title="Cancelled")
    api.call("POST", f"/jobs/{cancelled['job_id']}/cancel", token=api.employer(org), json_body={"reason": "budget"})
    published(api, other, title="Of a suspended organisation")
    api.call("POST", f"/organisations/{other}/suspend", token=api.admin())
    drain(aws)  # its jobs leave browsing as what follows from the suspension
    full = published(api, org, title="Full")
    boto3.resource("dynamodb").Table(table_name).update_item(
        Key={"PK": f"SHIFT#{full['shifts'][0]['shift_id']}", "SK": "SHIFT"},
        UpdateExpression="SET filled = slots",
    )
    assert [j["title"] for j in browse(api)] == ["Visible"]
    assert browse(api)[0]["job_id"] == visible["job_id"]
    # Once its shift has started it is gone too.
    api.call("POST", "/_local/clock", json_body={"now": "2026-12-01T08:00:01+01:00"})
    assert browse(api) == []


def test_browsing_filters_by_category_time_and_postcode_prefix(api: Api, org: str) -> None:
    published(api, org, shift_body("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00"), title="Garden Bern")
    published(
        api,
        org,
        shift_body("2026-12-10T08:00:00+01:00", "2026-12-10T12:00:00+01:00"),
        title="Kitchen Biel",
        category="kitchen",
        location={"street": "Zentralstrasse 1", "postcode": "2502", "city": "Biel"},
    )
    assert [j["title"] for j in browse(api)] == ["Garden Bern", "Kitchen Biel"]
    assert [j["title"] for j in browse(api, "?category=kitchen")] == ["Kitchen Biel"]
    assert [j["title"] for j in browse(api, "?postcode=25")] == ["Kitchen Biel"]
    assert [j["title"] for j in browse(api, "?postcode=3006")] == ["Garden Bern"]
    assert [j["title"] for j in browse(api, "?from=2026-12-05T00:00:00%2B01:00")] == ["Kitchen Biel"]
    assert [j["title"] for j in browse(api, "?to=2026-12-05T00:00:00%2B01:00")] == ["Garden Bern"]
    naive = api.call("GET", "/jobs?from=2026-12-05T00:00:00", token=api.token("participant", participant_id="p"))
    assert naive.status == 422


def test_browsing_pages_through_every_open_shift_once(api: Api, org: str) -> None:
    for day in range(1, 8):
        published(
            api,
            org,
            shift_body(f"2026-12-{day:02d}T08:00:00+01:00", f"2026-12-{day:02d}T12:00:00+01:00"),
            title=f"Day {day}",
        )
    seen: list[str] = []
    cursor = None
    token = api.token("participant", participant_id="par_1")
    while True:
        page = api.call("GET", "/jobs?limit=3" + (f"&cursor={cursor}" if cursor else ""), token=token).body
        seen += [j["title"] for j in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [f"Day {d}" for d in range(1, 8)]
    forged = api.call("GET", "/jobs?cursor=eyJmb28iOiAxfQ", token=token)
    assert forged.status == 400 and forged.body["error"]["code"] == "invalid_cursor"


def test_suspension_hides_and_activation_restores(api: Api, org: str, aws: dict[str, Any]) -> None:
    job = published(api, org)
    participant = api.token("participant", participant_id="par_1")
    api.call("POST", f"/organisations/{org}/suspend", token=api.admin())
    drain(aws)  # the jobs leave browsing as what follows from the change
    assert browse(api) == []
    assert api.call("GET", f"/jobs/{job['job_id']}", token=participant).status == 404
    assert api.call("GET", f"/shifts/{job['shifts'][0]['shift_id']}", token=participant).status == 404
    assert api.call("GET", f"/jobs/{job['job_id']}", token=api.employer(org)).status == 200
    api.call("POST", f"/organisations/{org}/activate", token=api.admin())
    drain(aws)
    assert [j["job_id"] for j in browse(api)] == [job["job_id"]]


# ---------------------------------------------------------------- visibility


def test_another_organisations_drafts_answer_404_to_everyone_outside_it(api: Api, org: str) -> None:
    other = create_org(api, name="Other AG")
    draft = post(api, org, job_body()).body
    shift_id = draft["shifts"][0]["shift_id"]
    outsiders = [api.employer(other), api.token("participant", participant_id="par_1"), api.token("caseworker", "cw")]
    for token in outsiders:
        assert api.call("GET", f"/jobs/{draft['job_id']}", token=token).status == 404
        assert api.call("GET", f"/shifts/{shift_id}", token=token).status == 404
    assert (
        api.call("PATCH", f"/jobs/{draft['job_id']}", token=api.employer(other), json_body={"title": "x"}).status == 404
    )
    assert api.call("POST", f"/jobs/{draft['job_id']}/publish", token=api.employer(other)).status == 404
    assert api.call("POST", f"/shifts/{shift_id}/cancel", token=api.employer(other)).status == 404
    assert api.call("GET", f"/jobs/{draft['job_id']}", token=api.employer(org)).status == 200
    listed = api.call("GET", "/jobs", token=api.employer(other)).body["items"]
    assert listed == []


def test_employers_list_their_own_jobs_in_any_status(api: Api, org: str) -> None:
    create_org(api, name="Other AG")
    post(api, org, job_body(title="Draft"))
    published(api, org, title="Open")
    titles = [j["title"] for j in api.call("GET", "/jobs", token=api.employer(org)).body["items"]]
    assert sorted(titles) == ["Draft", "Open"]
    assert len(api.call("GET", "/jobs", token=api.admin()).body["items"]) == 2


# ---------------------------------------------------------------- changes


def test_patch_changes_the_job_and_what_browsing_shows(api: Api, org: str) -> None:
    job = published(api, org)
    answer = api.call(
        "PATCH", f"/jobs/{job['job_id']}", token=api.employer(org), json_body={"title": "New title", "hourly_wage": 26}
    )
    assert answer.status == 200
    assert answer.body["title"] == "New title"
    assert answer.body["hourly_wage"] == "26.00"
    assert [(j["title"], j["hourly_wage"]) for j in browse(api)] == [("New title", "26.00")]
    low = api.call("PATCH", f"/jobs/{job['job_id']}", token=api.employer(org), json_body={"hourly_wage": "12"})
    assert low.status == 422
    assert "below the minimum of CHF 22.39" in low.body["error"]["details"][0]["message"]
    unknown = api.call("PATCH", f"/jobs/{job['job_id']}", token=api.employer(org), json_body={"wage_class": "pilot"})
    assert unknown.status == 422 and unknown.body["error"]["details"][0]["field"] == "wage_class"
    emptied = api.call("PATCH", f"/jobs/{job['job_id']}", token=api.employer(org), json_body={"title": None})
    assert emptied.status == 422


def test_adding_and_cancelling_shifts(api: Api, org: str) -> None:
    job = published(api, org)
    employer = api.employer(org)
    added = api.call(
        "POST",
        f"/jobs/{job['job_id']}/shifts",
        token=employer,
        json_body=shift_body("2026-12-02T08:00:00+01:00", "2026-12-02T12:00:00+01:00"),
    )
    assert added.status == 201
    assert len(browse(api)[0]["shifts"]) == 2
    past = api.call(
        "POST",
        f"/jobs/{job['job_id']}/shifts",
        token=employer,
        json_body=shift_body("2026-11-20T08:00:00+01:00", "2026-11-20T12:00:00+01:00"),
    )
    assert past.status == 422
    cancelled = api.call(
        "POST", f"/shifts/{added.body['shift_id']}/cancel", token=employer, json_body={"reason": "rain"}
    )
    assert cancelled.status == 200 and cancelled.body["status"] == "cancelled"
    assert len(browse(api)[0]["shifts"]) == 1
    again = api.call("POST", f"/shifts/{added.body['shift_id']}/cancel", token=employer)
    assert again.status == 409


def test_a_job_holds_at_most_31_shifts(api: Api, org: str) -> None:
    shifts = [shift_body(f"2026-12-{d:02d}T06:00:00+01:00", f"2026-12-{d:02d}T10:00:00+01:00") for d in range(1, 32)]
    job = post(api, org, job_body(*shifts)).body
    extra = api.call(
        "POST",
        f"/jobs/{job['job_id']}/shifts",
        token=api.employer(org),
        json_body=shift_body("2026-12-31T13:00:00+01:00", "2026-12-31T15:00:00+01:00"),
    )
    assert extra.status == 409
    assert extra.body["error"]["code"] == "too_many_shifts"


def test_cancelling_a_job_cancels_its_shifts(api: Api, org: str) -> None:
    job = published(api, org)
    employer = api.employer(org)
    answer = api.call("POST", f"/jobs/{job['job_id']}/cancel", token=employer, json_body={"reason": "Budget cut"})
    assert answer.status == 200
    assert answer.body["status"] == "cancelled"
    assert [s["status"] for s in answer.body["shifts"]] == ["cancelled"]
    assert browse(api) == []
    assert (
        api.call("POST", f"/jobs/{job['job_id']}/cancel", token=employer, json_body={"reason": "again"}).status == 409
    )
    assert api.call("POST", f"/jobs/{job['job_id']}/cancel", token=employer, json_body={}).status == 422


def test_every_change_answers_what_a_get_then_shows(api: Api, org: str) -> None:
    """Changes answer with what they read, changed (no read after the write): the answer must be
    the job or shift as stored, field for field, a cancelled shift of the job among them."""
    employer = api.employer(org)
    first = shift_body("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00")
    second = shift_body("2026-12-02T08:00:00+01:00", "2026-12-02T12:00:00+01:00")
    job = post(api, org, job_body(first, second, favourites_first_hours=24)).body
    path = f"/jobs/{job['job_id']}"

    minutes = iter(range(1, 60))

    def as_stored(answer: Any) -> None:
        """The answer as a GET shows it; then the clock moves on (each change stamps its time)."""
        assert answer.status in (200, 201), answer.body
        stored = api.call("GET", path, token=employer).body
        if "shifts" not in answer.body:  # a shift's answer
            stored = next(s for s in stored["shifts"] if s["shift_id"] == answer.body["shift_id"])
        assert answer.body == stored
        api.call("POST", "/_local/clock", json_body={"now": f"2026-11-25T09:{next(minutes):02d}:00+01:00"})

    as_stored(api.call("POST", f"/shifts/{job['shifts'][1]['shift_id']}/cancel", token=employer, json_body={}))
    as_stored(api.call("PATCH", path, token=employer, json_body={"hourly_wage": "27.5", "title": "Harvest"}))
    as_stored(api.call("POST", f"{path}/publish", token=employer))
    later = shift_body("2026-12-03T08:00:00+01:00", "2026-12-03T12:00:00+01:00")
    as_stored(api.call("POST", f"{path}/shifts", token=employer, json_body=later))
    as_stored(api.call("PATCH", path, token=employer, json_body={"favourites_first_hours": 0}))
    cancelled = api.call("POST", f"{path}/cancel", token=employer, json_body={"reason": "Budget cut"})
    as_stored(cancelled)
    assert [s["status"] for s in cancelled.body["shifts"]] == ["cancelled"] * 3
    assert cancelled.body["shifts"][0]["cancel_reason"] == "Budget cut"
    assert cancelled.body["shifts"][1]["cancel_reason"] == ""  # cancelled before, on its own


def test_filtered_pages_are_full_when_enough_jobs_match(api: Api, org: str) -> None:
    for day in range(1, 13):
        other = {"category": "kitchen"} if day % 2 else {}
        start, end = f"2026-12-{day:02d}T08:00:00+01:00", f"2026-12-{day:02d}T12:00:00+01:00"
        published(api, org, shift_body(start, end), title=f"Day {day}", **other)
    page = api.call("GET", "/jobs?category=gardening&limit=3", token=api.token("participant", participant_id="p")).body
    assert [j["title"] for j in page["items"]] == ["Day 2", "Day 4", "Day 6"]
    following = api.call(
        "GET",
        f"/jobs?category=gardening&limit=3&cursor={page['next_cursor']}",
        token=api.token("participant", participant_id="p"),
    ).body
    assert [j["title"] for j in following["items"]] == ["Day 8", "Day 10", "Day 12"]
