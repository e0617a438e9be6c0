"""Filter operators as a table of cases (RFC 7644 §3.4.2.2, Tables 3-5), registered by one function.

Each case creates a few users in its own scope, sends one filter (or a few spellings of it)
and expects exactly the named users back: `userName sw "<scope>-" and (<predicate>)` proves
both that the matching users are returned and that the others are excluded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from conformance import urns
from conformance.checks._filtering import FILTER_RFC, expect_selected, people, user_name
from conformance.registry import check

if TYPE_CHECKING:
    from conformance.checks._scope import Scope
    from conformance.context import CheckContext


@dataclass(frozen=True)
class FilterCase:
    """One filter check: users to create, the filter(s) to send, the users expected back."""

    name: str  # the id is query.filter.<name>
    title: str
    rule: str
    predicates: Callable[[Scope], tuple[str, ...]]
    expected: frozenset[str]
    users: tuple[str, ...] = ("ant", "bee")
    external: tuple[str, ...] = ()  # users created with an externalId
    selective: bool = False  # an eq on one unique value: may also be sent on its own
    rfc: str = FILTER_RFC
    tags: tuple[str, ...] = ("query", "filter")
    # For spellings of one filter: the plain form, which the server taking it must not decline.
    plain: Callable[[Scope], str] | None = None


def _ordering(operator: str, expected: set[str]) -> dict:
    """A gt/ge/lt/le case: ant < bee < cat, compared with bee's userName."""
    return {
        "users": ("ant", "bee", "cat"),
        "predicates": lambda s: (f'userName {operator} "{user_name(s, "bee")}"',),
        "expected": frozenset(expected),
    }


