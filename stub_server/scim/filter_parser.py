"""Filter and attribute-path parsing (RFC 7644 §3.4.2.2 and §3.5.2 PATCH paths).

A tokenizer and a recursive-descent parser turn a filter into an unbound AST, with no schema
knowledge; ``filter_bind`` then resolves its attribute paths against a resource schema.
Precedence: ``not`` > ``and`` > ``or``; parentheses group.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from stub_server.scim.errors import ScimError
from stub_server.scim.limits import (
    MAX_FILTER_DEPTH,
    MAX_FILTER_LENGTH,
    MAX_FILTER_TERMS,
    MAX_PATH_LENGTH,
    enforce,
    shorten,
)
from stub_server.scim.schemas import Attribute

COMPARE_OPS = frozenset({"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"})

_TOKEN = re.compile(
    r"""
    \s*(?:
      (?P<paren>[()\[\]])
    | (?P<string>"(?:[^"\\]|\\.)*")
    | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?![\w.:$])
    | (?P<word>[A-Za-z_$][\w$:.\-]*)
    | (?P<subattr>\.[A-Za-z_$][\w$\-]*)
    )""",
    re.VERBOSE,
)


def invalid_filter(detail: str) -> ScimError:
    """A 400 invalidFilter error."""
    return ScimError(400, detail, "invalidFilter")


@dataclass(frozen=True)
class AttrPath:
    """``[urn:]name[.sub]`` as written; ``name`` is None when the path is a bare schema URN."""

    urn: str | None
    name: str | None
    sub: str | None = None

    def __str__(self) -> str:
        text = ".".join(p for p in (self.name, self.sub) if p)
        return f"{self.urn}:{text}" if self.urn and text else (self.urn or text)


@dataclass(frozen=True)
class Ref:
    """A bound path: the extension URN holding it (None for core) and the attribute chain."""

    ext: str | None
    attrs: tuple[Attribute, ...]

    @property
    def leaf(self) -> Attribute:
        """The attribute whose values are compared."""
        return self.attrs[-1]


@dataclass(frozen=True)
class Compare:
    """``path op value``."""

    path: AttrPath
    op: str
    value: Any
    ref: Ref | None = None


@dataclass(frozen=True)
class Present:
    """``path pr``."""

    path: AttrPath
    ref: Ref | None = None


@dataclass(frozen=True)
class And:
    """``left and right``."""

    left: Any
    right: Any


@dataclass(frozen=True)
class Or:
    """``left or right``."""

    left: Any
    right: Any


@dataclass(frozen=True)
class Not:
    """``not (inner)``."""

    inner: Any


@dataclass(frozen=True)
class ValuePath:
    """``path[filter]``: the filter applies to each value of a multi-valued complex attribute."""

    path: AttrPath
    filter: Any
    ref: Ref | None = None


@dataclass(frozen=True)
class PatchPath:
    """A PATCH ``path``: attribute path, optional value filter and optional sub-attribute."""

    path: AttrPath
    filter: Any = None
    sub: str | None = None


def split_attr_path(text: str) -> AttrPath:
    """Split ``urn:...:name.sub`` / ``name.sub`` into an AttrPath (no schema knowledge)."""
    enforce(len(text), MAX_PATH_LENGTH, "the length of an attribute path", "invalidFilter")
    urn = None
    rest = text
    if text.lower().startswith("urn:"):
        urn, _, rest = text.rpartition(":")
        if not rest:
            raise invalid_filter(f"attribute path {shorten(text)!r} ends with ':'")
    parts = rest.split(".")
    if len(parts) > 2 or not all(parts):
        raise invalid_filter(f"attribute path {shorten(text)!r} is not name or name.subAttribute")
    return AttrPath(urn, parts[0], parts[1] if len(parts) == 2 else None)


class _Parser:
    def __init__(self, text: str) -> None:
        enforce(len(text), MAX_FILTER_LENGTH, "the length of the filter", "invalidFilter")
        self.text = text
        self.tokens = self._tokenize(text)
        self.pos = 0
        self.depth = 0  # groups open now
        self.terms = 0  # attribute expressions so far

    @staticmethod
    def _tokenize(text: str) -> list[tuple[str, str, int]]:
        tokens = []
        index = 0
        while index < len(text):
            if text[index:].strip() == "":
                break
            match = _TOKEN.match(text, index)
            if not match or match.end() == index:
                raise invalid_filter(
                    f"unexpected character {text[index:].lstrip()[:1]!r} "
                    f"at position {index + 1} of the filter"
                )
            kind = match.lastgroup or ""
            tokens.append((kind, match.group(kind), match.start(kind)))
            index = match.end()
        return tokens

    def peek(self, offset: int = 0) -> tuple[str, str, int] | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self) -> tuple[str, str, int]:
        token = self.peek()
        if token is None:
            raise invalid_filter("the filter ends too early")
        self.pos += 1
        return token

    def expect(self, value: str) -> None:
        _kind, text, at = self.take()
        if text != value:
            raise invalid_filter(
                f"expected {value!r} at position {at + 1}, found {shorten(text)!r}"
            )

    def is_keyword(self, word: str, offset: int = 0) -> bool:
        token = self.peek(offset)
        return token is not None and token[0] == "word" and token[1].lower() == word

    def parse_filter(self) -> Any:
        node = self.parse_and()
        while self.is_keyword("or"):
            self.take()
            node = Or(node, self.parse_and())
        return node

    def parse_group(self, closing: str) -> Any:
        """The filter inside ``( )`` or ``[ ]``, within the depth budget."""
        self.depth += 1
        enforce(self.depth, MAX_FILTER_DEPTH, "the nesting depth of the filter", "invalidFilter")
        inner = self.parse_filter()
        self.expect(closing)
        self.depth -= 1
        return inner

    def parse_and(self) -> Any:
        node = self.parse_unary()
        while self.is_keyword("and"):
            self.take()
            node = And(node, self.parse_unary())
        return node

    def parse_unary(self) -> Any:
        token = self.peek()
        if token is None:
            raise invalid_filter("the filter ends where an expression was expected")
        if self.is_keyword("not") and (nxt := self.peek(1)) is not None and nxt[1] == "(":
            self.take()
            self.take()
            return Not(self.parse_group(")"))
        if token[1] == "(":
            self.take()
            return self.parse_group(")")
        return self.parse_attr_expression()

    def parse_attr_expression(self) -> Any:
        kind, text, at = self.take()
        if kind != "word":
            raise invalid_filter(
                f"expected an attribute name at position {at + 1}, found {shorten(text)!r}"
            )
        self.terms += 1
        enforce(self.terms, MAX_FILTER_TERMS, "the number of terms in the filter", "invalidFilter")
        path = split_attr_path(text)
        nxt = self.peek()
        if nxt is not None and nxt[1] == "[":
            self.take()
            return ValuePath(path, self.parse_group("]"))
        kind, op_text, _ = self.take()
        op = op_text.lower()
        if kind != "word" or (op != "pr" and op not in COMPARE_OPS):
            raise invalid_filter(
                f"expected an operator (eq ne co sw ew gt ge lt le pr) after "
                f"{shorten(text)!r}, found {shorten(op_text)!r}"
            )
        if op == "pr":
            return Present(path)
        return Compare(path, op, self.parse_value())

    def parse_value(self) -> Any:
        kind, text, at = self.take()
        if kind == "string":
            try:
                value = json.loads(text)
                value.encode("utf-8")
            except (ValueError, UnicodeEncodeError) as exc:
                raise invalid_filter(f"bad string literal at position {at + 1}") from exc
            return value
        if kind == "number":
            number = float(text) if any(c in text for c in ".eE") else int(text)
            if isinstance(number, float) and not abs(number) < float("inf"):
                raise invalid_filter(f"number {text} is out of range")
            return number
        low = text.lower()
        if kind == "word" and low in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[low]
        raise invalid_filter(
            f"expected a value (string, number, true, false or null) at "
            f"position {at + 1}, found {shorten(text)!r}"
        )

    def done(self) -> None:
        token = self.peek()
        if token is not None:
            raise invalid_filter(f"unexpected {shorten(token[1])!r} at position {token[2] + 1}")


def parse_filter(text: str) -> Any:
    """Parse a filter expression into an unbound AST (raises invalidFilter)."""
    parser = _Parser(text)
    if not parser.tokens:
        raise invalid_filter("the filter is empty")
    node = parser.parse_filter()
    parser.done()
    return node


def parse_patch_path(text: str) -> PatchPath:
    """Parse a PATCH ``path`` (RFC 7644 §3.5.2, ``attrPath / valuePath [subAttr]``)."""
    try:
        parser = _Parser(text)
        kind, word, _ = parser.take()
        if kind != "word":
            raise invalid_filter("a path starts with an attribute name")
        path = split_attr_path(word)
        value_filter = sub = None
        if (nxt := parser.peek()) is not None and nxt[1] == "[":
            parser.take()
            value_filter = parser.parse_group("]")
            if (nxt := parser.peek()) is not None and nxt[0] == "subattr":
                sub = parser.take()[1][1:]
        parser.done()
    except ScimError as exc:
        raise ScimError(
            400, f"invalid path {shorten(text)!r}: {exc.detail}", "invalidPath"
        ) from exc
    if value_filter is not None and path.sub:
        raise ScimError(
            400,
            f"invalid path {shorten(text)!r}: a value filter follows a sub-attribute",
            "invalidPath",
        )
    return PatchPath(path, value_filter, sub)
