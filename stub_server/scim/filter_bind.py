"""Binding a parsed filter to a resource schema (RFC 7643 §2, RFC 7644 §3.4.2.2).

``bind`` resolves every attribute path of a ``filter_parser`` AST (case-insensitive names,
URN-qualified names, the implicit ``value`` sub-attribute of multi-valued complex attributes)
and checks that each operator and literal fits the attribute type, so evaluation never meets
a type surprise.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from stub_server.scim.filter_parser import (
    And,
    AttrPath,
    Compare,
    Not,
    Or,
    Present,
    Ref,
    ValuePath,
    invalid_filter,
    parse_filter,
)
from stub_server.scim.schemas import Attribute, ResourceSchema

ORDER_OPS = frozenset({"gt", "ge", "lt", "le"})
STRING_OPS = frozenset({"co", "sw", "ew"})


def resolve(path: AttrPath, rs: ResourceSchema) -> tuple[str, Attribute | None, str | None]:
    """Resolve a path to (schema URN, top attribute or None for a bare URN, sub-name or None).

    Raises ``KeyError`` with a message when the schema or attribute is unknown.
    """
    if path.urn is not None:
        schema = rs.schema_for_urn(path.urn)
        if schema is None and path.name and not path.sub:
            whole = rs.schema_for_urn(f"{path.urn}:{path.name}")
            if whole is not None:
                return whole, None, None
        if schema is None:
            raise KeyError(f"unknown schema {path.urn!r} for {rs.name}")
    else:
        schema = rs.core
    top = rs.top(schema, path.name or "")
    if top is None:
        raise KeyError(f"unknown attribute {str(path)!r} for {rs.name}")
    return schema, top, path.sub


def ref_for(path: AttrPath, rs: ResourceSchema, scope: Attribute | None) -> Ref:
    """Bind one path; inside a value filter (``scope``) names are sub-attributes."""
    try:
        if scope is not None:  # inside a value filter: names are sub-attributes
            if path.urn or path.sub:
                raise KeyError(f"{str(path)!r} inside [] must name a sub-attribute")
            leaf = scope.sub.get((path.name or "").lower())
            if leaf is None:
                raise KeyError(f"{scope.name} has no sub-attribute {path.name!r}")
            return Ref(None, (leaf,))
        schema, top, sub = resolve(path, rs)
    except KeyError as exc:
        raise invalid_filter(str(exc.args[0])) from exc
    if top is None:
        raise invalid_filter(f"{path.urn}:{path.name} is a schema, not an attribute")
    ext = schema if schema != rs.core else None
    chain: tuple[Attribute, ...] = (top,)
    if sub is not None:
        leaf = top.sub.get(sub.lower())
        if leaf is None:
            raise invalid_filter(f"{top.name} has no sub-attribute {sub!r}")
        chain = (top, leaf)
    return Ref(ext, chain)


def implicit_value(ref: Ref, for_present: bool) -> Ref:
    """A complex attribute compared directly means its ``value`` sub-attribute."""
    leaf = ref.leaf
    if leaf.type != "complex":
        return ref
    if "value" in leaf.sub:
        return Ref(ref.ext, (*ref.attrs, leaf.sub["value"]))
    if for_present:
        return ref
    raise invalid_filter(f"{leaf.path} is complex; compare one of its sub-attributes")


def parse_datetime(text: str) -> datetime:
    """Parse an xsd:dateTime (RFC 3339) string; naive times are taken as UTC."""
    value = datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _typed_value(ref: Ref, op: str, value: Any) -> Any:
    leaf = ref.leaf
    where = f"{leaf.path} ({leaf.type})"
    if leaf.returned == "never":
        raise invalid_filter(f"{leaf.path} can not be filtered on")
    if value is None:
        if op not in ("eq", "ne"):
            raise invalid_filter(f"null can only be compared with eq or ne ({where})")
        return None
    if leaf.type == "boolean":
        if not isinstance(value, bool) or op not in ("eq", "ne"):
            raise invalid_filter(f"{where} compares only with eq/ne and true or false")
        return value
    if leaf.type in ("integer", "decimal"):
        if isinstance(value, bool) or not isinstance(value, int | float) or op in STRING_OPS:
            raise invalid_filter(f"{where} compares with a number and eq ne gt ge lt le")
        return value
    if not isinstance(value, str):
        raise invalid_filter(f"{where} compares with a quoted string")
    if leaf.type == "dateTime" and op not in STRING_OPS:
        try:
            return parse_datetime(value)
        except ValueError as exc:
            raise invalid_filter(f"{value!r} is not a dateTime (RFC 3339) for {where}") from exc
    if leaf.type == "binary" and op in ORDER_OPS:
        raise invalid_filter(f"{where} can not be ordered")
    return value


def bind(node: Any, rs: ResourceSchema, scope: Attribute | None = None) -> Any:
    """Resolve every path of an AST against ``rs`` and type-check literals (invalidFilter)."""
    if isinstance(node, And | Or):
        return type(node)(bind(node.left, rs, scope), bind(node.right, rs, scope))
    if isinstance(node, Not):
        return Not(bind(node.inner, rs, scope))
    if isinstance(node, Present):
        return replace(node, ref=implicit_value(ref_for(node.path, rs, scope), True))
    if isinstance(node, Compare):
        ref = implicit_value(ref_for(node.path, rs, scope), False)
        return replace(node, ref=ref, value=_typed_value(ref, node.op, node.value))
    if isinstance(node, ValuePath):
        if scope is not None:
            raise invalid_filter("value filters can not nest")
        ref = ref_for(node.path, rs, None)
        if ref.leaf.type != "complex" or len(ref.attrs) != 1:
            raise invalid_filter(f"{ref.leaf.path}[...] needs a complex attribute")
        return replace(node, ref=ref, filter=bind(node.filter, rs, ref.leaf))
    raise invalid_filter("unsupported filter expression")


def compile_filter(text: str, rs: ResourceSchema) -> Any:
    """Parse and bind a filter for one resource type."""
    return bind(parse_filter(text), rs)
