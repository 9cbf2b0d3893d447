"""A month's reports cost what the month holds, not what the platform holds: June's reports make
the same DynamoDB reads, call for call and item for item, whether the table holds June alone or
June and the eleven months before it. One read is meant to grow, a little: the programme's
`enrolled` counts every enrolment up to June, summing each month's enrolment counters (at most
ENROLMENT_SHARDS small items a month); and the programme's contribution months read the completed
work of the 23 months before June (issue 19: their window is 24 months, whatever the period).
The months are made by the domain's own functions (tests/months.py, clock pinned);
`python -m bench.report_scaling` times the reports on bigger months."""

from __future__ import annotations

import random
import uuid
from typing import Any

import pytest
from boto3.dynamodb.conditions import ConditionBase, ConditionExpressionBuilder

from bench.report_scaling import HISTORY, KINDS, MONTH, NOW, generate, write_items
from local import resources
from tests.aws_calls import AwsCalls, Call
from tests.helpers import all_items
from tests.months import build_month
from tremplin import clock
from tremplin.data import reset
from tremplin.data.participants import ENROLMENT_SHARDS

READS = {"GetItem", "BatchGetItem", "Query", "Scan"}


def use(refs: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in resources.function_environment(refs).items():
        monkeypatch.setenv(key, value)
    reset()


def canonical(value: Any, table: str, key: str = "") -> Any:
    """A call's parameters as comparable values, the table's name left out."""
    if isinstance(value, ConditionBase):
        built = ConditionExpressionBuilder().build_expression(value, is_key_condition=key == "KeyConditionExpression")
        return (built.condition_expression, built.attribute_name_placeholders, built.attribute_value_placeholders)
    if isinstance(value, dict):
        return {canonical(k, table): canonical(v, table, k) for k, v in sorted(value.items()) if k != "TableName"}
    if isinstance(value, list | tuple):
        return [canonical(v, table) for v in value]
    return "<table>" if value == table else value


def reads(call: Call, table: str) -> tuple[Any, ...]:
    """What a read asked for and what it read (items returned, items DynamoDB looked at)."""
    got = call.response
    found = len(got.get("Items", [])) + sum(len(v) for v in got.get("Responses", {}).values()) + ("Item" in got)
    return call.operation, canonical(call.params, table), found, got.get("ScannedCount")


def june_reports(refs: dict[str, Any], org_id: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], list[Any]]:
    use(refs, monkeypatch)
    clock.pin(NOW)
    with AwsCalls() as calls:
        summaries = [generate(kind, org_id)[2] for kind in KINDS]
    clock.pin(None)
    table = str(refs["Table"])
    return [reads(c, table) for c in calls.log if c.service == "dynamodb" and c.operation in READS], summaries


def test_junes_reports_read_the_same_whether_the_table_holds_one_month_or_twelve(
    dynamodb_local: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(20260701)
    one, twelve = dynamodb_local, resources.provision(f"it-{uuid.uuid4().hex[:10]}")
    use(one, monkeypatch)
    orgs = build_month(MONTH, participants=5, days=3, rng=rng)
    write_items(str(twelve["Table"]), all_items(str(one["Table"])))  # the same June, item for item
    use(twelve, monkeypatch)
    for month in HISTORY:
        build_month(month, participants=5, days=1, rng=rng)

    reads_one, summaries_one = june_reports(one, orgs[0], monkeypatch)
    reads_twelve, summaries_twelve = june_reports(twelve, orgs[0], monkeypatch)

    def counters(reads: list[Any]) -> list[Any]:
        return [r for r in reads if r[0] == "Query" and "STATS" in str(r[1])]

    def window(reads: list[Any]) -> list[Any]:
        """Issue 19: the programme's contribution months look 24 months back from June's end, one
        outcome Query per earlier month (and the BatchGetItem of what it found): they grow with
        those 24 months, never with what lies before them."""
        found, follows = [], False
        for r in reads:
            earlier = r[0] == "Query" and "OUTCOME#" in str(r[1]) and f"OUTCOME#{MONTH}" not in str(r[1])
            if earlier or (follows and r[0] == "BatchGetItem"):
                found.append(r)
            follows = earlier or (follows and r[0] == "BatchGetItem")
        return found

    assert [r[0] for r in reads_one].count("Query") >= 5
    assert [r for r in reads_twelve if r not in counters(reads_twelve) and r not in window(reads_twelve)] == [
        r for r in reads_one if r not in counters(reads_one) and r not in window(reads_one)
    ]
    looked_back = [r[:2] for r in window(reads_twelve) if r[0] == "Query"]
    assert looked_back == [r[:2] for r in window(reads_one) if r[0] == "Query"] and len(looked_back) == 23
    (one_month,), (twelve_months,) = counters(reads_one), counters(reads_twelve)
    assert one_month[:2] == twelve_months[:2]
    assert one_month[2] <= ENROLMENT_SHARDS and twelve_months[2] <= 12 * ENROLMENT_SHARDS
    earnings, programme, employer = summaries_one
    # The statement holds one payslip per participant who worked, and every hour and franc worked.
    assert earnings["payslips"] == 5 and employer["org_id"] == orgs[0]
    assert (earnings["hours"], earnings["gross"]) == (programme["hours"], programme["gross"])
    assert programme["gross_paid"] == programme["gross"]
    assert (programme["regular_offers_made"], programme["regular_offers_accepted"]) == (1, 1)  # tests/months.py
    assert (programme["enrolled"], summaries_twelve[1]["enrolled"]) == (5, 60)
    assert summaries_twelve == [earnings, programme | {"enrolled": 60}, employer]
