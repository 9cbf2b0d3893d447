from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest

from local import template
from tests.helpers import Api, all_items, org_body

pytestmark = pytest.mark.integration


def test_local_tables_are_the_templates_own_definitions(dynamodb_local: dict[str, Any]) -> None:
    client = boto3.client("dynamodb")
    for logical_id, spec in template.table_definitions().items():
        described = client.describe_table(TableName=dynamodb_local[logical_id])["Table"]
        assert described["KeySchema"] == spec["KeySchema"]
        got = {i["IndexName"]: (i["KeySchema"], i["Projection"]) for i in described.get("GlobalSecondaryIndexes", [])}
        assert got == {
            i["IndexName"]: (i["KeySchema"], i["Projection"]) for i in spec.get("GlobalSecondaryIndexes", [])
        }
        assert described.get("StreamSpecification") == spec.get("StreamSpecification")


def test_a_kept_local_table_from_before_an_index_existed_gets_the_index(dynamodb_local: dict[str, Any]) -> None:
    """`.local-data` keeps tables between runs; one made before GSI4 was in the template gets it."""
    from local import resources

    client = boto3.client("dynamodb")
    logical_id, spec = "Table", template.table_definitions()["Table"]
    older = dict(spec, GlobalSecondaryIndexes=[i for i in spec["GlobalSecondaryIndexes"] if i["IndexName"] != "GSI4"])
    older.pop("StreamSpecification")  # and from before the stream
    older["AttributeDefinitions"] = [
        a for a in spec["AttributeDefinitions"] if not a["AttributeName"].startswith("GSI4")
    ]
    prefix = f"older-{uuid.uuid4().hex[:8]}"
    name = resources.physical_table_name(logical_id, prefix)
    client.create_table(TableName=name, **older)
    resources.create_tables(prefix)
    indexes = client.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]
    assert sorted(i["IndexName"] for i in indexes) == ["GSI1", "GSI2", "GSI3", "GSI4"]
    assert client.describe_table(TableName=name)["Table"]["StreamSpecification"]["StreamEnabled"] is True


def test_concurrent_creations_are_all_kept_and_listed_once(api: Api, table_name: str) -> None:
    token = api.admin()

    def create(i: int) -> int:
        return api.call("POST", "/organisations", token=token, json_body=org_body(name=f"Org {i}")).status

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(create, range(30)))
    assert statuses == [201] * 30
    seen: list[str] = []
    cursor = None
    while True:
        page = api.call("GET", "/organisations?limit=7" + (f"&cursor={cursor}" if cursor else ""), token=token).body
        seen += [o["name"] for o in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(f"Org {i}" for i in range(30))
    assert len([i for i in all_items(table_name) if i["type"] == "organisation"]) == 30


def test_invalid_input_writes_nothing_to_dynamodb_local(api: Api, table_name: str) -> None:
    token = api.admin()
    assert api.call("POST", "/organisations", token=token, raw=b"{").status == 400
    assert api.call("POST", "/organisations", token=token, json_body=org_body(kind="x")).status == 422
    assert (
        api.call("POST", "/organisations", token=api.token("employer", org_id="o"), json_body=org_body()).status == 403
    )
    assert all_items(table_name) == []


def test_suspend_of_a_missing_organisation_does_not_create_it(api: Api, table_name: str) -> None:
    assert api.call("POST", "/organisations/org_ghost/suspend", token=api.admin()).status == 404
    assert all_items(table_name) == []
