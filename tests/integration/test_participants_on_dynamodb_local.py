from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.helpers import Api, all_items, participant_body

pytestmark = pytest.mark.integration


def test_twenty_simultaneous_enrolments_of_one_email_make_one_participant(api: Api, table_name: str) -> None:
    tokens = [api.token("caseworker", f"cw-{i}") for i in range(20)]

    def enrol(token: str) -> tuple[int, str | None]:
        answer = api.call("POST", "/participants", token=token, json_body=participant_body(email="same@example.ch"))
        return answer.status, answer.error_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(enrol, tokens))
    assert sorted(results, key=str) == sorted([(201, None)] + [(409, "email_already_enrolled")] * 19, key=str)
    assert len([i for i in all_items(table_name) if i["type"] == "participant"]) == 1
    assert len([i for i in all_items(table_name) if i["type"] == "email"]) == 1


def test_concurrent_email_changes_never_leave_two_owners(api: Api, table_name: str) -> None:
    cw = api.token("caseworker", "cw-1")
    ids = [
        api.call("POST", "/participants", token=cw, json_body=participant_body(email=f"p{i}@example.ch")).body[
            "participant_id"
        ]
        for i in range(10)
    ]

    def claim(pid: str) -> int:
        return api.call("PATCH", f"/participants/{pid}", token=cw, json_body={"email": "wanted@example.ch"}).status

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(claim, ids))
    assert statuses.count(200) == 1
    owners = [i for i in all_items(table_name) if i.get("email") == "wanted@example.ch" and i["type"] == "participant"]
    claims = [i for i in all_items(table_name) if i["PK"] == "EMAIL#wanted@example.ch"]
    assert len(owners) == 1
    assert [c["participant_id"] for c in claims] == [owners[0]["participant_id"]]
    assert len([i for i in all_items(table_name) if i["type"] == "email"]) == 10
