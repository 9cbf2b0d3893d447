"""The data layer's parser gives what botocore's own gives, for every kind of attribute value."""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from typing import Any

import botocore.session
import pytest
from boto3.dynamodb.types import TypeDeserializer
from botocore.parsers import JSONParser

from tremplin.data import dynamo
from tremplin.data.attribute_values import ParserFactory

BLOB = base64.b64encode(b"\x00secret").decode()
ITEM = {
    "PK": {"S": "APP#1"},
    "hours": {"N": "7.50"},
    "late": {"BOOL": False},
    "note": {"NULL": True},
    "skills": {"SS": ["cook", "clean"]},
    "stars": {"NS": ["4", "5"]},
    "secret": {"B": BLOB},
    "secrets": {"BS": [BLOB]},
    "pay": {"M": {"gross": {"N": "120.00"}, "lines": {"L": [{"S": "base"}, {"M": {"b": {"B": BLOB}}}]}}},
    "empty": {"M": {}},
    "nothing": {"L": []},
}
ANSWERS = {
    "Query": {"Items": [ITEM, ITEM], "Count": 2, "ScannedCount": 2, "LastEvaluatedKey": {"PK": {"S": "APP#1"}}},
    "BatchGetItem": {
        "Responses": {"t": [ITEM]},
        "UnprocessedKeys": {"t": {"Keys": [{"PK": {"S": "APP#2"}}], "ConsistentRead": True}},
        "ConsumedCapacity": [{"TableName": "t", "CapacityUnits": 1.5}],
    },
    "GetItem": {"Item": ITEM},
    "UpdateItem": {"Attributes": ITEM},
}


def parse(parser: Any, operation: str) -> dict[str, Any]:
    model = botocore.session.get_session().get_service_model("dynamodb").operation_model(operation)
    body = json.dumps(ANSWERS[operation]).encode()
    answer = {"status_code": 200, "headers": {"x-amzn-requestid": "r1"}, "body": body}
    return parser.parse(answer, model.output_shape)  # type: ignore[no-any-return]


def test_every_kind_of_value_comes_out_as_botocore_parses_it() -> None:
    fast = ParserFactory().create_parser("json")
    assert type(fast) is not JSONParser
    for operation in ANSWERS:
        assert parse(fast, operation) == parse(JSONParser(), operation), operation
    item = parse(fast, "GetItem")["Item"]
    assert item["secret"] == {"B": b"\x00secret"}
    assert item["pay"]["M"]["lines"]["L"][1] == {"M": {"b": {"B": b"\x00secret"}}}
    plain = {k: TypeDeserializer().deserialize(v) for k, v in item.items()}
    assert plain["hours"] == Decimal("7.50") and plain["stars"] == {Decimal(4), Decimal(5)}


def test_other_protocols_keep_botocores_parsers() -> None:
    assert type(ParserFactory().create_parser("rest-xml")).__module__ == "botocore.parsers"


def test_the_data_layers_session_makes_its_clients_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # A session of its own, dropped after: one made before moto is imported would bypass moto.
    monkeypatch.setattr(dynamo, "_clients", {})
    assert isinstance(dynamo._session()._session.get_component("response_parser_factory"), ParserFactory)
