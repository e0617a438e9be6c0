"""Translate a bound filter AST into SQL over the indexed columns (RFC 7644 §3.4.2.2).

Every predicate on an indexed column or side table becomes SQL; others are left to
``filter_eval``. ``translate`` returns the SQL, its parameters and whether the SQL is exact;
an inexact result is a necessary condition (a pre-filter) and the caller evaluates the
whole filter in Python on the rows it returns. SQL NULL never leaks into the logic:
``not`` and ``ne`` use ``IS NOT 1`` so an absent attribute behaves as in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from stub_server.scim.filter_eval import fold
from stub_server.scim.filter_parser import And, Compare, Not, Or, Present, Ref, ValuePath

MAX_CHAR = "\U0010ffff"


@dataclass(frozen=True)
class Column:
    """A column answering one attribute: ``fold`` (case-folded key), ``exact``, ``bool``,
    ``datetime`` (RFC 3339 strings with milliseconds in UTC, so string order is time order)."""

    expr: str
    kind: str


@dataclass(frozen=True)
class SideTable:
    """A multi-valued attribute kept in a side table; ``where`` correlates it to the row."""

    where: str
    columns: dict[str, Column] = field(default_factory=dict)


@dataclass(frozen=True)
class SqlMap:
    """What a resource table can answer in SQL: columns by (ext, attr, sub) and side tables."""

    columns: dict[tuple[str | None, str, str | None], Column]
    side: dict[str, SideTable] = field(default_factory=dict)


@dataclass(frozen=True)
class Sql:
    """A translated condition."""

    text: str
    params: tuple[Any, ...]
    exact: bool


def format_datetime(value: datetime) -> str:
    """The storage form of a dateTime: UTC, milliseconds, ``Z``."""
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _atom(column: Column, op: str, value: Any) -> Sql | None:
    col = column.expr
    if value is None:
        absent = (
            f"({col} IS NULL OR {col} = '')"
            if column.kind in ("fold", "exact")
            else f"{col} IS NULL"
        )
        return Sql(absent if op == "eq" else f"({absent}) IS NOT 1", (), True)
    if column.kind == "bool":
        if not isinstance(value, bool):
            return None
        eq = f"{col} = ?"
        return Sql(eq if op == "eq" else f"({eq}) IS NOT 1", (int(value),), True)
    if column.kind == "datetime":
        if not isinstance(value, datetime) or value.microsecond % 1000:
            return None  # string operators or sub-millisecond precision: Python decides
        value = format_datetime(value)
    elif not isinstance(value, str):
        return None
    elif column.kind == "fold":
        value = fold(value)
    simple = {"eq": "=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}
    if op in simple:
        return Sql(f"{col} {simple[op]} ?", (value,), True)
    if op == "ne":
        return Sql(f"({col} = ?) IS NOT 1", (value,), True)
    if op == "sw":
        return Sql(f"({col} >= ? AND {col} < ?)", (value, value + MAX_CHAR), True)
    if op == "co":
        return Sql(f"instr({col}, ?) > 0", (value,), True)
    if op == "ew":
        if not value:
            return Sql(f"{col} IS NOT NULL", (), True)
        return Sql(f"substr({col}, -?) = ?", (len(value), value), True)
    return None


def _present(column: Column) -> Sql:
    col = column.expr
    if column.kind in ("fold", "exact"):
        return Sql(f"({col} IS NOT NULL AND {col} <> '')", (), True)
    return Sql(f"{col} IS NOT NULL", (), True)


def _key(ref: Ref) -> tuple[str | None, str, str | None]:
    return (ref.ext, ref.attrs[0].name, ref.attrs[1].name if len(ref.attrs) > 1 else None)


def _leaf_sql(node: Compare | Present, mapping: SqlMap) -> Sql | None:
    ref = node.ref
    assert ref is not None
    column = mapping.columns.get(_key(ref))
    if column is not None:
        return _present(column) if isinstance(node, Present) else _atom(column, node.op, node.value)
    side = mapping.side.get(ref.attrs[0].name) if ref.ext is None else None
    if side is None or len(ref.attrs) != 2:
        return None
    sub_column = side.columns.get(ref.attrs[1].name)
    if sub_column is None:
        return None
    if isinstance(node, Compare) and node.op == "ne":
        inner = _atom(sub_column, "eq", node.value)
        if inner is None:
            return None
        return Sql(f"(EXISTS ({side.where} AND {inner.text})) IS NOT 1", inner.params, True)
    if isinstance(node, Compare) and node.value is None:
        return None  # "emails eq null" is about the whole attribute: Python decides
    inner = (
        _present(sub_column)
        if isinstance(node, Present)
        else _atom(sub_column, node.op, node.value)
    )
    if inner is None:
        return None
    return Sql(f"EXISTS ({side.where} AND {inner.text})", inner.params, True)


def _operands(node: And | Or) -> list[Any]:
    """The operands of a chain of one connective, left to right (``a or b or c``: three)."""
    kind, pending, found = type(node), [node], []
    while pending:
        current = pending.pop()
        if type(current) is kind:
            pending += [current.right, current.left]
        else:
            found.append(current)
    return found


def _chain(node: And | Or, mapping: SqlMap) -> Sql | None:
    """One flat ``(a AND b AND c)``: SQL nesting does not grow with the number of terms."""
    parts = [translate(operand, mapping) for operand in _operands(node)]
    known = [part for part in parts if part is not None]
    if isinstance(node, Or) and len(known) < len(parts):
        return None  # one unknown alternative: SQL can not even narrow the candidates
    if not known:
        return None
    joiner = " AND " if isinstance(node, And) else " OR "
    return Sql(
        "(" + joiner.join(part.text for part in known) + ")",
        tuple(param for part in known for param in part.params),
        len(known) == len(parts) and all(part.exact for part in known),
    )


def translate(node: Any, mapping: SqlMap) -> Sql | None:
    """Translate ``node``; None when SQL can not even narrow the candidates."""
    if isinstance(node, And | Or):
        return _chain(node, mapping)
    if isinstance(node, Not):
        inner = translate(node.inner, mapping)
        if inner is None or not inner.exact:
            return None
        return Sql(f"(({inner.text}) IS NOT 1)", inner.params, True)
    if isinstance(node, Compare | Present):
        return _leaf_sql(node, mapping)
    if isinstance(node, ValuePath):
        side = mapping.side.get(node.ref.attrs[0].name) if node.ref.ext is None else None
        if side is None:
            return None
        inner = translate(
            node.filter, SqlMap({(None, name, None): col for name, col in side.columns.items()})
        )
        if inner is None:
            return None
        return Sql(f"EXISTS ({side.where} AND {inner.text})", inner.params, inner.exact)
    return None


def sort_column(ref: Ref, mapping: SqlMap) -> Column | None:
    """The column to ORDER BY for a sortBy path, or None when Python must sort."""
    return mapping.columns.get(_key(ref))
