"""Rules for published schemas and discovery lists (RFC 7643 §2, RFC 7644 §3.1, §4).

Read-only: each check judges every schema, attribute and sub-attribute /Schemas serves, the
ResourceTypes, or the ServiceProviderConfig.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from conformance import urns
from conformance.checks._scope import resources_of
from conformance.context import CheckContext, describe
from conformance.registry import check

# RFC 7643 §2.1: ATTRNAME = ALPHA *(nameChar); nameChar = "$" / "-" / "_" / DIGIT / ALPHA.
# "$ref" is the RFC's own sub-attribute name (§2.3.7) and accepted as such.
ATTRNAME = re.compile(r"[A-Za-z][A-Za-z0-9$_-]*|\$ref")
MESSAGE_URN = "urn:ietf:params:scim:api:"
# Query parameters a discovery endpoint must ignore (RFC 7644 §4), with values that would
# visibly narrow or reorder a list that honoured them.
IGNORED_QUERIES = (
    {"count": "1"},
    {"startIndex": "2"},
    {"sortBy": "id", "sortOrder": "descending"},
)


def _attributes(ctx: CheckContext) -> Iterator[tuple[str, dict[str, Any], dict[str, Any] | None]]:
    """(schema id, attribute, parent attribute or None) for every attribute in /Schemas."""
    for schema in ctx.schemas:
        for attribute in schema.get("attributes") or []:
            if not isinstance(attribute, dict):
                continue
            yield str(schema.get("id")), attribute, None
            for sub in attribute.get("subAttributes") or []:
                if isinstance(sub, dict):
                    yield str(schema.get("id")), sub, attribute


def _need_schemas(ctx: CheckContext) -> None:
    """Skip when /Schemas gave nothing to judge."""
    if not ctx.schemas:
        ctx.skip("/Schemas lists no schema")


@check(
    "schema.attribute-names",
    title="Attribute names in /Schemas follow ATTRNAME",
    rfc="RFC 7643 §2.1",
    level="MUST",
    tags={"read", "discovery"},
)
def attribute_names(ctx: CheckContext) -> None:
    """Every attribute and sub-attribute name is ALPHA followed by letters, digits, "$", "-"
    or "_"."""
    _need_schemas(ctx)
    wrong = [
        f"{urn}: {(parent or {}).get('name', '')}{'.' if parent else ''}{attribute.get('name')!r}"
        for urn, attribute, parent in _attributes(ctx)
        if not isinstance(attribute.get("name"), str) or not ATTRNAME.fullmatch(attribute["name"])
    ]
    ctx.expect(not wrong, "attribute names outside ATTRNAME: " + "; ".join(wrong))


@check(
    "schema.complex-not-nested",
    title="No complex attribute has a complex sub-attribute",
    rfc="RFC 7643 §2.3.8",
    level="MUST",
    tags={"read", "discovery"},
)
def complex_not_nested(ctx: CheckContext) -> None:
    """Sub-attributes in /Schemas are never of type complex, nor carry sub-attributes.

    The Schema meta-schema is exempt: RFC 7643 §8.7.2 itself defines attributes.subAttributes
    as complex, so a server publishing it as written is no violation."""
    _need_schemas(ctx)
    nested = [
        f"{urn}: {parent.get('name')}.{attribute.get('name')}"
        for urn, attribute, parent in _attributes(ctx)
        if parent is not None
        and urn != urns.SCHEMA
        and (str(attribute.get("type", "")).lower() == "complex" or attribute.get("subAttributes"))
    ]
    ctx.expect(not nested, "complex sub-attributes: " + "; ".join(nested))


@check(
    "discovery.schemas.no-message-urns",
    title="/Schemas publishes no SCIM message schema",
    rfc="RFC 7644 §3.1",
    level="MUST",
    tags={"read", "discovery"},
)
def no_message_urns(ctx: CheckContext) -> None:
    """No schema id served by /Schemas starts with urn:ietf:params:scim:api: (messages are
    fixed by the RFCs, not discoverable)."""
    _need_schemas(ctx)
    messages = [str(s.get("id")) for s in ctx.schemas if str(s.get("id")).startswith(MESSAGE_URN)]
    ctx.expect(not messages, f"/Schemas lists message schemas {messages}")


@check(
    "discovery.lists.query-ignored",
    title="/Schemas and /ResourceTypes ignore paging and sorting parameters",
    rfc="RFC 7644 §4",
    level="MUST",
    tags={"read", "discovery"},
)
def query_ignored(ctx: CheckContext) -> None:
    """With count, startIndex or sortBy, /Schemas and /ResourceTypes list the same resources
    as without them."""
    wrong = []
    for path in ("/Schemas", "/ResourceTypes"):
        plain = ctx.get(path)
        ctx.expect_status(plain, 200)
        expected = sorted(str(r.get("id")) for r in resources_of(ctx.json(plain)))
        if len(expected) < 2:
            continue  # one resource cannot show paging or order
        for params in IGNORED_QUERIES:
            response = ctx.get(path, params=params)
            body = ctx.json(response) if response.status_code == 200 else None
            listed = sorted(str(r.get("id")) for r in resources_of(body))
            if listed != expected:
                wrong.append(f"{describe(response)} with {params} listed {listed}, not {expected}")
    ctx.expect(not wrong, "; ".join(wrong))


@check(
    "schema.complex-sub-attributes",
    title="Every complex attribute in /Schemas lists its subAttributes",
    rfc="RFC 7643 §7",
    level="SHOULD",
    tags={"read", "discovery"},
)
def complex_sub_attributes(ctx: CheckContext) -> None:
    """An attribute of type complex carries a non-empty subAttributes list (the Schema
    meta-schema aside, as for schema.complex-not-nested)."""
    _need_schemas(ctx)
    bare = [
        f"{urn}: {(parent or {}).get('name', '')}{'.' if parent else ''}{attribute.get('name')}"
        for urn, attribute, parent in _attributes(ctx)
        if urn != urns.SCHEMA
        and str(attribute.get("type", "")).lower() == "complex"
        and not attribute.get("subAttributes")
    ]
    ctx.expect(not bare, "complex attributes without subAttributes: " + "; ".join(bare))


@check(
    "discovery.resource-types.plural-endpoints",
    title="Extended resource types are served at their name plus 's'",
    rfc="RFC 7644 §3.2",
    level="SHOULD",
    tags={"read", "discovery"},
)
def plural_endpoints(ctx: CheckContext) -> None:
    """A ResourceType other than User and Group has the endpoint "/" + name + "s"."""
    extended = [
        rt
        for rt in ctx.resource_types
        if isinstance(rt, dict) and rt.get("schema") not in (urns.USER, urns.GROUP)
    ]
    if not extended:
        ctx.skip("the server defines no resource type beyond User and Group")
    odd = [
        f"{rt.get('name')!r} at {rt.get('endpoint')!r}"
        for rt in extended
        if str(rt.get("endpoint", "")).strip("/") != f"{rt.get('name')}s"
    ]
    ctx.expect(not odd, "endpoints not named by appending 's': " + "; ".join(odd))


@check(
    "discovery.spc.patch-supported",
    title="The ServiceProviderConfig says PATCH is supported",
    rfc="RFC 7644 §3.5",
    level="SHOULD",
    tags={"read", "discovery", "patch"},
)
def patch_supported(ctx: CheckContext) -> None:
    """patch.supported is true: implementers should offer partial modification."""
    entry = ctx.spc.get("patch")
    ctx.expect(
        isinstance(entry, dict) and entry.get("supported") is True,
        f"ServiceProviderConfig patch is {entry!r}; PATCH should be supported",
    )