CASES = (
    FilterCase(
        "eq",
        "filter eq returns exactly the equal resources",
        "Only resources matching the filter SHALL be returned; eq needs identical values.",
        lambda s: (f'userName eq "{user_name(s, "ant")}"',),
        frozenset({"ant"}),
        selective=True,
    ),
    FilterCase(
        "ne",
        "filter ne excludes the equal resource",
        "ne matches resources whose value is not identical to the operand.",
        lambda s: (f'userName ne "{user_name(s, "ant")}"',),
        frozenset({"bee"}),
    ),
    FilterCase(
        "co",
        "filter co matches a substring",
        "co matches when the entire operand is a substring of the attribute value.",
        lambda s: ('userName co "-ant@"',),
        frozenset({"ant"}),
    ),
    FilterCase(
        "sw",
        "filter sw matches a prefix",
        "sw matches when the operand is a substring at the start of the attribute value.",
        lambda s: (f'userName sw "{s.token}-an"',),
        frozenset({"ant"}),
    ),
    FilterCase(
        "ew",
        "filter ew matches a suffix",
        "ew matches when the operand is a substring at the end of the attribute value.",
        lambda s: ('userName ew "ant@example.com"',),
        frozenset({"ant"}),
    ),
    FilterCase(
        "pr",
        "filter pr matches only resources that have a value",
        "pr matches when the attribute has a non-empty, non-null value.",
        lambda s: ("externalId pr",),
        frozenset({"ant"}),
        external=("ant",),
    ),
    FilterCase(
        "gt",
        "filter gt compares strings lexicographically",
        "gt matches values greater than the operand (lexicographic for strings).",
        **_ordering("gt", {"cat"}),
    ),
    FilterCase(
        "ge",
        "filter ge includes the equal value",
        "ge matches values greater than or equal to the operand.",
        **_ordering("ge", {"bee", "cat"}),
    ),
    FilterCase(
        "lt",
        "filter lt compares strings lexicographically",
        "lt matches values less than the operand.",
        **_ordering("lt", {"ant"}),
    ),
    FilterCase(
        "le",
        "filter le includes the equal value",
        "le matches values less than or equal to the operand.",
        **_ordering("le", {"ant", "bee"}),
    ),
    FilterCase(
        "and",
        "filter and requires both expressions",
        "'and' matches only when both expressions are true.",
        lambda s: (f'externalId pr and userName ne "{user_name(s, "bee")}"',),
        frozenset({"ant"}),
        users=("ant", "bee", "cat"),
        external=("ant", "bee"),
    ),
    FilterCase(
        "or",
        "filter or accepts either expression",
        "'or' matches when either expression is true.",
        lambda s: (f'userName eq "{user_name(s, "ant")}" or userName eq "{user_name(s, "cat")}"',),
        frozenset({"ant", "cat"}),
        users=("ant", "bee", "cat"),
    ),
    FilterCase(
        "not",
        "filter not negates its expression",
        "'not (expr)' matches when the expression evaluates to false.",
        lambda s: (f'not (userName eq "{user_name(s, "ant")}")',),
        frozenset({"bee", "cat"}),
        users=("ant", "bee", "cat"),
    ),
    FilterCase(
        "precedence",
        "'and' binds tighter than 'or'",
        "Filters MUST be evaluated with 'not' over 'and' over 'or': `a or b and c` is "
        "`a or (b and c)` = {a}; left-to-right evaluation gives nothing.",
        lambda s: (
            f'userName eq "{user_name(s, "ant")}" or userName eq "{user_name(s, "bee")}" '
            f'and userName eq "{user_name(s, "cat")}"',
        ),
        frozenset({"ant"}),
        users=("ant", "bee", "cat"),
    ),
    FilterCase(
        "parentheses",
        "parentheses override the default precedence",
        "Grouping operators are evaluated first: `(b or c) and pr` differs from `b or (c and pr)`.",
        lambda s: (
            f'(userName eq "{user_name(s, "bee")}" or userName eq "{user_name(s, "cat")}") '
            "and externalId pr",
        ),
        frozenset({"cat"}),
        users=("ant", "bee", "cat"),
        external=("ant", "cat"),
    ),
    FilterCase(
        "sub-attribute",
        "a filter on name.familyName uses the sub-attribute",
        "Complex attributes are filtered by a fully qualified sub-attribute (name.familyName).",
        lambda s: (f'name.familyName eq "{s.token}-bee"',),
        frozenset({"bee"}),
        selective=True,
    ),
    FilterCase(
        "case-insensitive-names",
        "attribute names and operators in filters are case-insensitive",
        '`USERNAME EQ "x"` and `userName Eq "x"` evaluate like `userName eq "x"`.',
        lambda s: (
            f'USERNAME EQ "{user_name(s, "ant")}"',
            f'username Eq "{user_name(s, "ant")}"',
        ),
        frozenset({"ant"}),
        selective=True,
        plain=lambda s: f'userName eq "{user_name(s, "ant")}"',
    ),
    FilterCase(
        "user-name-any-case",
        "userName eq matches regardless of case (caseExact false)",
        "userName is case-insensitive, so eq with the upper-cased value still matches.",
        lambda s: (f'userName eq "{user_name(s, "ant").upper()}"',),
        frozenset({"ant"}),
        selective=True,
        rfc="RFC 7644 §3.4.2.2; RFC 7643 §4.1.1",
        tags=("query", "filter", "claims"),
    ),
    FilterCase(
        "urn-qualified",
        "a URN-qualified attribute name filters like the short name",
        'attrPath may carry the schema URN: `urn:...:core:2.0:User:userName eq "x"`.',
        lambda s: (f'{urns.USER}:userName eq "{user_name(s, "ant")}"',),
        frozenset({"ant"}),
        selective=True,
        rfc="RFC 7644 §3.4.2.2, §3.10",
        plain=lambda s: f'userName eq "{user_name(s, "ant")}"',
    ),
)


def register_filter_case(case: FilterCase) -> None:
    """Register query.filter.<name>: create the case's users, expect exactly its users back."""

    def run(ctx: CheckContext) -> None:
        scope = people(ctx, f"f-{case.name}", case.users, external=case.external)
        plain = case.plain(scope) if case.plain else None
        for predicate in case.predicates(scope):
            expect_selected(
                ctx, scope, predicate, set(case.expected), selective=case.selective, plain=plain
            )

    # Every operator but eq relies on eq: a server whose eq filter is broken is one root cause.
    needs = ("filter",) if case.name == "eq" else ("filter", "query.filter.eq")
    check(
        f"query.filter.{case.name}",
        title=case.title,
        rfc=case.rfc,
        level="MUST",
        tags=case.tags,
        needs=needs,
        mutating=True,
        rule=case.rule,
    )(run)


for filter_case in CASES:
    register_filter_case(filter_case)
