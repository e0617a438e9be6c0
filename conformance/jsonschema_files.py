"""The RFC 7643/7644 JSON Schemas as data: one file per RFC section, loaded once.

The files are in ``conformance/schemas/``; ``registry()`` holds them all in one
``referencing.Registry`` keyed by their ``$id``; ``inline_refs`` copies a schema with its
``$ref``s resolved, which makes validation about twice as fast.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
from typing import Any
from urllib.parse import urldefrag, urljoin

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


@functools.cache
def registry() -> Registry:
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
    return registry().contents(schema_uri(schema_name))


def schema_uri(schema_name: str) -> str:
    """The $id of one of SCHEMA_NAMES; ValueError for any other name."""
    try:
        return SCHEMA_BASE_URI + SCHEMA_FILES[schema_name]
    except KeyError:
        raise ValueError(
            f"unknown schema {schema_name!r}; expected one of {', '.join(SCHEMA_NAMES)}"
        ) from None


def inline_refs(node: Any, base_uri: str, schemas: Registry, active: tuple[str, ...] = ()) -> Any:
    """Copy a schema with every non-recursive $ref replaced by its target.

    Resolving $refs dominates validation time; inlining them once makes validate() about
    twice as fast. A recursive $ref stays, made absolute, for the registry to resolve.
    """
    if isinstance(node, list):
        return [inline_refs(item, base_uri, schemas, active) for item in node]
    if not isinstance(node, dict):
        return node
    copy = {
        key: value
        if key in ("properties", "patternProperties", "$defs")
        else inline_refs(value, base_uri, schemas, active)
        for key, value in node.items()
        if key != "$ref"
    }
    for key in ("properties", "patternProperties"):
        if isinstance(node.get(key), dict):
            copy[key] = {
                name: inline_refs(sub, base_uri, schemas, active) for name, sub in node[key].items()
            }
    copy.pop("$defs", None)
    if "$ref" not in node:
        return copy
    target_uri = urljoin(base_uri, node["$ref"])
    if target_uri in active:
        copy["$ref"] = target_uri
        return copy
    resolved = schemas.resolver().lookup(target_uri)
    target = inline_refs(
        resolved.contents, urldefrag(target_uri).url, schemas, (*active, target_uri)
    )
    if isinstance(target, dict):
        target.pop("$id", None)
        target.pop("$schema", None)
    siblings = {key: value for key, value in copy.items() if not key.startswith(("$", "title"))}
    if not siblings:
        return target
    # A $ref beside other keywords means both apply (Draft 2020-12 §8.2.3.1).
    return {**copy, "allOf": [*copy.get("allOf", []), target]}
