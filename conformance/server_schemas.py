"""Validators built from the definitions a server publishes at /Schemas (RFC 7643 §7).

There, an attribute that none of the resource's declared schemas defines is a violation,
because RFC 7643 §3 says the "schemas" URIs name the schemas "that define the attributes
present". canonicalValues are not enforced (RFC 7643 §2.3.1: a server MAY accept others).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Resource
from referencing.jsonschema import DRAFT202012

from conformance.jsonschema_files import COMMON_FILE, SCHEMA_BASE_URI, inline_refs, registry
from conformance.violations import (
    AttributeShape,
    Violation,
    normalize_keys,
    sorted_unique,
    violations,
)

# Common attributes every resource may carry whatever its schemas (RFC 7643 §3.1).
_COMMON_ATTRIBUTES = ("schemas", "id", "externalId", "meta")
# Sub-attributes any multi-valued attribute may carry (RFC 7643 §2.4).
_MULTI_VALUED_DEFAULTS = ("type", "primary", "display", "value", "$ref")

_DATE_TIME = {"$ref": SCHEMA_BASE_URI + COMMON_FILE + "#/$defs/dateTime"}
_BINARY = {"$ref": SCHEMA_BASE_URI + COMMON_FILE + "#/$defs/binary"}
_SCALAR_TYPES: dict[str, dict] = {
    "string": {"type": "string", "x-rfc": "RFC 7643 §2.3.1"},
    "boolean": {"type": "boolean", "x-rfc": "RFC 7643 §2.3.2"},
    "decimal": {"type": "number", "x-rfc": "RFC 7643 §2.3.3"},
    "integer": {"type": "integer", "x-rfc": "RFC 7643 §2.3.4"},
    "datetime": {"type": "string", "allOf": [_DATE_TIME], "x-rfc": "RFC 7643 §2.3.5"},
    "binary": {"type": "string", "allOf": [_BINARY], "x-rfc": "RFC 7643 §2.3.6"},
    "reference": {"type": "string", "x-rfc": "RFC 7643 §2.3.7"},
}


def json_schema_for_server_schema(scim_schema: dict, *, extension: bool = False) -> dict:
    """Translate a /Schemas resource (RFC 7643 §7) into a Draft 2020-12 JSON Schema.

    As a core schema the result also admits the common attributes (RFC 7643 §3.1) and
    extension containers keyed by URN; as an extension it describes the extension object.
    Attributes the definition does not list are violations (RFC 7643 §3); canonicalValues
    are not enforced (RFC 7643 §2.3.1: a service provider MAY accept other values).
    """
    if not isinstance(scim_schema, dict):
        raise TypeError(f"a SCIM schema must be a JSON object, got {type(scim_schema).__name__}")
    schema_id = str(scim_schema.get("id") or scim_schema.get("name") or "the server's schema")
    attributes = attribute_list(scim_schema.get("attributes"))
    document = _complex_schema(attributes, schema_id, defaults=())
    if not extension:
        properties = document["properties"]
        common = _static_common()
        for name in _COMMON_ATTRIBUTES:
            if name.lower() not in {key.lower() for key in properties}:
                properties[name] = common[name]
        document["patternProperties"] = {
            "^[Uu][Rr][Nn]:": {"$ref": SCHEMA_BASE_URI + COMMON_FILE + "#/$defs/extensionContainer"}
        }
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = f"{schema_id} as published by the server"
    return document


def _static_common() -> dict:
    """JSON Schema references for the common attributes (RFC 7643 §3.1)."""
    base = SCHEMA_BASE_URI + COMMON_FILE + "#/$defs/"
    return {
        "schemas": {"$ref": base + "schemas"},
        "id": {"$ref": base + "id"},
        "externalId": {"$ref": base + "externalId"},
        "meta": {"$ref": base + "meta"},
    }


def attribute_list(value: object) -> list[dict]:
    """Keep the well-formed attribute definitions (a malformed /Schemas must not crash us)."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict) and isinstance(item.get("name"), str)]


