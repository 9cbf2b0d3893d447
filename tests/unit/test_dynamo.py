"""tremplin.data.dynamo's building blocks, on the stored items (moto): the update builder's
paths and computed values, single writes and what they return, the one retry loop's bounds on
unprocessed batch keys, and what strip_keys leaves."""

from __future__ import annotations

from typing import Any

import pytest

from tremplin.errors import ServiceUnavailable

KEY = {"PK": "TEST#1", "SK": "TEST"}


@pytest.fixture
def stored(aws: dict[str, Any]) -> dict[str, Any]:
    """An item to change: a map of held entries, a version, a list and a counter."""
    from tremplin.data.dynamo import table

    item = {
        **KEY,
        "type": "test",
        "status": "open",
        "held": {"app.a.p": {"minutes": 60}, "app.b.p": {"minutes": 30}},
        "version": 3,
        "attempts": [{"n": 1}],
        "filled": 1,
    }
    table().put_item(Item=item)
    return item


def _read() -> dict[str, Any]:
    from tremplin.data.dynamo import table

    return dict(table().get_item(Key=KEY, ConsistentRead=True)["Item"])


def test_an_update_sets_and_removes_paths_into_maps_and_counts_up(stored: dict[str, Any]) -> None:
    from tremplin.data.dynamo import WRITE_ID, Appended, Increment, update_request, write_one

    change = update_request(
        KEY,
        set_={
            ("held", "app.c.p"): {"minutes": 90},  # an id with dots is one map key, not a path
            "version": Increment("version"),
            "copied": Increment("filled", 10),
            "fresh": Increment("never_set"),
            "attempts": Appended([{"n": 2}]),
            "log": Appended(["first"]),
            "status": "closed",  # a reserved word
        },
        remove=[("held", "app.a.p")],
        add={"filled": 2},
        condition="#v = :seen",
        names={"#v": "version"},
        values={":seen": 3},
    )
    write_one(change)
    after = _read()
    assert after["held"] == {"app.b.p": {"minutes": 30}, "app.c.p": {"minutes": 90}}
    assert (after["version"], after["copied"], after["fresh"], after["filled"]) == (4, 11, 1, 3)
    assert (after["attempts"], after["log"], after["status"]) == ([{"n": 1}, {"n": 2}], ["first"], "closed")
    assert after[WRITE_ID]


def test_a_failed_condition_is_a_refusal_that_shows_the_item_as_found(stored: dict[str, Any]) -> None:
    from tremplin.data.dynamo import Increment, TransactionRefused, update_request, write_one

    change = update_request(
        KEY,
        set_={"version": Increment("version")},
        condition="#v = :seen",
        names={"#v": "version"},
        values={":seen": 2},
    )
    with pytest.raises(TransactionRefused) as refused:
        write_one(change)
    assert refused.value.failed(0)
    assert refused.value.item is not None
    assert (refused.value.item["version"], refused.value.item["held"]) == (3, stored["held"])
    assert _read()["version"] == 3


def test_a_single_write_returns_the_values_asked_for(stored: dict[str, Any]) -> None:
    from tremplin.data.dynamo import Increment, strip_keys, update_request, write_one

    assert write_one(update_request(KEY, set_={"status": "closed"})) == {}
    new = write_one(update_request(KEY, set_={"version": Increment("version")}), returns="UPDATED_NEW")
    assert new["version"] == 4 and "held" not in new
    whole = write_one(update_request(KEY, set_={"status": "open"}), returns="ALL_NEW")
    assert strip_keys(whole) == strip_keys(_read())


