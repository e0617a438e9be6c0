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

The schema files live in conformance.jsonschema_files, the /Schemas translation in
conformance.server_schemas, violation paths, messages and key matching in conformance.violations.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from jsonschema import Draft202012Validator

from conformance import urns
from conformance.jsonschema_files import (
    COMMON_FILE,
    SCHEMA_BASE_URI,
    SCHEMA_FILES,
    SCHEMA_NAMES,
    inline_refs,
    registry,
    schema_document,
    schema_uri,
)
from conformance.server_schemas import (
    attribute_list,
    extension_validator,
    json_schema_for_server_schema,
    validator_for_server_schema,
)
from conformance.violations import (
    AttributeShape,
    Violation,
    json_path,
    normalize_keys,
    short,
    sorted_unique,
    violations,
)

__all__ = [
    "COMMON_FILE",
    "SCHEMA_BASE_URI",
    "SCHEMA_FILES",
    "SCHEMA_NAMES",
    "Violation",
    "json_schema_for_server_schema",
    "schema_document",
    "validate",
    "validate_resource",
    "validator_for_server_schema",
]

# The static schemas that describe a resource with extensions keyed by URN (RFC 7643 §3.3).
_RESOURCE_SCHEMAS = frozenset({"User", "EnterpriseUser", "Group"})
# Resources whose "id" is optional (RFC 7643 §5, §6).
_ID_OPTIONAL_URNS = frozenset({urns.SERVICE_PROVIDER_CONFIG.lower(), urns.RESOURCE_TYPE.lower()})
_URN_KEY = re.compile(r"^urn:", re.IGNORECASE)


@functools.cache
def _static_validator(schema_name: str) -> Draft202012Validator:
    """Build (once) the validator for one static schema, with its $refs inlined for speed."""
    uri = schema_uri(schema_name)
    inlined = inline_refs(schema_document(schema_name), uri, registry())
    # Without its $id the copy cannot shadow the original, which recursive $refs point into.
    inlined.pop("$id", None)
    return Draft202012Validator(inlined, registry=registry())


@functools.cache
def _static_shape(schema_name: str) -> AttributeShape:
    """Build (once) the attribute-name tree used to normalise key case."""
    resolver = registry().resolver(base_uri=schema_uri(schema_name))
    return AttributeShape([(schema_document(schema_name), resolver)])


def validate(schema_name: str, instance: object) -> list[Violation]:
    """Validate a payload against one of SCHEMA_NAMES; an empty list means it conforms.

    Keys are matched to the schema's attribute names case-insensitively first (RFC 7643
    §2.1). Raises ValueError for a schema name not in SCHEMA_NAMES.
    """
    validator = _static_validator(schema_name)
    problems: list[Violation] = []
    normalized = normalize_keys(instance, _static_shape(schema_name), (), problems)
    problems.extend(violations(validator.iter_errors(normalized)))
    if schema_name in _RESOURCE_SCHEMAS:
        problems.extend(_undeclared_extensions(normalized))
    if schema_name == "ListResponse":
        problems.extend(_list_response_counts(normalized))
    return sorted_unique(problems)


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
                json_path((key,)),
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
        return [Violation("$", f"a resource must be a JSON object, got {short(resource)}")]
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
            for violation in extension_validator(published)(resource[key]):
                problems.append(
                    Violation(json_path((key,)) + violation.path[1:], violation.message)
                )
        else:
            core_candidates.append(published)
    core = _pick_core(core_candidates, resource, resource_types)
    if core is not None:
        problems.extend(validator_for_server_schema(core)(resource))
        if core["id"].lower() not in _ID_OPTIONAL_URNS and "id" not in keys:
            problems.append(Violation("$", "'id' is a required property (RFC 7643 §3.1)"))
    return sorted_unique(problems)


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
        """How many of the resource's top-level attributes the candidate defines."""
        names = {a["name"].lower() for a in attribute_list(candidate.get("attributes"))}
        return len(names & present)

    return max(candidates, key=coverage)
