"""Validate SCIM payloads against JSON Schemas derived from RFC 7643 and RFC 7644.

Two layers:

* ``validate(name, instance)`` checks a payload against the static schemas in
  ``conformance/schemas/`` (one file per RFC section, all loaded once into a
  ``referencing.Registry``). They encode what the RFCs require and nothing more: unknown
  core attributes and unknown extensions pass, optional attributes may be absent or null
  (RFC 7643 §2.5), canonicalValues are not enforced.
* ``validator_for_server_schema`` / ``validate_resource`` check a resource against the
  definitions a server publishes at ``/Schemas``. There, an attribute that none of the
  resource's declared schemas defines is a violation, because RFC 7643 §3 says the
  "schemas" URIs name the schemas "that define the attributes present".

Attribute names are case-insensitive (RFC 7643 §2.1) while JSON Schema property names are
not, so every entry point first renames the instance's keys to the schema's canonical
spelling ("USERNAME" -> "userName"). Two keys that differ only in case are reported.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_BASE_URI = "https://scimproof.invalid/schemas/"

SCHEMA_FILES: dict[str, str] = {
    "User": "rfc7643-4.1-user.json",
    "EnterpriseUser": "rfc7643-4.3-enterprise-user.json",
    "Group": "rfc7643-4.2-group.json",
    "ServiceProviderConfig": "rfc7643-5-service-provider-config.json",
    "ResourceType": "rfc7643-6-resource-type.json",
    "Schema": "rfc7643-7-schema.json",
    "ListResponse": "rfc7644-3.4.2-list-response.json",
    "PatchOp": "rfc7644-3.5.2-patch-op.json",
    "SearchRequest": "rfc7644-3.4.3-search-request.json",
    "BulkRequest": "rfc7644-3.7-bulk-request.json",
    "BulkResponse": "rfc7644-3.7-bulk-response.json",
    "Error": "rfc7644-3.12-error.json",
}
COMMON_FILE = "rfc7643-3.1-common.json"
SCHEMA_NAMES: tuple[str, ...] = tuple(SCHEMA_FILES)

# Schema URNs the RFCs define (RFC 7643 §8.7, RFC 7644 §3.1).
USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_USER_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SERVICE_PROVIDER_CONFIG_URN = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE_URN = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_URN = "urn:ietf:params:scim:schemas:core:2.0:Schema"

# The static schemas that describe a resource with extensions keyed by URN (RFC 7643 §3.3).
_RESOURCE_SCHEMAS = frozenset({"User", "EnterpriseUser", "Group"})
# Resources whose "id" is optional (RFC 7643 §5, §6).
_ID_OPTIONAL_URNS = frozenset({SERVICE_PROVIDER_CONFIG_URN.lower(), RESOURCE_TYPE_URN.lower()})
# Common attributes every resource may carry whatever its schemas (RFC 7643 §3.1).
_COMMON_ATTRIBUTES = ("schemas", "id", "externalId", "meta")
# Sub-attributes any multi-valued attribute may carry (RFC 7643 §2.4).
_MULTI_VALUED_DEFAULTS = ("type", "primary", "display", "value", "$ref")

_URN_KEY = re.compile(r"^urn:", re.IGNORECASE)
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Violation:
    """One way a payload breaks a schema: where (a JSON path) and what, citing the RFC."""

    path: str  # e.g. "$.emails[0].value"
    message: str

    def __str__(self) -> str:
        """Render as "path: message" for reports and assertion messages."""
        return f"{self.path}: {self.message}"


# --------------------------------------------------------------------------- static schemas


@functools.cache
def _registry() -> Registry:
    """Load every schema file once into a referencing registry keyed by its $id."""
    folder = importlib.resources.files("conformance") / "schemas"
    resources = []
    for filename in (COMMON_FILE, *SCHEMA_FILES.values()):
        contents = json.loads((folder / filename).read_text(encoding="utf-8"))
        resources.append(
            (contents["$id"], Resource.from_contents(contents, default_specification=DRAFT202012))
        )
    return Registry().with_resources(resources).crawl()


def schema_document(schema_name: str) -> dict:
    """Return the JSON Schema document behind one of SCHEMA_NAMES (for reports and tests)."""
    return _registry().contents(SCHEMA_BASE_URI + _filename(schema_name))


def _filename(schema_name: str) -> str:
    try:
        return SCHEMA_FILES[schema_name]
    except KeyError:
        raise ValueError(
            f"unknown schema {schema_name!r}; expected one of {', '.join(SCHEMA_NAMES)}"
        ) from None


@functools.cache
def _static_validator(schema_name: str) -> Draft202012Validator:
    """Build (once) the validator for one static schema, with its $refs inlined for speed."""
    uri = SCHEMA_BASE_URI + _filename(schema_name)
    inlined = _inline(schema_document(schema_name), uri, _registry(), ())
    # Without its $id the copy cannot shadow the original, which recursive $refs point into.
    inlined.pop("$id", None)
    return Draft202012Validator(inlined, registry=_registry())


def _inline(node: Any, base_uri: str, registry: Registry, active: tuple[str, ...]) -> Any:
    """Copy a schema with every non-recursive $ref replaced by its target.

    Resolving $refs dominates validation time; inlining them once makes validate() about
    twice as fast. A recursive $ref stays, made absolute, for the registry to resolve.
    """
    if isinstance(node, list):
        return [_inline(item, base_uri, registry, active) for item in node]
    if not isinstance(node, dict):
        return node
    copy = {
        key: value
        if key in ("properties", "patternProperties", "$defs")
        else _inline(value, base_uri, registry, active)
        for key, value in node.items()
        if key != "$ref"
    }
    for key in ("properties", "patternProperties"):
        if isinstance(node.get(key), dict):
            copy[key] = {
                name: _inline(sub, base_uri, registry, active) for name, sub in node[key].items()
            }
    copy.pop("$defs", None)
    if "$ref" not in node:
        return copy
    target_uri = urljoin(base_uri, node["$ref"])
    if target_uri in active:
        copy["$ref"] = target_uri
        return copy
    resolved = registry.resolver().lookup(target_uri)
    target = _inline(resolved.contents, urldefrag(target_uri).url, registry, (*active, target_uri))
    if isinstance(target, dict):
        target.pop("$id", None)
        target.pop("$schema", None)
    siblings = {key: value for key, value in copy.items() if not key.startswith(("$", "title"))}
    if not siblings:
        return target
    # A $ref beside other keywords means both apply (Draft 2020-12 §8.2.3.1).
    return {**copy, "allOf": [*copy.get("allOf", []), target]}


@functools.cache
def _static_shape(schema_name: str) -> _Shape:
    """Build (once) the attribute-name tree used to normalise key case."""
    uri = SCHEMA_BASE_URI + _filename(schema_name)
    resolver = _registry().resolver(base_uri=uri)
    return _Shape([(schema_document(schema_name), resolver)])


def validate(schema_name: str, instance: object) -> list[Violation]:
    """Validate a payload against one of SCHEMA_NAMES; an empty list means it conforms.

    Keys are matched to the schema's attribute names case-insensitively first (RFC 7643
    §2.1). Raises ValueError for a schema name not in SCHEMA_NAMES.
    """
    validator = _static_validator(schema_name)
    problems: list[Violation] = []
    normalized = _normalize(instance, _static_shape(schema_name), (), problems)
    problems.extend(_violations(validator.iter_errors(normalized)))
    if schema_name in _RESOURCE_SCHEMAS:
        problems.extend(_undeclared_extensions(normalized))
    if schema_name == "ListResponse":
        problems.extend(_list_response_counts(normalized))
    return _sorted_unique(problems)


def _undeclared_extensions(resource: object) -> Iterator[Violation]:
    """Extension containers must be named in "schemas" (RFC 7643 §3, §3.3)."""
    if not isinstance(resource, dict):
        return
    schemas = resource.get("schemas")
    declared = (
        {s.lower() for s in schemas if isinstance(s, str)} if isinstance(schemas, list) else set()
    )
    for key, value in resource.items():
        if (
            isinstance(key, str)
            and _URN_KEY.match(key)
            and isinstance(value, dict)
            and key.lower() not in declared
        ):
            yield Violation(
                _path((key,)),
                f'extension "{key}" is present but not listed in "schemas" (RFC 7643 §3)',
            )


def _list_response_counts(response: object) -> Iterator[Violation]:
    """itemsPerPage is the number of resources in the page (RFC 7644 §3.4.2)."""
    if not isinstance(response, dict):
        return
    resources, per_page, total = (
        response.get("Resources"),
        response.get("itemsPerPage"),
        response.get("totalResults"),
    )
    if not isinstance(resources, list):
        return
    if isinstance(per_page, int) and not isinstance(per_page, bool) and per_page != len(resources):
        yield Violation(
            "$.itemsPerPage",
            f'"itemsPerPage" is {per_page} but "Resources" holds {len(resources)} '
            "(RFC 7644 §3.4.2: itemsPerPage is the number of resources returned)",
        )
    if isinstance(total, int) and not isinstance(total, bool) and len(resources) > total:
        yield Violation(
            "$.Resources",
            f'"Resources" holds {len(resources)} resources but "totalResults" is {total} '
            "(RFC 7644 §3.4.2)",
        )


# --------------------------------------------------------------------- server-published schemas

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
    attributes = _attribute_list(scim_schema.get("attributes"))
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


def _attribute_list(value: object) -> list[dict]:
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
            _attribute_list(attribute.get("subAttributes")),
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
    shape: _Shape = field(repr=False)

    def __call__(self, instance: object) -> list[Violation]:
        """Validate an instance; an empty list means it conforms."""
        problems: list[Violation] = []
        normalized = _normalize(instance, self.shape, (), problems)
        problems.extend(_violations(self.validator.iter_errors(normalized)))
        return _sorted_unique(problems)


def validator_for_server_schema(scim_schema: dict) -> Callable[[object], list[Violation]]:
    """Build a validator from a /Schemas resource (RFC 7643 §7) for resources of that schema.

    Types string/boolean/decimal/integer/dateTime/binary/reference/complex, multiValued,
    required (unless returned is never/request) and subAttributes are enforced; unknown
    attributes are violations; canonicalValues are not enforced. Built validators are cached.
    """
    return _cached_server_validator(_cache_key(scim_schema), False)


def _extension_validator(scim_schema: dict) -> Callable[[object], list[Violation]]:
    return _cached_server_validator(_cache_key(scim_schema), True)


def _cache_key(scim_schema: dict) -> str:
    if not isinstance(scim_schema, dict):
        raise TypeError(f"a SCIM schema must be a JSON object, got {type(scim_schema).__name__}")
    return json.dumps(scim_schema, sort_keys=True)


@functools.lru_cache(maxsize=256)
def _cached_server_validator(key: str, extension: bool) -> _ServerValidator:
    document = json_schema_for_server_schema(json.loads(key), extension=extension)
    Draft202012Validator.check_schema(document)
    uri = "urn:scimproof:server-schema"
    registry = _registry().with_resource(uri, Resource.from_contents(document, DRAFT202012))
    return _ServerValidator(
        Draft202012Validator(_inline(document, uri, registry, ()), registry=registry),
        _Shape([(document, registry.resolver(base_uri=uri))]),
    )


def validate_resource(
    resource: dict, server_schemas: list[dict], resource_types: list[dict] | None = None
) -> list[Violation]:
    """Validate a resource's core attributes and every extension it carries against the
    server's /Schemas definitions; an empty list means it conforms.

    The core schema is the one in "schemas" whose attributes sit at the top level (taken
    from resource_types when given, RFC 7643 §6); each extension is the object under its
    URN key. A URN in "schemas" that /Schemas does not publish is reported; an extension
    key missing from "schemas" is reported (RFC 7643 §3).
    """
    if not isinstance(resource, dict):
        return [Violation("$", f"a resource must be a JSON object, got {_short(resource)}")]
    by_urn = {
        s["id"].lower(): s
        for s in server_schemas
        if isinstance(s, dict) and isinstance(s.get("id"), str)
    }
    keys = {key.lower(): key for key in resource if isinstance(key, str)}
    declared = resource.get(keys.get("schemas", "schemas"))
    if not isinstance(declared, list) or not declared:
        return [Violation("$.schemas", '"schemas" must be a non-empty array of URIs (RFC 7643 §3)')]
    problems: list[Violation] = list(_undeclared_extensions(_with_key(resource, keys, "schemas")))
    core_candidates: list[dict] = []
    for urn in declared:
        if not isinstance(urn, str):
            continue
        published = by_urn.get(urn.lower())
        if published is None:
            problems.append(
                Violation(
                    "$.schemas",
                    f'"{urn}" is not published at /Schemas, so its attributes cannot be checked '
                    "(RFC 7644 §4)",
                )
            )
        elif urn.lower() in keys and isinstance(resource[keys[urn.lower()]], dict):
            key = keys[urn.lower()]
            for violation in _extension_validator(published)(resource[key]):
                problems.append(Violation(_path((key,)) + violation.path[1:], violation.message))
        else:
            core_candidates.append(published)
    core = _pick_core(core_candidates, resource, resource_types)
    if core is not None:
        problems.extend(validator_for_server_schema(core)(resource))
        if core["id"].lower() not in _ID_OPTIONAL_URNS and "id" not in keys:
            problems.append(Violation("$", "'id' is a required property (RFC 7643 §3.1)"))
    return _sorted_unique(problems)


def _with_key(resource: dict, keys: dict[str, str], canonical: str) -> dict:
    """The resource with one key renamed to its canonical case (for the extension rule)."""
    actual = keys.get(canonical.lower())
    if actual is None or actual == canonical:
        return resource
    return {canonical if key == actual else key: value for key, value in resource.items()}


def _pick_core(
    candidates: list[dict], resource: dict, resource_types: list[dict] | None
) -> dict | None:
    """Choose the core schema among the declared, non-extension ones."""
    if resource_types:
        cores = {
            rt["schema"].lower()
            for rt in resource_types
            if isinstance(rt, dict) and isinstance(rt.get("schema"), str)
        }
        by_type = [c for c in candidates if c["id"].lower() in cores]
        if by_type:
            return by_type[0]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    # Several declared schemas without containers: the core one is the one that defines
    # the most of the resource's top-level attributes.
    present = {key.lower() for key in resource if isinstance(key, str)}

    def coverage(candidate: dict) -> int:
        names = {a["name"].lower() for a in _attribute_list(candidate.get("attributes"))}
        return len(names & present)

    return max(candidates, key=coverage)


# ------------------------------------------------------------------------ case normalisation


class _Shape:
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
        self._children: dict[str, _Shape] = {}
        self._items: _Shape | None = None

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

    def child(self, name: str) -> _Shape:
        """The shape of the value of the attribute with this canonical name."""
        shape = self._children.get(name)
        if shape is None:
            shape = self._children[name] = _Shape(self._property_nodes.get(name, []))
        return shape

    def items(self) -> _Shape:
        """The shape of each element of an array value."""
        if self._items is None:
            self._items = _Shape(self._item_nodes)
        return self._items


def _normalize(value: object, shape: _Shape, path: tuple, problems: list[Violation]) -> object:
    """Copy value with keys renamed to the schema's spelling (RFC 7643 §2.1: case-insensitive)."""
    if isinstance(value, dict):
        result: dict = {}
        for key, item in value.items():
            canonical = shape.names.get(key.lower(), key) if isinstance(key, str) else key
            if canonical in result:
                problems.append(
                    Violation(
                        _path((*path, canonical)),
                        f'"{key}" repeats attribute "{canonical}"; attribute names are '
                        "case-insensitive (RFC 7643 §2.1)",
                    )
                )
                continue
            result[canonical] = _normalize(
                item, shape.child(canonical), (*path, canonical), problems
            )
        return result
    if isinstance(value, list):
        items = shape.items()
        return [
            _normalize(item, items, (*path, index), problems) for index, item in enumerate(value)
        ]
    return value


# ----------------------------------------------------------------------------- error mapping


def _violations(errors: Iterable[ValidationError]) -> Iterator[Violation]:
    for error in errors:
        yield Violation(_path(error.absolute_path), _message(error))


def _message(error: ValidationError) -> str:
    """The schema's own x-messages text for the failing keyword, else jsonschema's message
    followed by the RFC section the schema node cites in "x-rfc"."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    custom = schema.get("x-messages", {}).get(error.validator)
    if custom:
        return custom.replace("{value}", _short(error.instance))
    section = schema.get("x-rfc")
    return f"{error.message} ({section})" if section else error.message


def _short(value: object, limit: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _path(parts: Iterable[object]) -> str:
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


def _sorted_unique(problems: Iterable[Violation]) -> list[Violation]:
    return sorted(set(problems), key=lambda v: (v.path, v.message))
