"""botocore's response parser with a short way through DynamoDB's attribute values.

botocore parses every answer against its service model, value by value: for a month's report
(tens of thousands of items from Query and BatchGetItem) that walk was most of the report
worker's CPU, at a fraction of a vCPU in Lambda. An attribute value comes as DynamoDB's typed
JSON ({"S": ...}, {"N": ...}, {"M": {...}}, ...), which botocore's walk gives back unchanged
but for binary values (base64-decoded): so strings, numbers, booleans, nulls, sets of strings
or numbers, maps and lists are taken as they are, and anything else (binary values, a type
botocore does not know) goes botocore's own way. The result is the same, value for value
(tests/unit/test_attribute_values.py).
"""

from __future__ import annotations

from typing import Any

from botocore.model import MapShape, Shape
from botocore.parsers import JSONParser, ResponseParser, ResponseParserFactory

ATTRIBUTE_VALUE = "AttributeValue"  # the shape's name in DynamoDB's and DynamoDB Streams' models
_AS_SENT = frozenset({"S", "N", "BOOL", "NULL", "SS", "NS"})


_JSONParser: Any = JSONParser  # its stubs leave out the handlers overridden here


class _Parser(_JSONParser):  # type: ignore[misc]
    def _handle_structure(self, shape: Shape, value: Any) -> Any:
        if shape.name != ATTRIBUTE_VALUE or not isinstance(value, dict) or len(value) != 1:
            return super()._handle_structure(shape, value)
        ((kind, inner),) = value.items()
        if kind in _AS_SENT:
            return {kind: inner}
        if kind == "M" and isinstance(inner, dict):
            return {"M": {name: self._handle_structure(shape, v) for name, v in inner.items()}}
        if kind == "L" and isinstance(inner, list):
            return {"L": [self._handle_structure(shape, v) for v in inner]}
        return super()._handle_structure(shape, value)  # binary: base64-decoded by botocore

    def _handle_map(self, shape: Shape, value: Any) -> Any:
        if isinstance(shape, MapShape) and shape.value.name == ATTRIBUTE_VALUE and isinstance(value, dict):
            return {name: self._handle_structure(shape.value, v) for name, v in value.items()}
        return super()._handle_map(shape, value)


class ParserFactory(ResponseParserFactory):
    """botocore's parsers, DynamoDB's protocol (JSON) through `_Parser`."""

    def create_parser(self, protocol_name: str) -> ResponseParser:
        if protocol_name == "json":
            return _Parser(**self._defaults)  # type: ignore[attr-defined, no-any-return]
        return super().create_parser(protocol_name)  # type: ignore[no-any-return]
