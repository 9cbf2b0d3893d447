"""The pay scheme through the HTTP API (in process, moto): PRODUCT.md's defaults while nothing is
stored, versions an admin adds, and the rules a new version must keep."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

import pytest

from tests.helpers import Api, all_items
from tremplin import clock

# Friday 27 November 2026, 00:30 in Zurich: still the 26th in UTC.
NOW = datetime.fromisoformat("2026-11-27T00:30:00+01:00")

DEFAULTS = {
    "valid_from": "2026-01-01",
    "minimum_wages": {"unskilled": "22.39"},
    "public_holiday_rate": "0.032",
    "holiday_rate": "0.0833",
    "holiday_rate_under_20_or_50_plus": "0.106",
    "thirteenth_month_rate": "0.0833",
    "deductions": {
        "ahv_iv_eo": "0.053",
        "alv": "0.011",
        "nbu": "0.0142",
        "nbu_min_weekly_hours": "8",
        "ktg": "0.001",
        "gav": "0.004",
        "bvg": "0",
    },
    "income_allowance": {"full_amount": "600", "full_time_hours": "182"},
}


def version(**overrides: Any) -> dict[str, Any]:
    body = {**DEFAULTS, "valid_from": "2027-01-01", "minimum_wages": {"unskilled": "22.80", "skilled": "25.10"}}
    for name, value in overrides.items():
        head, _, tail = name.partition("__")  # deductions__nbu="x" changes deductions.nbu
        body[head] = {**body[head], tail: value} if tail else value
    return body


@pytest.fixture(autouse=True)
def _pinned() -> None:
    clock.pin(NOW)  # conftest returns to real time after each test


def tokens(api: Api) -> dict[str, str]:
    return {
        "admin": api.admin(),
        "caseworker": api.token("caseworker"),
        "employer": api.token("employer", org_id="org_x"),
        "participant": api.token("participant", participant_id="par_x"),
    }


def stored(table_name: str) -> list[dict[str, Any]]:
    return [i for i in all_items(table_name) if i["PK"] == "PAYSCHEME"]


def test_every_role_reads_the_defaults_while_nothing_is_stored(api: Api, table_name: str) -> None:
    for role, token in tokens(api).items():
        answer = api.call("GET", "/pay-scheme", token=token)
        assert answer.status == 200, (role, answer.body)
        assert answer.body == {"versions": [DEFAULTS]}
    assert stored(table_name) == []


def test_admin_adds_a_version_that_every_role_reads_after_the_defaults(api: Api, table_name: str) -> None:
    answer = api.call("POST", "/pay-scheme/versions", token=api.admin(), json_body=version())
    assert answer.status == 201, answer.body
    assert answer.body == {"versions": [DEFAULTS, version()]}
    for role, token in tokens(api).items():
        read = api.call("GET", "/pay-scheme", token=token)
        assert (read.status, read.body) == (200, answer.body), role
    [item] = stored(table_name)
    assert item["SK"] == "PAYSCHEME" and item["revision"] == 1
    assert item["versions"] == [DEFAULTS, version()]  # decimal strings as given, never numbers

    later = version(valid_from="2028-01-01", minimum_wages={"unskilled": "23", "skilled": "25.10", "trained": "24"})
    again = api.call("POST", "/pay-scheme/versions", token=api.admin(), json_body=later)
    assert again.status == 201, again.body
    assert [v["valid_from"] for v in again.body["versions"]] == ["2026-01-01", "2027-01-01", "2028-01-01"]
    [item] = stored(table_name)
    assert item["revision"] == 2 and item["versions"][-1] == later


def test_the_data_layer_lists_only_stored_versions(api: Api) -> None:
    from tremplin.data import pay_scheme

    assert pay_scheme.versions() == []
    api.call("POST", "/pay-scheme/versions", token=api.admin(), json_body=version())
    assert pay_scheme.versions() == [DEFAULTS, version()]


def test_today_in_zurich_is_not_in_the_past(api: Api) -> None:
    # 27 November in Zurich although UTC still says the 26th.
    answer = api.call("POST", "/pay-scheme/versions", token=api.admin(), json_body=version(valid_from="2026-11-27"))
    assert answer.status == 201, answer.body


def test_a_version_in_the_past_is_refused(api: Api, table_name: str) -> None:
    answer = api.call("POST", "/pay-scheme/versions", token=api.admin(), json_body=version(valid_from="2026-11-26"))
    assert answer.status == 422
    assert answer.error_code == "validation_failed"
    assert [d["field"] for d in answer.body["error"]["details"]] == ["valid_from"]
    assert stored(table_name) == []


def test_a_version_not_after_the_latest_is_a_409_version_exists(api: Api, table_name: str) -> None:
    assert api.call("POST", "/pay-scheme/versions", token=api.admin(), json_body=version()).status == 201
    for valid_from in ("2027-01-01", "2026-12-31"):
        answer = api.call("POST", "/pay-scheme/versions", token=api.admin(), json_body=version(valid_from=valid_from))
        assert answer.status == 409, answer.body
        assert answer.error_code == "version_exists"
    [item] = stored(table_name)
    assert item["revision"] == 1 and len(item["versions"]) == 2


def test_wage_classes_are_added_never_dropped(api: Api, table_name: str) -> None:
    assert api.call("POST", "/pay-scheme/versions", token=api.admin(), json_body=version()).status == 201
    body = version(valid_from="2028-01-01", minimum_wages={"trained": "24"})
    answer = api.call("POST", "/pay-scheme/versions", token=api.admin(), json_body=body)
    assert answer.status == 422
    assert {d["field"] for d in answer.body["error"]["details"]} == {"minimum_wages.skilled", "minimum_wages.unskilled"}
    [item] = stored(table_name)
    assert item["revision"] == 1


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"public_holiday_rate": "1.5"}, {"public_holiday_rate"}),
        ({"holiday_rate": "-0.1"}, {"holiday_rate"}),
        ({"thirteenth_month_rate": 0.0833}, {"thirteenth_month_rate"}),  # a number, not a decimal string
        ({"holiday_rate_under_20_or_50_plus": "1e-1"}, {"holiday_rate_under_20_or_50_plus"}),
        ({"deductions__alv": "2"}, {"deductions.alv"}),
        ({"deductions__bvg": "abc"}, {"deductions.bvg"}),
        ({"deductions__nbu_min_weekly_hours": "-8"}, {"deductions.nbu_min_weekly_hours"}),
        ({"income_allowance__full_amount": "-600"}, {"income_allowance.full_amount"}),
        ({"income_allowance__full_time_hours": "0"}, {"income_allowance.full_time_hours"}),
        ({"income_allowance__full_amount": 600}, {"income_allowance.full_amount"}),
        ({"minimum_wages": {}}, {"minimum_wages"}),
        ({"minimum_wages": {"unskilled": "-1"}}, {"minimum_wages.unskilled"}),
        ({"minimum_wages": {"unskilled": 22.8}}, {"minimum_wages.unskilled"}),
        ({"minimum_wages": {"Un Skilled": "22.80"}}, {"minimum_wages.Un Skilled.[key]"}),
        ({"valid_from": "01.01.2027"}, {"valid_from"}),
        ({"unexpected": "1"}, {"unexpected"}),
    ],
)
def test_invalid_fields_are_a_422_naming_each_field(
    api: Api, table_name: str, overrides: dict[str, Any], fields: set[str]
) -> None:
    answer = api.call("POST", "/pay-scheme/versions", token=api.admin(), json_body=version(**overrides))
    assert answer.status == 422, answer.body
    assert answer.error_code == "validation_failed"
    assert {d["field"] for d in answer.body["error"]["details"]} == fields
    assert stored(table_name) == []


def test_missing_fields_are_all_named(api: Api) -> None:
    answer = api.call("POST", "/pay-scheme/versions", token=api.admin(), json_body={"valid_from": "2027-01-01"})
    assert answer.status == 422
    assert {d["field"] for d in answer.body["error"]["details"]} == set(DEFAULTS) - {"valid_from"}


@pytest.mark.parametrize("role", ["participant", "employer", "caseworker"])
def test_only_admins_add_versions(api: Api, table_name: str, role: str) -> None:
    answer = api.call("POST", "/pay-scheme/versions", token=tokens(api)[role], json_body=version())
    assert answer.status == 403
    assert answer.error_code == "forbidden"
    assert stored(table_name) == []


def test_a_repeated_idempotency_key_is_answered_once(api: Api, table_name: str) -> None:
    headers_key = "pay-2027"
    first = _post_with_key(api, version(), headers_key)
    second = _post_with_key(api, version(), headers_key)
    assert (first.status, second.status) == (201, 201)
    assert second.body == first.body and second.headers.get("Idempotent-Replayed") == "true"
    [item] = stored(table_name)
    assert item["revision"] == 1


def _post_with_key(api: Api, body: dict[str, Any], key: str) -> Any:
    import json

    from tests.helpers import Answer

    headers = {
        "host": "127.0.0.1",
        "content-type": "application/json",
        "authorization": f"Bearer {api.admin()}",
        "idempotency-key": key,
    }
    status, out_headers, out = api.gateway.handle("POST", "/pay-scheme/versions", headers, json.dumps(body).encode())
    return Answer(status, json.loads(out), out_headers)


@pytest.mark.parametrize("same_date", [True, False])
def test_of_two_admins_adding_at_once_exactly_one_is_stored(api: Api, table_name: str, same_date: bool) -> None:
    """Both read revision 0 before either writes (the read is held until both have read): the
    conditional write lets one through and refuses the other with 409 concurrent_update, whatever
    their dates; the refused one is never half stored and may retry on a fresh read."""
    from tremplin.data import pay_scheme

    read, both_read = pay_scheme.read, threading.Barrier(2, timeout=10)

    def held_read() -> tuple[list[dict[str, Any]], int]:
        found = read()
        both_read.wait()
        return found

    bodies = [version(), version(valid_from="2027-01-01" if same_date else "2027-07-01")]
    answers: list[Any] = [None, None]

    def add(n: int) -> None:
        answers[n] = api.call(
            "POST", "/pay-scheme/versions", token=api.token("admin", f"admin-{n}"), json_body=bodies[n]
        )

    pay_scheme.read = held_read  # type: ignore[assignment]
    try:
        threads = [threading.Thread(target=add, args=(n,)) for n in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        pay_scheme.read = read  # type: ignore[assignment]
    assert sorted(a.status for a in answers) == [201, 409], [a.body for a in answers]
    winner, loser = sorted(answers, key=lambda a: a.status)
    assert loser.error_code == "concurrent_update"
    [item] = stored(table_name)
    assert item["revision"] == 1 and item["versions"] == winner.body["versions"]
    assert len(item["versions"]) == 2
