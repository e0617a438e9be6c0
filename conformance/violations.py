"""How a JSON Schema validation becomes violations a person reads: JSON paths, RFC-citing
messages, and SCIM's case-insensitive attribute names (RFC 7643 §2.1) matched first."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from jsonschema.exceptions import ValidationError

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Violation:
    """One way a payload breaks a schema: where (a JSON path) and what, citing the RFC."""

    path: str  # e.g. "$.emails[0].value"
    message: str

    def __str__(self) -> str:
        """Render as "path: message" for reports and assertion messages."""
        return f"{self.path}: {self.message}"


class AttributeShape:
    """Attribute names known at one place of a schema, and the shapes below them.

    Built from JSON Schema nodes by following properties/items through $ref, allOf, anyOf,
    oneOf and if/then/else; children are computed on first use, so recursive schemas are fine.
    """

    __slots__ = ("_children", "_item_nodes", "_items", "_property_nodes", "names")

    def __init__(self, nodes: list[tuple[Any, Any]]) -> None:
        self._property_nodes: dict[str, list[tuple[Any, Any]]] = {}
        self._item_nodes: list[tuple[Any, Any]] = []
        for node, resolver in nodes:
            self._collect(node, resolver, depth=0)
        self.names = {name.lower(): name for name in self._property_nodes}
        self._children: dict[str, AttributeShape] = {}
        self._items: AttributeShape | None = None

    def _collect(self, node: Any, resolver: Any, depth: int) -> None:
        if not isinstance(node, dict) or depth > 32:
            return
        if "$ref" in node and resolver is not None:
            resolved = resolver.lookup(node["$ref"])
            self._collect(resolved.contents, resolved.resolver, depth + 1)
        for keyword in ("allOf", "anyOf", "oneOf"):
            for sub in node.get(keyword, ()):
                self._collect(sub, resolver, depth + 1)
        for keyword in ("then", "else"):
            self._collect(node.get(keyword), resolver, depth + 1)
        properties = node.get("properties")
        if isinstance(properties, dict):
            for name, sub in properties.items():
                self._property_nodes.setdefault(name, []).append((sub, resolver))
        if "items" in node:
            self._item_nodes.append((node["items"], resolver))

    def child(self, name: str) -> AttributeShape:
        """The shape of the value of the attribute with this canonical name."""
        shape = self._children.get(name)
        if shape is None:
            shape = self._children[name] = AttributeShape(self._property_nodes.get(name, []))
        return shape

    def items(self) -> AttributeShape:
        """The shape of each element of an array value."""
        if self._items is None:
            self._items = AttributeShape(self._item_nodes)
        return self._items


def normalize_keys(
    value: object, shape: AttributeShape, path: tuple, problems: list[Violation]
) -> object:
    """Copy value with keys renamed to the schema's spelling (RFC 7643 §2.1: case-insensitive)."""
    if isinstance(value, dict):
        result: dict = {}
        for key, item in value.items():
            canonical = shape.names.get(key.lower(), key) if isinstance(key, str) else key
            if canonical in result:
                problems.append(
                    Violation(
                        json_path((*path, canonical)),
                        f'"{key}" repeats attribute "{canonical}"; attribute names are '
                        "case-insensitive (RFC 7643 §2.1)",
                    )
                )
                continue
            result[canonical] = normalize_keys(
                item, shape.child(canonical), (*path, canonical), problems
            )
        return result
    if isinstance(value, list):
        items = shape.items()
        return [
            normalize_keys(item, items, (*path, index), problems)
            for index, item in enumerate(value)
        ]
    return value


def violations(errors: Iterable[ValidationError]) -> Iterator[Violation]:
    """Each jsonschema error as a Violation at its JSON path."""
    for error in errors:
        yield Violation(json_path(error.absolute_path), _message(error))


def _message(error: ValidationError) -> str:
    """The schema's own x-messages text for the failing keyword, else jsonschema's message
    followed by the RFC section the schema node cites in "x-rfc"."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    custom = schema.get("x-messages", {}).get(error.validator)
    if custom:
        return custom.replace("{value}", short(error.instance))
    section = schema.get("x-rfc")
    return f"{error.message} ({section})" if section else error.message


def short(value: object, limit: int = 80) -> str:
    """A value as compact JSON, cut to ``limit`` characters."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def json_path(parts: Iterable[object]) -> str:
    """A JSONPath such as $.emails[0].value or $['urn:...:User'].manager."""
    path = "$"
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif isinstance(part, str) and _IDENTIFIER.match(part):
            path += f".{part}"
        else:
            quoted = str(part).replace("\\", "\\\\").replace("'", "\\'")
            path += f"['{quoted}']"
    return path


def sorted_unique(problems: Iterable[Violation]) -> list[Violation]:
    """Each violation once, by path then message."""
    return sorted(set(problems), key=lambda v: (v.path, v.message))