def _complex_schema(attributes: list[dict], owner: str, defaults: Iterable[str]) -> dict:
    """An object whose properties are the given attribute definitions, and nothing else."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for attribute in attributes:
        name = attribute["name"]
        properties[name] = _attribute_schema(attribute, owner)
        if _is_required_in_responses(attribute):
            required.append(name)
    known = {key.lower() for key in properties}
    for name in defaults:
        if name.lower() not in known:
            properties[name] = {"type": ["boolean", "null"]} if name == "primary" else {}
    document: dict[str, Any] = {
        "type": "object",
        "x-rfc": f"as {owner} defines it",
        "properties": properties,
        "additionalProperties": {
            "not": {},
            "x-messages": {"not": f"attribute is not defined by {owner} (RFC 7643 §3)"},
        },
    }
    if required:
        document["required"] = required
    return document


def _is_required_in_responses(attribute: dict) -> bool:
    """Required, unless the server never returns it by default (RFC 7643 §2.2 "returned")."""
    returned = str(attribute.get("returned", "default")).lower()
    return attribute.get("required") is True and returned not in ("never", "request")


def _attribute_schema(attribute: dict, owner: str) -> dict:
    """JSON Schema for one attribute definition: its type, plurality and sub-attributes."""
    kind = str(attribute.get("type", "string")).lower()
    if kind == "complex":
        value = _complex_schema(
            attribute_list(attribute.get("subAttributes")),
            f'"{attribute["name"]}" of {owner}',
            defaults=_MULTI_VALUED_DEFAULTS if attribute.get("multiValued") is True else (),
        )
    else:
        value = dict(_SCALAR_TYPES.get(kind, {}))
    if attribute.get("multiValued") is True:
        schema: dict[str, Any] = {
            "type": "array",
            "items": value,
            "x-rfc": f"multi-valued in {owner}, RFC 7643 §2.4",
        }
        if kind == "complex":
            # At most one "primary": true (RFC 7643 §2.4).
            schema["allOf"] = [{"$ref": SCHEMA_BASE_URI + COMMON_FILE + "#/$defs/atMostOnePrimary"}]
    else:
        schema = value
    if attribute.get("required") is not True and "type" in schema:
        # Null means unassigned (RFC 7643 §2.5), which an optional attribute may be.
        schema["type"] = [schema["type"], "null"]
    return schema


@dataclass(frozen=True)
class _ServerValidator:
    """A callable validator for one server-published schema (see validator_for_server_schema)."""

    validator: Draft202012Validator
    shape: AttributeShape = field(repr=False)

    def __call__(self, instance: object) -> list[Violation]:
        """Validate an instance; an empty list means it conforms."""
        problems: list[Violation] = []
        normalized = normalize_keys(instance, self.shape, (), problems)
        problems.extend(violations(self.validator.iter_errors(normalized)))
        return sorted_unique(problems)


def validator_for_server_schema(scim_schema: dict) -> Callable[[object], list[Violation]]:
    """Build a validator from a /Schemas resource (RFC 7643 §7) for resources of that schema.

    Types string/boolean/decimal/integer/dateTime/binary/reference/complex, multiValued,
    required (unless returned is never/request) and subAttributes are enforced; unknown
    attributes are violations; canonicalValues are not enforced. Built validators are cached.
    """
    return _cached_server_validator(_cache_key(scim_schema), False)


def extension_validator(scim_schema: dict) -> Callable[[object], list[Violation]]:
    """Like validator_for_server_schema, for the object under an extension's URN key."""
    return _cached_server_validator(_cache_key(scim_schema), True)


def _cache_key(scim_schema: dict) -> str:
    """The schema as canonical JSON (the validator cache's key)."""
    if not isinstance(scim_schema, dict):
        raise TypeError(f"a SCIM schema must be a JSON object, got {type(scim_schema).__name__}")
    return json.dumps(scim_schema, sort_keys=True)


@functools.lru_cache(maxsize=256)
def _cached_server_validator(key: str, extension: bool) -> _ServerValidator:
    """Build the validator of one schema (cached by its canonical JSON)."""
    document = json_schema_for_server_schema(json.loads(key), extension=extension)
    Draft202012Validator.check_schema(document)
    uri = "urn:scimproof:server-schema"
    schemas = registry().with_resource(uri, Resource.from_contents(document, DRAFT202012))
    return _ServerValidator(
        Draft202012Validator(inline_refs(document, uri, schemas), registry=schemas),
        AttributeShape([(document, schemas.resolver(base_uri=uri))]),
    )