def test_a_write_applied_by_a_try_whose_answer_was_lost_returns_the_item_as_it_made_it(
    stored: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first try was applied and its answer lost (the item bears this write's id); the retry's
    condition then fails on that very change: a success, with the values it wrote."""
    from tremplin.data import dynamo

    dynamo.begin_call()
    monkeypatch.setattr(dynamo, "_next_write_id", lambda: "lost.1")
    dynamo.table().put_item(Item={**stored, "version": 4, dynamo.WRITE_ID: "lost.1"})
    monkeypatch.setattr(dynamo._call, "unknown", 1)
    change = dynamo.update_request(
        KEY,
        set_={"version": dynamo.Increment("version")},
        condition="#v = :seen",
        names={"#v": "version"},
        values={":seen": 3},
    )
    assert dynamo.write_one(change, returns="UPDATED_NEW")["version"] == 4
    assert _read()["version"] == 4  # not counted twice
    dynamo.table().put_item(Item={**stored, "version": 4, dynamo.WRITE_ID: "someone.else"})
    with pytest.raises(dynamo.TransactionRefused):
        dynamo.write_one(change, returns="UPDATED_NEW")


def test_strip_keys_leaves_only_what_the_item_says() -> None:
    from tremplin.data.dynamo import WRITE_ID, strip_keys

    item = {
        "PK": "APP#a",
        "SK": "APP",
        "GSI1PK": "x",
        "GSI1SK": "y",
        "GSI4PK": "DUE#offer",
        "GSI4SK": "z",
        "type": "application",
        "ttl": 1,
        WRITE_ID: "c.1",
        "status": "applied",
        "message": "Gern",
    }
    assert strip_keys(item) == {"status": "applied", "message": "Gern"}


# ---------------------------------------------------------------- batches and the one loop


class _Batches:
    """A client whose batch calls leave `unprocessed` rounds' worth of the request unprocessed,
    then answer (reads: nothing found)."""

    def __init__(self, table_name: str, unprocessed: int) -> None:
        self.table_name, self.unprocessed, self.calls = table_name, unprocessed, 0

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        self.calls += 1
        if self.unprocessed > 0:
            self.unprocessed -= 1
            return {"Responses": {}, "UnprocessedKeys": RequestItems}
        keys = RequestItems[self.table_name]["Keys"]
        return {"Responses": {self.table_name: [{**k, "found": True} for k in keys]}, "UnprocessedKeys": {}}

    def batch_write_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        self.calls += 1
        if self.unprocessed > 0:
            self.unprocessed -= 1
            return {"UnprocessedItems": RequestItems}
        return {"UnprocessedItems": {}}


@pytest.fixture
def no_pauses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    from tremplin.data import dynamo

    pauses: list[int] = []
    monkeypatch.setattr(dynamo, "_pause", pauses.append)
    return pauses


def _batches(monkeypatch: pytest.MonkeyPatch, unprocessed: int) -> _Batches:
    from tremplin.data import dynamo

    fake = _Batches(dynamo.table().name, unprocessed)
    monkeypatch.setattr(dynamo, "client", lambda: fake)
    return fake


def test_keys_a_batch_read_left_unprocessed_are_read_again_after_a_pause(
    aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch, no_pauses: list[int]
) -> None:
    from tremplin.data.dynamo import CONFLICT_ATTEMPTS, batch_get

    fake = _batches(monkeypatch, CONFLICT_ATTEMPTS - 1)
    wanted = [{"PK": f"K#{n}", "SK": "K"} for n in range(3)]
    assert batch_get([*wanted, wanted[0]]) == [{**k, "found": True} for k in [*wanted, wanted[0]]]
    assert fake.calls == CONFLICT_ATTEMPTS
    assert no_pauses == list(range(CONFLICT_ATTEMPTS - 1))


@pytest.mark.parametrize("operation", ["read", "write"])
def test_a_batch_that_stays_unprocessed_is_a_clean_503_after_the_loops_attempts(
    aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch, no_pauses: list[int], operation: str
) -> None:
    from tremplin.data.dynamo import CONFLICT_ATTEMPTS, batch_get, batch_write

    fake = _batches(monkeypatch, 1_000)
    key = {"PK": "K#1", "SK": "K"}
    send = (lambda: batch_get([key])) if operation == "read" else (lambda: batch_write(deletes=[key]))
    with pytest.raises(ServiceUnavailable):
        send()
    assert fake.calls == CONFLICT_ATTEMPTS
    assert len(no_pauses) == CONFLICT_ATTEMPTS - 1


def test_a_batch_write_of_many_items_is_sent_25_at_a_time(aws: dict[str, Any]) -> None:
    from tremplin.data.dynamo import batch_write, table

    items = [{"PK": f"K#{n}", "SK": "K", "type": "test"} for n in range(60)]
    batch_write(puts=items)
    assert table().scan(Select="COUNT")["Count"] == 60
    batch_write(deletes=items[:55])
    assert sorted(i["PK"] for i in table().scan()["Items"]) == ["K#55", "K#56", "K#57", "K#58", "K#59"]


def test_nothing_to_read_or_write_makes_no_call(aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from tremplin.data.dynamo import batch_get, batch_write

    fake = _batches(monkeypatch, 0)
    assert batch_get([]) == []
    batch_write()
    assert fake.calls == 0


def test_a_write_that_may_have_been_applied_is_not_sent_again_after_a_conflict(
    stored: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """botocore's try timed out after DynamoDB applied it, its retry met a transaction on the item:
    sending an increment again would count it twice, so the answer is a 503 saying it may be saved."""
    from botocore.exceptions import ClientError

    from tremplin.data import dynamo

    real = dynamo.client()

    class LostThenConflict:
        def update_item(self, **request: Any) -> dict[str, Any]:
            real.update_item(**request)  # applied ...
            dynamo._call.unknown += 1  # ... but its answer was lost, and the retry met a transaction
            error = {"Error": {"Code": "TransactionConflictException", "Message": "conflict"}}
            raise ClientError(error, "UpdateItem")  # type: ignore[arg-type]

    dynamo.begin_call()
    monkeypatch.setattr(dynamo, "client", lambda: LostThenConflict())
    with pytest.raises(ServiceUnavailable) as refused:
        dynamo.write_one(dynamo.update_request(KEY, set_={"filled": dynamo.Increment("filled")}))
    assert refused.value.details == [{"outcome": "unknown"}]
    assert _read()["filled"] == 2  # counted once
