"""Evaluate a bound filter AST against a resource in Python (RFC 7644 §3.4.2.2 semantics).

Used for predicates SQL can not answer, and as the reference the SQL translation must agree
with. A multi-valued attribute matches when any of its values does; ``ne`` is ``not eq``;
strings that are not caseExact compare case-folded (``str.casefold``), as the indexed key
columns store them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from stub_server.scim.filter_bind import parse_datetime
from stub_server.scim.filter_parser import And, Compare, Not, Or, Present, Ref, ValuePath


def fold(text: str) -> str:
    """The case-insensitive comparison key of a string."""
    return text.casefold()


def values_at(obj: dict, ref: Ref) -> list[Any]:
    """Every value found at ``ref`` in ``obj``, flattening multi-valued attributes."""
    current: list[Any] = [obj.get(ref.ext)] if ref.ext else [obj]
    for attribute in ref.attrs:
        found: list[Any] = []
        for item in current:
            if not isinstance(item, dict):
                continue
            value = item.get(attribute.name)
            if isinstance(value, list):
                found.extend(v for v in value if v is not None)
            elif value is not None:
                found.append(value)
        current = found
    return current


def _present(value: Any) -> bool:
    return value not in (None, "", [], {})


def _compare(op: str, actual: Any, expected: Any, ref: Ref) -> bool:
    leaf = ref.leaf
    if leaf.type == "dateTime" and isinstance(expected, datetime):
        try:
            actual = parse_datetime(actual)
        except (TypeError, ValueError):
            return False
    elif isinstance(expected, str):
        if not isinstance(actual, str):
            return False
        if not leaf.case_exact:
            actual, expected = fold(actual), fold(expected)
    elif isinstance(expected, bool) != isinstance(actual, bool):
        return False
    try:
        if op == "eq":
            return actual == expected
        if op == "co":
            return expected in actual
        if op == "sw":
            return actual.startswith(expected)
        if op == "ew":
            return actual.endswith(expected)
        if op == "gt":
            return actual > expected
        if op == "ge":
            return actual >= expected
        if op == "lt":
            return actual < expected
        if op == "le":
            return actual <= expected
    except TypeError:  # e.g. a number stored where a string is declared: no match
        return False
    return False


def matches(node: Any, obj: dict) -> bool:
    """Return True when the resource (or multi-valued element) ``obj`` satisfies ``node``."""
    if isinstance(node, And):
        return matches(node.left, obj) and matches(node.right, obj)
    if isinstance(node, Or):
        return matches(node.left, obj) or matches(node.right, obj)
    if isinstance(node, Not):
        return not matches(node.inner, obj)
    if isinstance(node, Present):
        return any(_present(v) for v in values_at(obj, node.ref))
    if isinstance(node, ValuePath):
        elements = values_at(obj, node.ref)
        return any(isinstance(e, dict) and matches(node.filter, e) for e in elements)
    if isinstance(node, Compare):
        found = values_at(obj, node.ref)
        if node.value is None:
            present = any(_present(v) for v in found)
            return present if node.op == "ne" else not present
        if node.op == "ne":
            return not any(_compare("eq", v, node.value, node.ref) for v in found)
        return any(_compare(node.op, v, node.value, node.ref) for v in found)
    return False


def sort_key(obj: dict, ref: Ref) -> tuple[int, Any]:
    """Sort key per RFC 7644 §3.4.2.3: primary (or first) value; missing values sort last."""
    values = values_at(obj, ref)
    if ref.attrs[0].multi and len(ref.attrs) == 2:  # emails.value: prefer the primary one
        parents = values_at(obj, Ref(ref.ext, ref.attrs[:1]))
        primary = [
            p.get(ref.leaf.name)
            for p in parents
            if isinstance(p, dict) and p.get("primary") is True and p.get(ref.leaf.name) is not None
        ]
        values = primary or values
    if not values:
        return (1, "")
    value = values[0]
    if isinstance(value, str):
        if ref.leaf.type == "dateTime":
            try:
                return (0, parse_datetime(value).timestamp())
            except ValueError:
                return (0, 0.0)
        return (0, value if ref.leaf.case_exact else fold(value))
    if isinstance(value, bool | int | float):
        return (0, float(value))
    return (1, "")
